"""What the system itself does to a complaint when a clock breaches or a follow-up decides: raise
the level, reassign, open the major-complaint team, close (e.g. the customer stayed unreachable)
and reopen. Same rules, audit and timeline as the people's actions in :mod:`workflow`; the actor
is the system (None)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.common import timeline_add
from complaintdesk.complaints.services.workflow import (
    AFTER,
    ActionInput,
    S,
    _apply_level,
    _cancel_open_work_orders,
    _open_major,
    _set_owner,
)
from complaintdesk.core.audit import audit
from complaintdesk.core.policies import policy_of
from complaintdesk.notify.notices import notice_send
from complaintdesk.policy.schema import ClockEvent


def complaint_escalate_system(*, complaint: Complaint, level: str, now: datetime, reason: str) -> None:
    policy = policy_of(complaint.policy_version)
    _apply_level(complaint, policy, level, actor=None, now=now, reason=reason)


def complaint_reassign_system(*, complaint: Complaint, to_user: Any, now: datetime, reason: str) -> None:
    before = complaint.owner.username
    _set_owner(complaint, to_user, by=None, reason=reason, now=now)
    complaint.version += 1
    complaint.updated_at = now
    complaint.save()
    audit(actor=None, action="complaint.handover", obj=complaint, complaint_number=complaint.number,
          before={"owner": before}, after={"owner": to_user.username, "reason": reason})
    notice_send(users=[to_user], complaint=complaint, kind="handover")


def complaint_open_major_system(*, complaint: Complaint, now: datetime, reason: str) -> None:
    _open_major(complaint, policy_of(complaint.policy_version), actor=None, now=now, reason=reason)


def complaint_close_system(*, complaint: Complaint, now: datetime, reason: str) -> None:
    """Close an open complaint for a policy reason (e.g. the customer stayed unreachable)."""
    before = complaint.status
    complaint.status = S.CLOSED
    complaint.closed_at = now
    complaint.outcome_reason = reason
    complaint.version += 1
    complaint.updated_at = now
    complaint.save()
    cancelled = _cancel_open_work_orders(complaint)
    audit(actor=None, action="complaint.close", obj=complaint, complaint_number=complaint.number,
          before={"status": before}, after={"status": S.CLOSED, "reason": reason,
                                            **({"work_orders_cancelled": cancelled} if cancelled else {})})
    timeline_add(complaint, "status_close", None, at=now, status=S.CLOSED, reason=reason, note="")
    clock_event(complaint=complaint, event=ClockEvent.CLOSED, at=now)
    policy = policy_of(complaint.policy_version)
    for hook in AFTER["close"]:
        hook(None, complaint, policy, ActionInput(reason=reason), now)


def complaint_reopen_system(*, complaint: Complaint, now: datetime, reason: str) -> None:
    before = complaint.status
    complaint.status = S.IN_PROGRESS
    complaint.closed_at = None
    complaint.outcome_reason = ""
    complaint.version += 1
    complaint.updated_at = now
    complaint.save()
    audit(actor=None, action="complaint.reopen", obj=complaint, complaint_number=complaint.number,
          before={"status": before}, after={"status": S.IN_PROGRESS, "reason": reason})
    timeline_add(complaint, "status_reopen", None, at=now, status=S.IN_PROGRESS, note=reason, reason=reason)
    clock_event(complaint=complaint, event=ClockEvent.REOPENED, at=now)
    policy = policy_of(complaint.policy_version)
    for hook in AFTER["reopen"]:
        hook(None, complaint, policy, ActionInput(note=reason), now)
