"""How the follow-up entries of a complaint's timeline read, in the viewer's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from complaintdesk.accounts.roles import role_label
from complaintdesk.complaints.display import TIMELINE_DESCRIBERS, label_of
from complaintdesk.complaints.models import Complaint, TimelineEntry
from complaintdesk.core.i18n import current_language as lang
from complaintdesk.core.i18n import listed
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy


def _moment(value: str, policy: Policy) -> str:
    if not value:
        return ""
    return rules.format_moment(datetime.fromisoformat(value).astimezone(ZoneInfo(policy.timezone)), lang())


def _status(code: str) -> str:
    try:
        return str(Complaint.Status(code).label).lower()
    except ValueError:
        return code


def _point(policy: Policy, code: str) -> str:
    return label_of(policy.return_visit.scale, code) if policy.return_visit else code


def _judged(policy: Policy, d: dict[str, Any]) -> str:
    validity = _("valid") if d.get("validity") == "valid" else _("invalid")
    category = label_of([*policy.judgement.valid, *policy.judgement.invalid], d.get("category", "")) \
        if policy.judgement else d.get("category", "")
    fault = _("company at fault") if d.get("company_at_fault") else _("company not at fault")
    return f"{validity} · {category} · {fault}"


def _result(policy: Policy, d: dict[str, Any]) -> str:
    result = d.get("result", "")
    if result == "callback_failed":
        return _("Return visit: callback failed.")
    if result == "no_visit_needed":
        return _("Return visit: no return visit needed — %(reason)s") % {"reason": d.get("reason", "")}
    text = _("Return visit (%(channel)s): %(point)s.") % {
        "channel": _("survey link") if d.get("channel") == "survey" else _("phone"),
        "point": _point(policy, d.get("satisfaction", ""))}
    if d.get("reason"):
        text += " " + _("The customer said: %(words)s") % {"words": d["reason"]}
    outcome = d.get("outcome", "")
    if outcome == "reopen":
        text += " " + _("Reopened for second handling.")
    elif outcome == "difficult":
        text += " " + _("Sent down the difficult-customer path.")
    elif outcome == "dealer":
        text += " " + _("Sent back to the dealer.")
    return text


def describe(entry: TimelineEntry, policy: Policy) -> str:
    d: dict[str, Any] = entry.data
    kind = entry.kind
    if kind == "return_visit_due":
        text = _("Return visit due by %(due)s.") % {"due": _moment(d.get("due", ""), policy)}
        if d.get("assigned_to"):
            text += " " + _("Assigned to %(name)s.") % {"name": d["assigned_to"]}
        return text
    if kind == "return_visit_assigned":
        return _("Return visit assigned to %(name)s.") % {"name": d.get("to", "")}
    if kind == "return_visit_cancelled":
        return _("The open return visit no longer applies (the complaint is %(status)s).") % {
            "status": _status(d.get("why", ""))}
    if kind == "return_visit_result":
        return _result(policy, d)
    if kind == "return_visit_close_blocked":
        return _("The return visit is done but the complaint stays open: %(problems)s") % {
            "problems": " ".join(d.get("problems", []))}
    if kind == "closing_to_confirm":
        return _("The return visit is done; the %(roles)s confirms the closing.") % {
            "roles": listed(role_label(policy, role) for role in d.get("roles", []))}
    if kind == "survey_link_sent":
        return _("Survey link sent by %(channel)s, valid until %(expires)s.") % {
            "channel": _("SMS") if d.get("channel") == "sms" else _("e-mail"),
            "expires": _moment(d.get("expires", ""), policy)}
    if kind == "dealer_answered":
        return _("The dealer answered work order %(order)s: %(reply)s — the customer gets a return visit again.") % {
            "order": d.get("order", ""), "reply": d.get("reply", "")}
    if kind == "judged":
        template = (_("Judgement revised for %(staff)s: %(result)s.") if d.get("revised")
                    else _("Judged for %(staff)s: %(result)s."))
        text = template % {"staff": d.get("staff", ""), "result": _judged(policy, d)}
        if d.get("compensation"):
            text += " " + _("Compensation borne by the staff member: %(amount)s %(currency)s.") % {
                "amount": d["compensation"], "currency": d.get("currency", "")}
        return text
    if kind == "appeal_filed":
        return _("%(staff)s appealed: %(grounds)s") % {"staff": d.get("staff", ""), "grounds": d.get("grounds", "")}
    if kind == "appeal_reviewed":
        if d.get("decision") == "upheld":
            return _("Appeal reviewed: the judgement is upheld. %(note)s") % {"note": d.get("note", "")}
        return _("Appeal reviewed: the judgement should change to %(result)s. %(note)s") % {
            "result": _judged(policy, d), "note": d.get("note", "")}
    if kind == "appeal_answer":
        if d.get("decision") == "upheld":
            return _("Second review (%(role)s): the judgement is upheld. %(note)s") % {
                "role": role_label(policy, d.get("role", "")), "note": d.get("note", "")}
        return _("Second review (%(role)s): %(result)s. %(note)s") % {
            "role": role_label(policy, d.get("role", "")), "result": _judged(policy, d), "note": d.get("note", "")}
    if kind == "appeal_answered":
        if d.get("changed"):
            return _("Appeal answered: the judgement is replaced by %(result)s.") % {"result": _judged(policy, d)}
        return _("Appeal answered: the judgement stands (%(result)s).") % {"result": _judged(policy, d)}
    return kind.replace("_", " ")


KINDS = ["return_visit_due", "return_visit_assigned", "return_visit_cancelled", "return_visit_result",
         "return_visit_close_blocked", "closing_to_confirm", "survey_link_sent", "dealer_answered", "judged",
         "appeal_filed", "appeal_reviewed", "appeal_answer", "appeal_answered"]


def register() -> None:
    for kind in KINDS:
        TIMELINE_DESCRIBERS[kind] = describe
