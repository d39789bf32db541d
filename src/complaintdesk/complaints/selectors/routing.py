"""The work order the policy proposes for a complaint: the department responsible for its root cause
(or, before the root cause is known, for its reason), else for its category
(``rules.responsible_department``; ``reasons.tree[].department``, ``categories[].department``), due
by that department's ``work_order_due`` from now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.utils import timezone

from complaintdesk.accounts.models import Department
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.policies import policy_of
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Duration, Text

Basis = Literal["root_cause", "reason", "category"]
# a complaint is routed once it is accepted; a resolved one still, for its root cause
ROUTED_STATUSES = frozenset({Complaint.Status.ACCEPTED, Complaint.Status.IN_PROGRESS, Complaint.Status.RESOLVED})


@dataclass(frozen=True)
class Proposal:
    department: str
    label: Text
    basis: Basis
    duration: Duration
    due_at: datetime
    provisional: bool


def responsible_for(complaint: Complaint) -> tuple[str, Basis] | None:
    """The responsible department's code and what named it, or None when the policy names none."""
    policy = policy_of(complaint.policy_version)
    path = list(complaint.root_cause or complaint.reason_codes or [])
    by_reason = rules.responsible_department(policy, reason=path)
    if by_reason is not None:
        return by_reason, "root_cause" if complaint.root_cause else "reason"
    by_category = rules.responsible_department(policy, category=complaint.category)
    return (by_category, "category") if by_category is not None else None


def proposed_work_order(complaint: Complaint, *, now: datetime | None = None) -> Proposal | None:
    """The proposal for an accepted complaint, or None: before acceptance, after its end, when the
    policy names no department (or it is not set up), or when a work order to that department is
    already open or answered."""
    if complaint.status not in ROUTED_STATUSES:
        return None
    found = responsible_for(complaint)
    if found is None:
        return None
    code, basis = found
    if not Department.objects.filter(code=code, active=True).exists():
        return None
    if complaint.work_orders.filter(department__code=code, kind=WorkOrder.Kind.COMPLAINT,
                                    status__in=[WorkOrder.Status.OPEN, WorkOrder.Status.ANSWERED]).exists():
        return None
    policy = policy_of(complaint.policy_version)
    definition = policy.department(code)
    deadline = add_duration(policy, now or timezone.now(), definition.work_order_due)
    return Proposal(department=code, label=definition.label, basis=basis, duration=definition.work_order_due,
                    due_at=deadline.due_at, provisional=deadline.provisional)
