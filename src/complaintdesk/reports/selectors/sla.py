"""SLA compliance of one month: each policy clock (deadlines due in the month) and each
department's work orders (due in the month): met, breached, still running, paused, extended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from complaintdesk.accounts.models import Department
from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import WorkOrder
from complaintdesk.policy.schema import Policy
from complaintdesk.reports.periods import Period
from complaintdesk.reports.scope import EVERYTHING, ReportScope
from complaintdesk.reports.selectors.common import rate
from complaintdesk.reports.selectors.daily import FACT, Line
from complaintdesk.reports.selectors.monthly import ACTIVE_CLOCK, by_tree_path, clocks, days_of
from complaintdesk.reports.selectors.summary import Reading

W = WorkOrder.Status


def work_order_performance(month: Period, now: datetime, language: str,
                           scope: ReportScope = EVERYTHING) -> list[dict[str, Any]]:
    """Per department: the work orders due in the month (see :func:`work_order_rows`), from the
    daily summary (decision 0009)."""
    first, last = days_of(month)
    reading = Reading(month.tz, first, last, now, facts=[FACT.WORK_ORDER], q=scope.complaints)
    return work_order_table(reading.lines("code"), language)


def work_order_table(lines: Sequence[Line], language: str) -> list[dict[str, Any]]:
    """Per department (by code) of the work-order lines: due, met, breached, running, on-time rate."""
    figures: dict[str, list[int]] = {}
    for line in lines:
        if line.fact == FACT.WORK_ORDER:
            found = figures.setdefault(str(line.code), [0, 0, 0, 0])
            for index, value in enumerate((line.count, line.met, line.breached, line.running)):
                found[index] += value
    names = {code: (zh, en) for code, zh, en in
             Department.objects.filter(code__in=list(figures)).values_list("code", "name_zh", "name_en")}
    zh = language.startswith("zh")
    return [{"code": code, "label": names.get(code, (code, code))[0 if zh else 1], "due": due, "met": met,
             "breached": breached, "running": running, "on_time_rate": rate(met, met + breached)}
            for code, (due, met, breached, running) in sorted(figures.items())]


def work_order_rows(start: datetime, end: datetime, now: datetime, language: str,
                    complaints: Q | None = None) -> list[dict[str, Any]]:
    """Per department: work orders due in ``[start, end)``, cancelled ones left out; answered in
    time (replied at or before the due time), late (replied after it, or open past it), open before
    their due time. ``complaints`` filters the work orders' complaints."""
    late = Q(replied_at__gt=F("due_at")) | Q(replied_at__isnull=True, status=W.OPEN, due_at__lt=now)
    queryset = WorkOrder.objects.filter(due_at__gte=start, due_at__lt=end).exclude(status=W.CANCELLED)
    if complaints is not None:
        queryset = queryset.filter(complaints)
    rows = (queryset.values_list("department__code", "department__name_zh", "department__name_en")
            .annotate(due=Count("id"),
                      met=Count("id", filter=Q(replied_at__isnull=False, replied_at__lte=F("due_at"))),
                      breached=Count("id", filter=late),
                      running=Count("id", filter=Q(replied_at__isnull=True, status=W.OPEN, due_at__gte=now)))
            .order_by("department__code"))
    zh = language.startswith("zh")
    return [{"code": code, "label": name_zh if zh else name_en, "due": due, "met": met, "breached": breached,
             "running": running, "on_time_rate": rate(met, met + breached)}
            for code, name_zh, name_en, due, met, breached, running in rows]


def unit_clock_rows(start: datetime, end: datetime, now: datetime, language: str,
                    complaints: Q | None = None) -> list[dict[str, Any]]:
    """Per unit (of the clocks' complaints), every clock due in ``[start, end)`` together: due, met,
    breached, still running and the on-time rate (the same reading as the monthly deadlines)."""
    late = (Q(breached_at__isnull=False) | Q(stopped_at__gt=F("due_at"))
            | Q(status__in=ACTIVE_CLOCK, due_at__lt=now))
    queryset = Clock.objects.filter(due_at__gte=start, due_at__lt=end).exclude(status=Clock.Status.CANCELLED)
    if complaints is not None:
        queryset = queryset.filter(complaints)
    names = ("complaint__unit__code", "complaint__unit__name_zh", "complaint__unit__name_en",
             "complaint__unit__path")
    rows = (queryset.values_list(*names)
            .annotate(due=Count("id"),
                      met=Count("id", filter=Q(stopped_at__isnull=False, stopped_at__lte=F("due_at"),
                                               breached_at__isnull=True)),
                      breached=Count("id", filter=late),
                      running=Count("id", filter=Q(status__in=ACTIVE_CLOCK, due_at__gte=now,
                                                   breached_at__isnull=True)))
            .values_list(*names, "due", "met", "breached", "running").order_by())
    zh = language.startswith("zh")
    return [{"code": code, "label": name_zh if zh else name_en, "depth": path.count("/") - 2, "due": due,
             "met": met, "breached": breached, "running": running, "on_time_rate": rate(met, met + breached)}
            for code, name_zh, name_en, path, due, met, breached, running in sorted(rows, key=by_tree_path)]


def sla_report(policy: Policy, month: Period, *, language: str, now: datetime | None = None,
               scope: ReportScope = EVERYTHING) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "month": month.code,
        "timezone": str(month.tz),
        "start": month.start,
        "end": month.end,
        "unit": scope.as_dict(),
        "clocks": clocks(policy, month, now, language, scope),
        "departments": work_order_performance(month, now, language, scope),
        "units": unit_clock_rows(month.start, month.end, now, language, scope.complaints("complaint__")),
    }
