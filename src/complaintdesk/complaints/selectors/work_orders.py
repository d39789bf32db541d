"""Reads for a department's work orders."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from complaintdesk.accounts.roles import OVERSEEING_ROLES, has_role
from complaintdesk.complaints.models import Attachment, WorkOrder
from complaintdesk.core.errors import NotFound, PermissionDenied
from complaintdesk.core.policies import active_policy
from complaintdesk.policy.schema import Role
from complaintdesk.units.scope import scope_q


def work_order_inbox(user: Any, *, status: str = "open", department: str = "") -> QuerySet[WorkOrder]:
    """The work orders of the user's units: urgent first, then by level (most severe first), then by
    due time. Where the policy in force says ``work_order_priority: high`` complaint work orders come
    before the departments' other work (requests for information) whatever their due time."""
    qs = (WorkOrder.objects.filter(scope_q(user, "complaint__unit"))
          .select_related("complaint", "department", "created_by", "replied_by"))
    if has_role(user, *OVERSEEING_ROLES) and department:
        qs = qs.filter(department__code=department)
    elif has_role(user, Role.HANDLER) and user.department_id:
        qs = qs.filter(department_id=user.department_id)
    elif not has_role(user, *OVERSEEING_ROLES):
        raise PermissionDenied("work orders")
    if status and status != "all":
        qs = qs.filter(status__in=status.split(","))
    _version, policy = active_policy()
    rank = Case(*[When(complaint__level=level.code, then=Value(level.rank)) for level in policy.levels],
                default=Value(0), output_field=IntegerField())
    complaints_first = policy.work_order_priority == "high"
    kind_order = Case(When(kind=WorkOrder.Kind.COMPLAINT, then=Value(0)), default=Value(1 if complaints_first else 0),
                      output_field=IntegerField())
    return qs.annotate(kind_order=kind_order, level_rank=rank).order_by("kind_order", "-urgent", "-level_rank",
                                                                        "due_at", "id")


def work_order_of(user: Any, order_id: int, *, for_update: bool = False) -> WorkOrder:
    """One work order of a complaint in the user's units; any other answers as one that does not
    exist (404)."""
    qs = WorkOrder.objects.filter(scope_q(user, "complaint__unit")).select_related(
        "complaint", "complaint__owner", "complaint__unit", "department")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    order = qs.filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("There is no work order %(id)s.") % {"id": order_id})
    return order


def order_attachments(order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The attachments of these work orders as a work order's view lists them (name and id), by
    order, in one query of three columns (no query when there is no order)."""
    out: dict[int, list[dict[str, Any]]] = {order_id: [] for order_id in order_ids}
    if order_ids:
        rows = (Attachment.objects.filter(work_order_id__in=order_ids).order_by("id")
                .values_list("work_order_id", "name", "id"))
        for order_id, name, pk in rows:
            out[order_id].append({"name": name, "id": pk})
    return out
