"""Report pages: the monthly statistics (tables, Excel download) and the dashboard."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from complaintdesk.core.errors import ValidationFailed, error_text
from complaintdesk.core.i18n import current_language
from complaintdesk.core.policies import active_policy
from complaintdesk.reports.access import may_view_reports
from complaintdesk.reports.periods import month_of, parse_month
from complaintdesk.reports.selectors.monthly import monthly_statistics
from complaintdesk.reports.selectors.sla import work_order_performance


@login_required
@require_GET
def report_monthly_view(request: HttpRequest) -> HttpResponse:
    if not may_view_reports(request.user):
        raise DjangoPermissionDenied("reports")
    _version, policy = active_policy()
    tz = ZoneInfo(policy.timezone)
    now = timezone.now()
    error = ""
    month = month_of(now, tz)
    raw = request.GET.get("month", "").strip()
    if raw:
        try:
            month = parse_month(raw, tz)
        except ValidationFailed as exc:
            error = error_text(exc)
    language = current_language()
    stats = monthly_statistics(policy, month, language=language, now=now)
    status = 422 if error else 200
    return render(request, "reports/monthly.html", {
        "stats": stats, "month": month.code, "error": error, "raw_month": raw or month.code,
        "departments": work_order_performance(month, now, language),
        "previous": month.previous().code, "next": month.next().code,
    }, status=status)
