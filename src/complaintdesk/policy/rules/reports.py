"""Reporting periods: which period a periodic report covers and the day it is due (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from complaintdesk.policy.schema import WEEKDAYS, Report


@dataclass(frozen=True)
class ReportPeriod:
    """A reporting period (``start`` and ``end`` inclusive) and the day its report is due."""

    start: date
    end: date
    due: date


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def report_period(report: Report, day: date) -> ReportPeriod:
    """The period of ``report`` that contains ``day`` and the date its report is due.

    Daily reports are due the next day. A weekly report due on a weekday (``every: monday``)
    covers the seven days before that weekday. Monthly and longer reports cover calendar months,
    quarters, half-years or years and are due by day ``by_day`` of the following month, or on the
    period's last day when ``by_day`` is not set.
    """
    if report.every == "day":
        return ReportPeriod(day, day, day + timedelta(days=1))
    if report.every in WEEKDAYS:
        weekday = WEEKDAYS.index(report.every)
        due = day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)
        return ReportPeriod(due - timedelta(days=7), due - timedelta(days=1), due)
    months = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[report.every]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    after = _add_months(start, months)
    end = after - timedelta(days=1)
    due = end if report.by_day is None else after.replace(day=report.by_day)
    return ReportPeriod(start, end, due)
