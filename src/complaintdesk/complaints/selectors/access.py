"""Which complaints a user may see, and loading one of them by number."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import CAPABILITIES
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.core.errors import NotFound
from complaintdesk.policy.schema import Role
from complaintdesk.units.scope import held


def visible_complaints(user: Any) -> QuerySet[Complaint]:
    """The complaints of the user's units (and the units below them), each unit read with the roles
    held there: all of them where the user holds a staff role; where the user is a department
    handler only those its department has work orders on. Every list, queue, search, report and
    page that shows complaints starts here (complaintdesk.units.scope)."""
    qs = Complaint.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    staff = {role.value for role in CAPABILITIES["complaint.view_all"]}
    seen: set[str] = set()
    handled: set[str] = set()
    for row in held(user):
        if row.role in staff:
            seen.add(row.path)
        elif row.role == Role.HANDLER.value and user.department_id:
            handled.add(row.path)
    condition = Q(pk__in=[])
    for path in _tops(seen):
        condition |= Q(unit__path__startswith=path)
    if handled - seen:
        orders = WorkOrder.objects.filter(department_id=user.department_id).values("complaint_id")
        for path in _tops(handled):
            condition |= Q(unit__path__startswith=path, pk__in=orders)
    return qs.filter(condition)


def _tops(paths: set[str]) -> list[str]:
    """The paths without those inside another one of them."""
    out: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(top) for top in out):
            out.append(path)
    return out


def access_complaint(user: Any, number: str, *, for_update: bool = False) -> Complaint:
    """The complaint if the user may see it. A complaint outside the user's scope is answered
    exactly like one that does not exist (404, same message), so that its number's existence is not
    revealed."""
    qs = visible_complaints(user).select_related("customer", "product", "owner", "registered_by",
                                                 "policy_version")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    complaint = qs.filter(number=number).first()
    if complaint is None:
        raise NotFound(_("There is no complaint %(number)s.") % {"number": number})
    return complaint
