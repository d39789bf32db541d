"""Reads of complaints, scoped by what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import can, has_role
from complaintdesk.complaints.contact_index import complaint_ids_for
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.core.errors import NotFound, PermissionDenied
from complaintdesk.policy.rules import normalise_text
from complaintdesk.policy.schema import Role


def visible_complaints(user: Any) -> QuerySet[Complaint]:
    """Every complaint for staff; for a department handler only the complaints its department has
    work orders on."""
    qs = Complaint.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if can(user, "complaint.view_all"):
        return qs
    if has_role(user, Role.HANDLER) and user.department_id:
        return qs.filter(pk__in=WorkOrder.objects.filter(department_id=user.department_id).values("complaint_id"))
    return qs.none()


def access_complaint(user: Any, number: str, *, for_update: bool = False) -> Complaint:
    qs = visible_complaints(user).select_related("customer", "product", "owner", "registered_by",
                                                 "policy_version")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    complaint = qs.filter(number=number).first()
    if complaint is None:
        if Complaint.objects.filter(number=number).exists():
            raise PermissionDenied(_("You may not see complaint %(number)s.") % {"number": number})
        raise NotFound(_("There is no complaint %(number)s.") % {"number": number})
    return complaint


@dataclass(frozen=True)
class ComplaintFilter:
    status: str = ""
    level: str = ""
    category: str = ""
    channel: str = ""
    owner: str = ""  # "me" or a username
    complete: bool | None = None
    due: str = ""  # "overdue" | "soon"
    q: str = ""


def complaint_list(user: Any, filters: ComplaintFilter) -> QuerySet[Complaint]:
    qs = visible_complaints(user).select_related("customer", "owner")
    if filters.status:
        statuses = [s for s in filters.status.split(",") if s]
        if statuses == ["open"]:
            qs = qs.exclude(status__in=["closed", "rejected", "withdrawn"])
        else:
            qs = qs.filter(status__in=statuses)
    if filters.level:
        qs = qs.filter(level__in=filters.level.split(","))
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.owner == "me":
        qs = qs.filter(owner=user)
    elif filters.owner:
        qs = qs.filter(owner__username=filters.owner)
    if filters.complete is not None:
        qs = qs.filter(complete=filters.complete)
    if filters.due == "overdue":
        from complaintdesk.clocks.selectors import with_overdue

        qs = with_overdue(qs)
    elif filters.due == "soon":
        from complaintdesk.clocks.selectors import with_due_soon

        qs = with_due_soon(qs)
    if filters.q.strip():
        # the search text holds the number too; one LIKE lets PostgreSQL use its trigram index.
        # Contact data is not in it: an exact phone, e-mail, IMEI or account matches its keyed digest.
        term = filters.q.strip()
        qs = qs.filter(Q(search_text__contains=normalise_text(term)) | Q(pk__in=complaint_ids_for(term)))
    return qs.order_by("-registered_at", "-id")


def mask_phone(value: str) -> str:
    if not value:
        return ""
    digits = value.lstrip("+")
    if value.startswith("+86") and len(digits) == 13:
        local = digits[2:]
        return f"{local[:3]}****{local[-4:]}"
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:4]}****{value[-4:]}"


def mask_email(value: str) -> str:
    if not value or "@" not in value:
        return value
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_imei(value: str) -> str:
    if not value:
        return ""
    return f"{value[:4]}*******{value[-4:]}"


def mask_account(value: str) -> str:
    if len(value) <= 2:
        return value
    return f"{value[:2]}***"
