"""The filtered, scoped complaint list behind the list page, the queues and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.clocks.selectors import with_due_soon, with_overdue
from complaintdesk.complaints.contact_index import complaint_ids_for
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.complaints.models.complaint import FINISHED_STATUSES
from complaintdesk.complaints.selectors.access import visible_complaints
from complaintdesk.core.errors import FieldProblem, ValidationFailed
from complaintdesk.core.names import name_variants
from complaintdesk.core.policies import active_policy
from complaintdesk.policy.rules import normalise_text
from complaintdesk.units.models import Unit
from complaintdesk.units.scope import units_in_scope


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
    department: str = ""  # a department code: complaints with a work order to it
    registered_from: date | None = None  # local dates, both ends included
    registered_to: date | None = None
    sort: str = ""  # one of SORTS; default newest first
    unit: str = ""  # a unit's code: complaints of that unit and the units below it


DUE_STATES = ("overdue", "soon")

# the work queues by name, as the console and their exports call them
QUEUE_NAMES = {"new": gettext_lazy("New complaints"), "mine": gettext_lazy("My complaints"),
               "soon": gettext_lazy("Due soon"), "overdue": gettext_lazy("Overdue")}

# the list's orders: each walks an index (registered, reply due) or a small set (level)
SORTS: dict[str, tuple[str, ...]] = {
    "-registered": ("-registered_at", "-id"),
    "registered": ("registered_at", "id"),
    "reply_due": ("reply_due_at", "id"),
    "-reply_due": ("-reply_due_at", "-id"),
    "level": ("level", "-registered_at", "-id"),
}


def unit_in_scope(user: Any, code: str) -> Unit | None:
    """The unit with this code if the user reaches it, else None (unknown and out of scope alike)."""
    code = code.strip()
    return next((unit for unit in units_in_scope(user) if unit.code == code), None)


def unit_problem(user: Any, code: str) -> str | None:
    """Why ``code`` cannot filter this user's list, or None if it can (an empty code never filters)."""
    if not code.strip() or unit_in_scope(user, code) is not None:
        return None
    return _("There is no unit %(code)s among your units.") % {"code": code.strip()}


def complaint_list(user: Any, filters: ComplaintFilter) -> QuerySet[Complaint]:
    """The user's complaints (visible_complaints) narrowed by the filters. A unit filter the user
    cannot use is refused (422 on ``unit``): out of scope reads like unknown."""
    qs = visible_complaints(user).select_related("customer", "owner", "unit")
    if filters.unit.strip():
        unit = unit_in_scope(user, filters.unit)
        if unit is None:
            raise ValidationFailed([FieldProblem("unit", unit_problem(user, filters.unit) or "")])
        qs = qs.filter(unit__path__startswith=unit.path)
    if filters.status:
        statuses = [s for s in filters.status.split(",") if s]
        open_only = statuses == ["open"]
        qs = qs.exclude(status__in=FINISHED_STATUSES) if open_only else qs.filter(status__in=statuses)
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
        qs = qs.filter(_text_matches(term) | Q(pk__in=complaint_ids_for(term)))
    if filters.department:
        qs = qs.filter(pk__in=WorkOrder.objects.filter(department__code=filters.department).values("complaint_id"))
    if filters.registered_from or filters.registered_to:
        _version, policy = active_policy()
        zone = ZoneInfo(policy.timezone)
        if filters.registered_from:
            qs = qs.filter(registered_at__gte=datetime.combine(filters.registered_from, time.min, zone))
        if filters.registered_to:
            qs = qs.filter(registered_at__lt=datetime.combine(filters.registered_to + timedelta(days=1), time.min,
                                                              zone))
    return qs.order_by(*SORTS.get(filters.sort, SORTS["-registered"]))


def _text_matches(query: str) -> Q:
    """The text as typed, and a person's name in its other order or without a title ("王晓梅",
    "Wang Mei", "Ms Wang" find a customer stored as given name 晓梅 / Mei, family name 王 / Wang)."""
    condition = Q(search_text__contains=normalise_text(query.strip()))
    for variant in name_variants(query):
        condition |= Q(search_text__contains=normalise_text(variant))
    return condition


def _date(params: QueryDict, name: str, label: str, errors: dict[str, str]) -> date | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = _("%(field)s: “%(value)s” is not a date (YYYY-MM-DD).") % {"field": label, "value": text}
        return None


def filters_from(params: QueryDict) -> tuple[ComplaintFilter, dict[str, str]]:
    """The list's filters from a query string, and a message for each field that cannot be read
    (that filter is then left out, the rest still apply)."""
    errors: dict[str, str] = {}
    start = _date(params, "from", _("Registered from"), errors)
    end = _date(params, "to", _("Registered until"), errors)
    if start and end and end < start:
        errors["to"] = _("Registered until: the end date is before the start date.")
        end = None
    sort = params.get("sort", "")
    due = params.get("due", "")
    return ComplaintFilter(
        status=params.get("status", ""), level=params.get("level", ""), category=params.get("category", ""),
        channel=params.get("channel", ""), owner=params.get("owner", ""),
        complete={"yes": True, "no": False}.get(params.get("complete", "")),
        due=due if due in DUE_STATES else "", q=params.get("q", ""), department=params.get("department", ""),
        registered_from=start, registered_to=end, sort=sort if sort in SORTS else "",
        unit=params.get("unit", "").strip(),
    ), errors


COUNT_LIMIT = 1000


def complaint_count(qs: QuerySet[Complaint]) -> tuple[int, bool]:
    """How many complaints the list holds: exact up to COUNT_LIMIT, else (COUNT_LIMIT, True) meaning
    "more than" — counting a bounded slice never scans the whole table."""
    counted = qs.order_by()[: COUNT_LIMIT + 1].count()
    return min(counted, COUNT_LIMIT), counted > COUNT_LIMIT
