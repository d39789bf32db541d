"""What the clock engine learns about a work order's clock (subject ``work_order:<id>``)."""

from __future__ import annotations

from datetime import datetime

from complaintdesk.clocks.subjects import SubjectKind, subject_register
from complaintdesk.complaints.models import WorkOrder
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.schema import Duration, Policy


def work_order_duration(policy: Policy, order_id: int, default: Duration) -> Duration:
    """A work order's clock runs on its department's deadline (urgent or normal)."""
    order = WorkOrder.objects.select_related("department").filter(pk=order_id).first()
    if order is None:
        return default
    try:
        department = policy.department(order.department.code)
    except KeyError:
        return default
    return department.urgent_due if order.urgent and department.urgent_due else department.work_order_due


def work_order_label(order_id: int) -> str:
    order = WorkOrder.objects.select_related("department").filter(pk=order_id).first()
    return "" if order is None else f"{order.number} · {order.department.name}"


def work_order_department(order_id: int) -> int | None:
    return WorkOrder.objects.filter(pk=order_id).values_list("department_id", flat=True).first()


def work_orders_recompute_provisional(now: datetime) -> int:
    """Recompute the provisional due times of open work orders whose year the calendar now knows."""
    count = 0
    for order in (WorkOrder.objects.select_for_update(of=("self",)).filter(due_provisional=True, status="open")
                  .select_related("complaint", "complaint__policy_version", "department")):
        policy = policy_of(order.complaint.policy_version)
        try:
            department = policy.department(order.department.code)
        except KeyError:
            continue
        duration = department.urgent_due if order.urgent and department.urgent_due else department.work_order_due
        deadline = add_duration(policy, order.created_at, duration)
        if not deadline.provisional:
            WorkOrder.objects.filter(pk=order.pk).update(due_at=deadline.due_at, due_provisional=False)
            count += 1
    return count


def register() -> None:
    subject_register("work_order", SubjectKind(duration=work_order_duration, department=work_order_department,
                                               label=work_order_label,
                                               recompute=work_orders_recompute_provisional))
