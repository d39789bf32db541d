"""SLA compliance of one month: each policy clock (deadlines due in the month) and each
department's work orders (due in the month): met, breached, still running, paused, extended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from complaintdesk.accounts.models import Department
from complaintdesk.policy.schema import Policy
from complaintdesk.reports.periods import Period
from complaintdesk.reports.scope import EVERYTHING, ReportScope
from complaintdesk.reports.selectors.common import rate
from complaintdesk.reports.selectors.daily import FACT, Line
from complaintdesk.reports.selectors.monthly import by_tree_path, clock_table, days_of, units_named
from complaintdesk.reports.selectors.summary import Reading


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


def unit_clock_rows(lines: Sequence[Line], language: str) -> list[dict[str, Any]]:
    """Per unit (of the clocks' complaints), every clock due in the period together: due, met,
    breached, still running and the on-time rate (the same reading as the monthly deadlines)."""
    figures: dict[int, list[int]] = {}
    for line in lines:
        if line.fact == FACT.CLOCK and line.unit_id is not None:
            found = figures.setdefault(int(line.unit_id), [0, 0, 0, 0])
            for index, value in enumerate((line.count, line.met, line.breached, line.running)):
                found[index] += value
    names = units_named(list(figures))
    zh = language.startswith("zh")
    rows = sorted(((*names[pk], pk) for pk in figures if pk in names), key=by_tree_path)
    out = []
    for code, name_zh, name_en, path, pk in rows:
        due, met, breached, running = figures[pk]
        out.append({"code": code, "label": name_zh if zh else name_en, "depth": path.count("/") - 2, "due": due,
                    "met": met, "breached": breached, "running": running, "on_time_rate": rate(met, met + breached)})
    return out


def sla_report(policy: Policy, month: Period, *, language: str, now: datetime | None = None,
               scope: ReportScope = EVERYTHING) -> dict[str, Any]:
    now = now or timezone.now()
    first, last = days_of(month)
    reading = Reading(month.tz, first, last, now, facts=[FACT.CLOCK, FACT.WORK_ORDER], q=scope.complaints)
    by_unit = reading.lines("code", "unit_id")
    return {
        "month": month.code,
        "timezone": str(month.tz),
        "start": month.start,
        "end": month.end,
        "unit": scope.as_dict(),
        "clocks": clock_table(policy, reading.lines("code"), language),
        "departments": work_order_table(by_unit, language),
        "units": unit_clock_rows(by_unit, language),
    }
