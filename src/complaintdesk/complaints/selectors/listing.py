"""The filtered, scoped complaint list behind the list page, the queues and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from complaintdesk.clocks.selectors import with_due_soon, with_overdue
from complaintdesk.complaints.contact_index import complaint_ids_for
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import visible_complaints
from complaintdesk.policy.rules import normalise_text


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
        qs = with_overdue(qs)
    elif filters.due == "soon":
        qs = with_due_soon(qs)
    if filters.q.strip():
        # the search text holds the number too; one LIKE lets PostgreSQL use its trigram index.
        # Contact data is not in it: an exact phone, e-mail, IMEI or account matches its keyed digest.
        term = filters.q.strip()
        qs = qs.filter(Q(search_text__contains=normalise_text(term)) | Q(pk__in=complaint_ids_for(term)))
    return qs.order_by("-registered_at", "-id")
