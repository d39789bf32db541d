"""How the portal's entries of a complaint's timeline read, in the staff member's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from complaintdesk.complaints.display import TIMELINE_DESCRIBERS
from complaintdesk.complaints.models import TimelineEntry
from complaintdesk.policy.schema import Policy


def describe(entry: TimelineEntry, policy: Policy) -> str:
    d: dict[str, Any] = entry.data
    names = ", ".join(str(n) for n in d.get("names", []))
    if entry.kind == "attachments_added":
        return _("The customer attached files on the portal: %(names)s.") % {"names": names}
    if entry.kind == "customer_information":
        text = _("The customer added on the portal: %(text)s") % {"text": d.get("text", "") or "-"}
        if names:
            text += " " + _("Files: %(names)s.") % {"names": names}
        return text
    return entry.kind


KINDS = ["attachments_added", "customer_information"]


def register() -> None:
    for kind in KINDS:
        TIMELINE_DESCRIBERS[kind] = describe
