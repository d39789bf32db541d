"""The work queues: new (registered, not yet accepted), my complaints, due soon, overdue, one
level; accepting from the new queue; and the supervision page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import OVERSEEING_ROLES, has_role
from complaintdesk.clocks.selectors import SOON, BadgeView, next_due
from complaintdesk.complaints import display
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.models.complaint import FINISHED_STATUSES
from complaintdesk.complaints.selectors.access import visible_complaints
from complaintdesk.complaints.selectors.listing import QUEUE_NAMES, ComplaintFilter, complaint_list
from complaintdesk.complaints.selectors.rows import ComplaintRow, complaint_rows
from complaintdesk.complaints.selectors.supervision import (
    major_complaints,
    supervised_complaints,
    supervised_levels,
)
from complaintdesk.complaints.services.actions import complaint_accept
from complaintdesk.complaints.services.lifecycle import ACCEPTING_ROLES
from complaintdesk.core.calendars import schedule_for
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.pages import run_service
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.worktime.countdown import countdown

QUEUES = {
    "new": (QUEUE_NAMES["new"], ComplaintFilter(status="registered")),
    "mine": (QUEUE_NAMES["mine"], ComplaintFilter(owner="me", status="open")),
    "soon": (QUEUE_NAMES["soon"], ComplaintFilter(due="soon")),
    "overdue": (QUEUE_NAMES["overdue"], ComplaintFilter(due="overdue")),
}


QUEUE_PAGE = 50


def _rows(complaints: Sequence[Complaint | ComplaintRow]) -> list[dict[str, Any]]:
    """Each complaint with its earliest running deadline, counted down in working time (the policy's
    schedule and clock definitions looked up once per policy version, not once per row)."""
    due = next_due([c.pk for c in complaints])
    now = timezone.now()
    lang = _lang()
    schedules: dict[int, Any] = {}
    url = display.detail_url_maker()
    out = []
    for complaint in complaints:
        policy = policy_of(complaint.policy_version)
        row = display.summary(complaint, policy)
        row["url"] = url(complaint.number)
        clock = due.get(complaint.pk)
        if clock is not None:
            definition = next((d for d in policy.clocks if d.code == clock.code), None)
            working = bool(definition and definition.duration.is_working)
            schedule = schedules.get(complaint.policy_version_id)
            if schedule is None:
                schedule = schedules[complaint.policy_version_id] = schedule_for(policy)
            row["deadline"] = {
                "label": definition.label.get(lang) if definition else clock.code,
                "view": BadgeView(countdown(schedule, now, clock.due_at, working=working), clock.warned_at is not None,
                                  clock.due_at),
                "due_at": clock.due_at,
            }
        row["waiting_on"] = complaint.waiting_on
        row["major"] = complaint.major_opened_at is not None
        out.append(row)
    return out


@login_required
def queue_view(request: HttpRequest, kind: str) -> HttpResponse:
    _version, policy = active_policy()
    level_code = ""
    title: Any
    if kind in QUEUES:
        title, filters = QUEUES[kind]
    elif kind.startswith("level-"):
        level_code = kind.removeprefix("level-")
        try:
            level = policy.level(level_code)
        except KeyError as exc:
            raise Http404 from exc
        title = str(level.label.get(_lang()))
        filters = ComplaintFilter(level=level_code, status="open")
    else:
        raise Http404
    qs = complaint_list(request.user, filters)
    if kind in {"soon", "overdue"}:
        qs = qs.exclude(status__in=FINISHED_STATUSES)
    if kind == "new":
        qs = qs.order_by("registered_at", "id")  # the longest waiting first
    page_text = request.GET.get("page", "1")
    page = int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1
    complaints = complaint_rows(qs, (page - 1) * QUEUE_PAGE, page * QUEUE_PAGE + 1)
    context = {
        "title": title, "kind": kind, "rows": _rows(complaints[:QUEUE_PAGE]),
        "page": page, "has_next": len(complaints) > QUEUE_PAGE,
        "levels": [(lv.code, lv.label.get(_lang())) for lv in policy.levels_by_rank()],
        "queues": [(key, label) for key, (label, _f) in QUEUES.items()],
        "may_accept": kind == "new" and has_role(request.user, *ACCEPTING_ROLES),
    }
    template = "complaints/_queue_rows.html" if request.headers.get("HX-Request") else "complaints/queue.html"
    return render(request, template, context)


@login_required
@require_POST
def queue_accept_view(request: HttpRequest, number: str) -> HttpResponse:
    """Accept a complaint from the new queue and come back to the queue, with the outcome in the
    banner (refused while facts are missing: the complaint's page says which)."""
    return run_service(request, complaint_accept, back=reverse("complaint-queue", args=["new"]), number=number,
                       success=gettext("Complaint %(number)s accepted; you own it now.") % {"number": number})


@login_required
def supervision_view(request: HttpRequest) -> HttpResponse:
    """Complaints at the levels this user supervises, and the open major-complaint teams."""
    levels = supervised_levels(request.user)
    if not levels and not has_role(request.user, *OVERSEEING_ROLES):
        raise DjangoPermissionDenied("supervision")
    _version, policy = active_policy()
    supervised = list(supervised_complaints(request.user)[:200])
    majors = list(major_complaints(request.user)[:100])
    visible = set(visible_complaints(request.user).filter(pk__in=[c.pk for c in majors]).values_list("pk", flat=True))
    return render(request, "complaints/supervision.html", {
        "levels": [display.label_of(policy.levels, code) for code in levels],
        "rows": _rows(supervised),
        "majors": _rows([c for c in majors if c.pk in visible]),
    })


NEW_BADGE_LIMIT = 99


def new_count(user: Any) -> int | str:
    """The navigation badge: complaints registered and not yet accepted (status index), counted up to
    NEW_BADGE_LIMIT: beyond it the badge says "99+" — every page shows the badge, and counting thousands
    of waiting complaints at a million cost tens of milliseconds a page."""
    waiting = visible_complaints(user).filter(status=Complaint.Status.REGISTERED).order_by()
    counted = waiting[: NEW_BADGE_LIMIT + 1].count()
    return f"{NEW_BADGE_LIMIT}+" if counted > NEW_BADGE_LIMIT else counted


def soon_window_hours() -> int:
    return int(SOON.total_seconds() // 3600)
