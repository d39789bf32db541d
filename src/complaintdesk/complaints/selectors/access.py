"""Which complaints a user may see, and loading one of them by number."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import can, has_role
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.core.errors import NotFound
from complaintdesk.policy.schema import Role
from complaintdesk.units.scope import scope_q


def visible_complaints(user: Any) -> QuerySet[Complaint]:
    """The complaints of the user's units (and the units below them): all of them for staff; for a
    department handler only those its department has work orders on. Every list, queue, search,
    report and page that shows complaints starts here (complaintdesk.units.scope)."""
    qs = Complaint.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if can(user, "complaint.view_all"):
        return qs.filter(scope_q(user))
    if has_role(user, Role.HANDLER) and user.department_id:
        return qs.filter(scope_q(user)).filter(
            pk__in=WorkOrder.objects.filter(department_id=user.department_id).values("complaint_id"))
    return qs.none()


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
