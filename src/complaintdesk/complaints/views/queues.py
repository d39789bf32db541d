"""The work queues: my complaints, due soon, overdue, one level; and the supervision page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from complaintdesk.accounts.roles import OVERSEEING_ROLES, has_role
from complaintdesk.clocks.selectors import SOON, next_due, remaining
from complaintdesk.complaints import display
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import visible_complaints
from complaintdesk.complaints.selectors.listing import ComplaintFilter, complaint_list
from complaintdesk.complaints.selectors.supervision import (
    major_complaints,
    supervised_complaints,
    supervised_levels,
)
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.policies import active_policy, policy_of

QUEUES = {
    "mine": (gettext_lazy("My complaints"), ComplaintFilter(owner="me", status="open")),
    "soon": (gettext_lazy("Due soon"), ComplaintFilter(due="soon")),
    "overdue": (gettext_lazy("Overdue"), ComplaintFilter(due="overdue")),
}


QUEUE_PAGE = 50


def _rows(complaints: list[Complaint]) -> list[dict[str, Any]]:
    """Each complaint with its earliest running deadline, counted down in working time."""
    due = next_due([c.pk for c in complaints])
    now = timezone.now()
    out = []
    for complaint in complaints:
        row = display.summary(complaint)
        clock = due.get(complaint.pk)
        if clock is not None:
            policy = policy_of(complaint.policy_version)
            definition = next((d for d in policy.clocks if d.code == clock.code), None)
            working = bool(definition and definition.duration.is_working)
            row["deadline"] = {
                "label": definition.label.get(_lang()) if definition else clock.code,
                "view": BadgeView(remaining(policy, clock, now, working), working, clock.due_at <= now,
                                   clock.warned_at is not None, clock.due_at),
                "due_at": clock.due_at,
            }
        row["waiting_on"] = complaint.waiting_on
        row["major"] = complaint.major_opened_at is not None
        out.append(row)
    return out


class BadgeView:
    status = "running"
    paused = False
    breached_at = None

    def __init__(self, seconds: int, working: bool, overdue: bool, warned: bool, due_at: Any = None) -> None:
        self.due_at = due_at
        self.remaining_seconds = seconds
        self.working = working
        self.overdue = overdue
        self.warned = warned


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
    qs = complaint_list(request.user, filters).select_related("policy_version")
    if kind in {"soon", "overdue"}:
        qs = qs.exclude(status__in=["closed", "rejected", "withdrawn"])
    page_text = request.GET.get("page", "1")
    page = int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1
    complaints = list(qs[(page - 1) * QUEUE_PAGE : page * QUEUE_PAGE + 1])
    context = {
        "title": title, "kind": kind, "rows": _rows(complaints[:QUEUE_PAGE]),
        "page": page, "has_next": len(complaints) > QUEUE_PAGE,
        "levels": [(lv.code, lv.label.get(_lang())) for lv in policy.levels_by_rank()],
        "queues": [(key, label) for key, (label, _f) in QUEUES.items()],
    }
    template = "complaints/_queue_rows.html" if request.headers.get("HX-Request") else "complaints/queue.html"
    return render(request, template, context)


@login_required
def supervision_view(request: HttpRequest) -> HttpResponse:
    """Complaints at the levels this user supervises, and the open major-complaint teams."""
    levels = supervised_levels(request.user)
    if not levels and not has_role(request.user, *OVERSEEING_ROLES):
        raise DjangoPermissionDenied("supervision")
    _version, policy = active_policy()
    supervised = list(supervised_complaints(request.user)[:200])
    majors = list(major_complaints()[:100])
    visible = set(visible_complaints(request.user).filter(pk__in=[c.pk for c in majors]).values_list("pk", flat=True))
    return render(request, "complaints/supervision.html", {
        "levels": [display.label_of(policy.levels, code) for code in levels],
        "rows": _rows(supervised),
        "majors": _rows([c for c in majors if c.pk in visible]),
    })


def soon_window_hours() -> int:
    return int(SOON.total_seconds() // 3600)
