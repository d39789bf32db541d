"""REST endpoints of the reports: the monthly statistics (JSON and Excel) and SLA compliance.
Thin: parse the month, check the reader, call one selector (its reads on the reports' database:
core/dbrouter.py), render."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router

from complaintdesk.complaints.api.responses import ERRORS
from complaintdesk.core.dbrouter import reports_reads
from complaintdesk.core.i18n import current_language
from complaintdesk.core.policies import active_policy
from complaintdesk.reports.access import require_report_reader
from complaintdesk.reports.excel import monthly_workbook
from complaintdesk.reports.periods import Month, month_of, parse_month
from complaintdesk.reports.schemas import MonthlyReportOut, SlaReportOut
from complaintdesk.reports.scope import report_scope
from complaintdesk.reports.selectors.monthly import monthly_statistics
from complaintdesk.reports.selectors.sla import sla_report

router = Router(tags=["reports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(value: str) -> tuple[Any, Month]:
    _version, policy = active_policy()
    tz = ZoneInfo(policy.timezone)
    month = parse_month(value, tz) if value.strip() else month_of(timezone.now(), tz)
    return policy, month


@router.get("/reports/monthly", response={200: MonthlyReportOut, **ERRORS}, summary="Monthly classification statistics")
def monthly(request: HttpRequest, month: str = "", unit: str = "") -> dict[str, Any]:
    """``month=YYYY-MM`` (default: this month), in the policy's time zone: counts by level,
    target, category, channel, department, validity, responsibility, reason and root cause at every
    level and product model; opened, closed, open at the end; deadlines met per clock; satisfaction;
    cost by kind against the budget; per unit (``units``). Only the complaints of the reader's
    units; ``unit=<code>``: that unit and everything below it. Definitions: docs/reports.md."""
    require_report_reader(request.user)
    policy, period = _month(month)
    scope = report_scope(request.user, unit)
    with reports_reads():
        return monthly_statistics(policy, period, language=current_language(), scope=scope)


@router.get("/reports/monthly.xlsx", response={200: None, **ERRORS}, summary="Monthly statistics as Excel")
def monthly_xlsx(request: HttpRequest, month: str = "", unit: str = "") -> HttpResponse:
    """The same figures as ``/reports/monthly`` (same ``unit`` filter), one formatted sheet per
    dimension and one by unit, headers in the caller's language."""
    require_report_reader(request.user)
    policy, period = _month(month)
    with reports_reads():
        stats = monthly_statistics(policy, period, language=current_language(),
                                   scope=report_scope(request.user, unit))
    body = monthly_workbook(stats, organisation=policy.organisation.get(current_language()))
    response = HttpResponse(body, content_type=XLSX)
    suffix = f"-{unit.strip()}" if stats["unit"] else ""
    response["Content-Disposition"] = f'attachment; filename="complaints-{period.code}{suffix}.xlsx"'
    return response


@router.get("/reports/sla", response={200: SlaReportOut, **ERRORS}, summary="SLA compliance of a month")
def sla(request: HttpRequest, month: str = "", unit: str = "") -> dict[str, Any]:
    """Per clock, the deadlines due in the month: met, breached, still running, paused, extended;
    per department, the work orders due in the month answered in time or late; per unit, every
    deadline together. The reader's units only; ``unit=<code>``: that unit and below."""
    require_report_reader(request.user)
    policy, period = _month(month)
    with reports_reads():
        return sla_report(policy, period, language=current_language(), scope=report_scope(request.user, unit))
