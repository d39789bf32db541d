"""Reads of transfers."""

from __future__ import annotations

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.schema import ClockEvent
from complaintdesk.transfers.models import Transfer


def transfer_of(complaint: Complaint) -> Transfer | None:
    return Transfer.objects.filter(complaint=complaint).first()


def transfer_clocks(complaint: Complaint) -> list[Clock]:
    """The complaint's clocks started by its transfer (the transferring body's deadline)."""
    codes = [c.code for c in policy_of(complaint.policy_version).clocks if c.starts == ClockEvent.TRANSFERRED]
    return list(Clock.objects.filter(complaint=complaint, code__in=codes).order_by("started_at", "id"))
