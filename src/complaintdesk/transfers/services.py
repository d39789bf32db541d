"""Recording a transfer. The complaint is registered through the same registration service (with the
same validation); the transfer adds who sent it, the reference, and the transferring body's own
deadline, which becomes the due time of the policy's clock that starts on ``transferred``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import can
from complaintdesk.clocks.services import clock_due_at, clock_event
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.errors import Conflict, FieldProblem, PermissionDenied, Problems, ValidationFailed
from complaintdesk.core.i18n import current_language
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ChannelKind, ClockEvent, Policy
from complaintdesk.transfers.inputs import TransferInput, TransferredRegistrationInput
from complaintdesk.transfers.models import Transfer

SOURCES = {ChannelKind.REGULATOR: Transfer.Source.REGULATOR, ChannelKind.INTERNAL: Transfer.Source.DEPARTMENT}


def transfer_channels(policy: Policy) -> list[Any]:
    """The policy's doors a transfer comes through: regulators and internal departments."""
    return [c for c in policy.channels if c.kind in SOURCES]


def has_transfer_clock(policy: Policy) -> bool:
    return any(c.starts == ClockEvent.TRANSFERRED for c in policy.clocks)


@dataclass(frozen=True)
class CleanTransfer:
    source: str
    body: str
    reference: str
    received_at: datetime | None
    deadline: datetime | None


def clean_transfer(policy: Policy, channel_code: str, data: TransferInput, now: datetime,
                   prefix: str = "") -> CleanTransfer:
    """Validate a transfer for a complaint of ``channel_code``; every problem is reported at once."""
    tz = ZoneInfo(policy.timezone)
    problems = Problems()
    try:
        channel = policy.channel(channel_code)
    except KeyError:
        channel = None
    if channel is not None and channel.kind not in SOURCES:
        label = channel.label.get(current_language())
        problems.add(f"{prefix}channel", _("A transfer comes through a regulator's door or another department's; "
                                           "%(channel)s is neither.") % {"channel": label})
    source = SOURCES.get(channel.kind, Transfer.Source.REGULATOR) if channel else Transfer.Source.REGULATOR
    body = data.body.strip()
    reference = data.reference.strip()
    if not body:
        problems.add(f"{prefix}body", _("Name who transferred the complaint (12315, 12378, the consumer "
                                        "association, a department …)."))
    if source == Transfer.Source.REGULATOR and not reference:
        problems.add(f"{prefix}reference", _("Record the regulator's transfer reference."))
    for key, value, limit in (("body", body, 160), ("reference", reference, 120)):
        if len(value) > limit:
            problems.add(f"{prefix}{key}", _("At most %(limit)d characters.") % {"limit": limit})
    received = None
    if data.received_at.strip():
        try:
            received = check.not_future_moment(check.parse_datetime(data.received_at, tz), now, tz)
        except check.FieldInvalid as exc:
            problems.add(f"{prefix}received_at", exc.message)
    deadline = None
    if data.deadline.strip():
        try:
            deadline = check.parse_datetime(data.deadline, tz)
            if check.date_only(data.deadline):  # a date alone: the end of that day
                deadline = datetime.combine(deadline.date(), time(23, 59), tzinfo=tz)
        except check.FieldInvalid as exc:
            problems.add(f"{prefix}deadline", exc.message)
        else:
            if deadline <= (received or now):
                problems.add(f"{prefix}deadline", _("The deadline must be after the transfer was received."))
        if not has_transfer_clock(policy):
            problems.add(f"{prefix}deadline", _("The policy has no clock for a transferring body's deadline (a "
                                                "clock that starts on 'transferred'); ask the administrator."))
    problems.raise_if_any()
    return CleanTransfer(source=source, body=body, reference=reference, received_at=received, deadline=deadline)


def _record(*, actor: Any, complaint: Complaint, policy: Policy, clean: CleanTransfer, now: datetime) -> Transfer:
    received = clean.received_at or complaint.received_at
    transfer = Transfer.objects.create(complaint=complaint, source=clean.source, body=clean.body,
                                      reference=clean.reference, received_at=received, deadline=clean.deadline,
                                      recorded_by=actor, recorded_at=now)
    started = clock_event(complaint=complaint, event=ClockEvent.TRANSFERRED, at=received)
    if clean.deadline is not None:
        for clock in started:
            clock_due_at(clock=clock, policy=policy, due=clean.deadline)
    tz = ZoneInfo(policy.timezone)
    shown = rules.format_moment(clean.deadline.astimezone(tz), complaint.language) if clean.deadline else ""
    record(actor=actor, action="complaint.transfer", obj=transfer, complaint=complaint,
           after={"source": clean.source, "body": clean.body, "reference": clean.reference,
                  "received_at": received, "deadline": clean.deadline, "clocks": [c.code for c in started]},
           timeline=on_timeline("transferred", body=clean.body, reference=clean.reference, deadline=shown,
                                due=clean.deadline.isoformat() if clean.deadline else "",
                                source=clean.source), at=now)
    return transfer


@transaction.atomic
def transfer_record(*, actor: Any, number: str, data: TransferInput, now: datetime | None = None) -> Transfer:
    """Record the transfer of a complaint that came through a regulator's or an internal door."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    if not can(actor, "complaint.amend", at=complaint):
        raise PermissionDenied(_("Your role may not record transfers."))
    if Transfer.objects.filter(complaint=complaint).exists():
        raise Conflict(_("The transfer of complaint %(number)s is already recorded.") % {"number": number})
    if not complaint.is_open:
        raise Conflict(_("Complaint %(number)s is %(status)s.") % {"number": number,
                                                                   "status": complaint.get_status_display()})
    policy = policy_of(complaint.policy_version)
    clean = clean_transfer(policy, complaint.channel, data, now)
    return _record(actor=actor, complaint=complaint, policy=policy, clean=clean, now=now)


@transaction.atomic
def transfer_register(*, actor: Any, data: TransferredRegistrationInput, now: datetime | None = None) -> Transfer:
    """Register a transferred complaint and its transfer together: every problem of both is reported at
    once, and neither is written unless both are right."""
    now = now or timezone.now()
    _version, policy = active_policy()
    problems: list[FieldProblem] = []
    clean = None
    try:
        clean = clean_transfer(policy, data.complaint.channel.strip(), data.transfer, now, prefix="transfer.")
    except ValidationFailed as exc:
        problems = [FieldProblem(p.field.replace("transfer.channel", "channel"), p.message) for p in exc.problems]
    complaint_data = data.complaint
    if not complaint_data.case_origin.strip():
        origin = f"{data.transfer.body.strip()} {data.transfer.reference.strip()}".strip()
        complaint_data = replace(complaint_data, case_origin=origin)
    if not complaint_data.received_at.strip() and clean is not None and clean.received_at is not None:
        # the complaint reached us with the transfer: the clocks of registration count from its arrival
        # (seed 002, insurer: 12378 transfers "在接到该转办件之日起" — from the day the transfer is received)
        complaint_data = replace(complaint_data, received_at=clean.received_at.isoformat())
    try:
        complaint = complaint_register(actor=actor, data=complaint_data, now=now)
    except ValidationFailed as exc:
        raise ValidationFailed([*exc.problems, *problems]) from exc
    if problems or clean is None:
        raise ValidationFailed(problems)
    return _record(actor=actor, complaint=complaint, policy=policy, clean=clean, now=now)
