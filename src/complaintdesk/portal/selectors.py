"""What the customer sees of their own complaint: status, promised times, the messages addressed to
them, their own additions and files, and the solution waiting for their answer. Never internal
notes, staff notices or other customers' data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from complaintdesk.complaints.models import Complaint, TimelineEntry
from complaintdesk.core.calendars import schedule_for
from complaintdesk.core.i18n import listed
from complaintdesk.core.policies import policy_of
from complaintdesk.notify.models import Message
from complaintdesk.policy import rules
from complaintdesk.portal.models import CustomerFile
from complaintdesk.resolutions.selectors.plans import current_plan

CUSTOMER_CHANNELS = ("sms", "email")
# until the complaint is resolved (or ended) the page shows when we promised to reply; afterwards
# what happened (resolved at, closed at), never a promise in the past
AWAITING_REPLY = (Complaint.Status.REGISTERED, Complaint.Status.ACCEPTED, Complaint.Status.IN_PROGRESS)
HIDDEN_KINDS = ("portal_code",)


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str  # "us" | "you"
    text: str
    files: list[str]
    when: str = ""  # ``at`` as the rest of the page writes times, in the reader's language


def complaint_by_number(number: str) -> Complaint | None:
    """The complaint a portal session holds a code for (the caller checked the session)."""
    return Complaint.objects.select_related("customer", "policy_version", "owner").filter(number=number).first()


def customer_messages(complaint: Complaint) -> QuerySet[Message]:
    """Messages sent to the complaint's customer (by SMS or e-mail), never internal notices."""
    return (Message.objects.filter(complaint=complaint, channel__in=CUSTOMER_CHANNELS)
            .exclude(kind__in=HIDDEN_KINDS).exclude(status=Message.Status.FAILED).order_by("created_at", "id"))


def conversation(complaint: Complaint, language: str) -> list[Entry]:
    """Our messages to the customer and the customer's own additions, oldest first, each with its
    time written like the page's other times (in the policy's time zone and the reader's language)."""
    entries = [Entry(at=m.created_at, who="us", text=m.body, files=[], when=moment(complaint, m.created_at, language))
               for m in customer_messages(complaint)]
    for item in TimelineEntry.objects.filter(complaint=complaint, kind="customer_information"):
        entries.append(Entry(at=item.at, who="you", text=str(item.data.get("text", "")),
                             files=[str(n) for n in item.data.get("names", [])],
                             when=moment(complaint, item.at, language)))
    return sorted(entries, key=lambda e: e.at)


def attachments_of(complaint: Complaint) -> QuerySet[CustomerFile]:
    return CustomerFile.objects.filter(complaint=complaint)


def attachment_of(complaint: Complaint, attachment_id: int) -> CustomerFile | None:
    return CustomerFile.objects.filter(complaint=complaint, pk=attachment_id).first()


def proposed_plan(complaint: Complaint) -> Any:
    """The approved (or authorised) current plan the customer has not answered yet, if any."""

    if not complaint.is_open:
        return None
    plan = current_plan(complaint)
    if plan is None or not plan.cleared or plan.customer_decision:
        return None
    return plan


def moment(complaint: Complaint, value: datetime | None, language: str) -> str:
    if value is None:
        return ""
    policy = policy_of(complaint.policy_version)
    return rules.format_moment(value.astimezone(ZoneInfo(policy.timezone)), language)


def provisional_years(complaint: Complaint) -> list[int]:
    """The years whose official holiday schedule the promised reply time was computed without (the
    clock marked it provisional: docs/policy.md, calendars); empty when the promise is official."""
    if not (complaint.reply_due_provisional and complaint.reply_due_at):
        return []
    policy = policy_of(complaint.policy_version)
    zone = ZoneInfo(policy.timezone)
    due = complaint.reply_due_at.astimezone(zone)
    years = schedule_for(policy).provisional_years(complaint.received_at.astimezone(zone).date(), due.date())
    # a schedule loaded since keeps the mark until the worker recomputes the promise: name its year
    return sorted(years) or [due.year]


def provisional_note(complaint: Complaint, language: str) -> str:
    """A short note for the customer when the promised reply time may still move with the official
    holiday schedule of a year not yet published, in the reader's language; empty otherwise."""
    years = provisional_years(complaint)
    if not years:
        return ""
    with translation.override(language):
        return _("The official holiday schedule for %(years)s has not been published yet; this time may move "
                 "when it is.") % {"years": listed((str(year) for year in years), language)}


def tracked(complaint: Complaint, language: str) -> dict[str, Any]:
    """The page's facts about the complaint, in the customer's language."""
    policy = policy_of(complaint.policy_version)
    try:
        category = policy.category(complaint.category).label.get(language)
    except KeyError:
        category = complaint.category
    return {
        "number": complaint.number,
        "status": complaint.get_status_display(),
        "status_code": complaint.status,
        "category": category,
        "received_at": moment(complaint, complaint.received_at, language),
        "reply_by": moment(complaint, complaint.reply_due_at, language),
        "reply_by_note": provisional_note(complaint, language),
        "requested_deadline": moment(complaint, complaint.requested_deadline, language),
        "resolved_at": moment(complaint, complaint.resolved_at, language),
        "closed_at": moment(complaint, complaint.closed_at, language),
        "result": complaint.outcome_note if complaint.status in {"resolved", "closed"} else "",
        "reason": complaint.reason,
        "description": complaint.description,
        "request": complaint.customer_request,
        "is_open": complaint.is_open,
        "awaiting_reply": complaint.status in AWAITING_REPLY,
        "organisation": policy.organisation.get(language),
    }
