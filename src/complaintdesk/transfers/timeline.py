"""How a transfer reads on the complaint's timeline, in the viewer's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.complaints.display import TIMELINE_DESCRIBERS
from complaintdesk.complaints.models import TimelineEntry
from complaintdesk.complaints.timeline import moment_text
from complaintdesk.policy.schema import Policy


def describe(entry: TimelineEntry, policy: Policy) -> str:
    d = entry.data
    text = _("Transferred by %(body)s, reference %(reference)s.") % {
        "body": d.get("body", ""), "reference": d.get("reference", "") or "-"}
    # the deadline as the reader writes moments; entries written before "due" was kept: as written then
    deadline = moment_text(d["due"], policy) if d.get("due") else d.get("deadline", "")
    if deadline:
        text += " " + _("Their deadline: %(deadline)s.") % {"deadline": deadline}
    return text


def register() -> None:
    TIMELINE_DESCRIBERS["transferred"] = describe
