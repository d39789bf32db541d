"""How the mail entries of a complaint's timeline read, in the viewer's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from complaintdesk.complaints.display import TIMELINE_DESCRIBERS, fact_labels
from complaintdesk.complaints.models import TimelineEntry
from complaintdesk.complaints.selectors.masking import mask_email
from complaintdesk.policy.schema import Policy


def _refusal(code: str) -> str:
    if code == "too_large":
        return _("larger than 10 MB")
    return _("not a JPEG, PNG, GIF, WebP image or a PDF")


def _files(attachments: list[dict[str, Any]]) -> str:
    kept = [a["name"] for a in attachments if a.get("kept")]
    refused = [f"{a['name']} ({_refusal(a.get('reason', ''))})" for a in attachments if not a.get("kept")]
    text = ""
    if kept:
        text += " " + _("Attachments kept: %(names)s.") % {"names": ", ".join(kept)}
    if refused:
        text += " " + _("Attachments refused: %(names)s.") % {"names": "; ".join(refused)}
    return text


def _mail_received(entry: TimelineEntry, policy: Policy) -> str:
    d = entry.data
    return _("Registered from an e-mail by %(sender)s, subject “%(subject)s”; check the classification.") % {
        "sender": mask_email(d.get("sender", "")), "subject": d.get("subject", "")} + _files(d.get("attachments", []))


def _customer_mail(entry: TimelineEntry, policy: Policy) -> str:
    d = entry.data
    text = _("The customer answered by e-mail (%(sender)s), “%(subject)s”: %(text)s") % {
        "sender": mask_email(d.get("sender", "")), "subject": d.get("subject", ""), "text": d.get("text", "")}
    if d.get("full_text"):
        text += " " + _("The e-mail is longer than the timeline shows; its full text is attached as %(name)s.") % {
            "name": d["full_text"]}
    return text + _files(d.get("attachments", []))


def _imported(entry: TimelineEntry, policy: Policy) -> str:
    d = entry.data
    text = _("Imported from %(file)s, row %(row)s; not acknowledged to the customer, no clocks started.") % {
        "file": d.get("file", ""), "row": d.get("row", "")}
    if d.get("missing"):
        missing = ", ".join(fact_labels(policy, d["missing"]))
        text += " " + _("Registered incomplete. Missing facts: %(facts)s.") % {"facts": missing}
    return text


def register() -> None:
    TIMELINE_DESCRIBERS["imported"] = _imported
    TIMELINE_DESCRIBERS["mail_received"] = _mail_received
    TIMELINE_DESCRIBERS["customer_mail"] = _customer_mail
