"""Pieces shared by the resolution services: money, months, clocks with the plan's tiers and the
legal fact, availability of approvers, and notices to staff in their own language."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from complaintdesk.accounts.roles import SUPERVISING_ROLES, has_role
from complaintdesk.accounts.roles import role_label as role_label  # where the resolutions read it
from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.services import ACTIVE, clock_stop
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import Conflict, PermissionDenied
from complaintdesk.resolutions.models import LegalConsultation, Plan

CENT = Decimal("0.01")


def money(amount: Decimal, currency: str) -> str:
    return f"{amount.quantize(CENT):,} {currency}"


def require_owner(actor: Any, complaint: Complaint) -> None:
    if actor is None or (complaint.owner_id != actor.pk and not has_role(actor, *SUPERVISING_ROLES, at=complaint)):
        raise PermissionDenied(gettext_lazy("Only the owner or a supervisor may do this."))


def require_open(complaint: Complaint) -> None:
    if not complaint.is_open:
        raise Conflict(gettext_lazy("Complaint %(number)s is %(status)s; no further work can be recorded on it.")
                       % {"number": complaint.number, "status": complaint.get_status_display()})


# --- clocks ----------------------------------------------------------------------------------


def complaint_tiers(complaint: Complaint) -> frozenset[str]:
    return frozenset(t for t in Plan.objects.filter(complaint=complaint).exclude(
        state__in=[Plan.State.SUPERSEDED, Plan.State.CANCELLED]).values_list("tier", flat=True) if t)


def legal_consulted(complaint: Complaint) -> bool:
    return LegalConsultation.objects.filter(complaint=complaint).exists()


def clocks_cancel(*, complaint: Complaint, subject: str, at: datetime) -> int:
    """Cancel the running clocks of one object (an approval that no longer needs a decision)."""
    count = 0
    for clock in Clock.objects.select_for_update().filter(complaint=complaint, subject=subject, status__in=ACTIVE):
        clock_stop(clock, at, Clock.Status.CANCELLED)
        count += 1
    return count


def running_due(complaint_id: int, subject: str) -> datetime | None:
    clock = (Clock.objects.filter(complaint_id=complaint_id, subject=subject, status__in=ACTIVE)
             .order_by("due_at").first())
    return clock.due_at if clock else None
