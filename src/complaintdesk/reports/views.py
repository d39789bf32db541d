"""Report pages: the monthly statistics (tables, Excel download) and the dashboard. The pages that
only read (``@reads_reports``) read from the reports' database when one is configured
(core/dbrouter.py)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaintdesk.accounts.models import Department
from complaintdesk.complaints.selectors.listing import ComplaintFilter, unit_problem
from complaintdesk.core.dbrouter import reads_reports, reports_rows
from complaintdesk.core.errors import ValidationFailed, error_text
from complaintdesk.core.i18n import current_language
from complaintdesk.core.pages import call_service
from complaintdesk.core.policies import active_policy
from complaintdesk.reports.access import may_view_accountability, may_view_reports
from complaintdesk.reports.api import XLSX
from complaintdesk.reports.exports import (
    CHUNK,
    Formatter,
    csv_stream,
    export_rows,
    export_title,
    list_filters,
    queue_filters,
    xlsx_file,
)
from complaintdesk.reports.models import ExportJob
from complaintdesk.reports.periods import month_of, parse_month
from complaintdesk.reports.regulator import cfpb_rows, cfpb_stream, fca_csv, fca_disp_return, parse_half
from complaintdesk.reports.scope import ReportScope, report_scope, unit_choices
from complaintdesk.reports.selectors.accountability import accountability
from complaintdesk.reports.selectors.dashboard import Filters, dashboard, parse_filters
from complaintdesk.reports.selectors.exports import export_job_of
from complaintdesk.reports.selectors.monthly import monthly_statistics
from complaintdesk.reports.selectors.public import public_results
from complaintdesk.reports.selectors.sla import work_order_performance
from complaintdesk.reports.services.exports import export_directory, export_job_start


@login_required
@require_GET
@reads_reports
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
    scope, unit_error = _scope(request)
    error = " ".join(part for part in (error, unit_error) if part)
    language = current_language()
    stats = monthly_statistics(policy, month, language=language, now=now, scope=scope)
    status = 422 if error else 200
    return render(request, "reports/monthly.html", {
        "stats": stats, "month": month.code, "error": error, "raw_month": raw or month.code,
        "departments": work_order_performance(month, now, language, scope),
        "unit": scope.code, "units": unit_choices(request.user), "unit_query": _unit_query(scope),
        "previous": month.previous().code, "next": month.next().code,
        "may_view_accountability": may_view_accountability(request.user),
        "half": f"{month.year}-H{1 if month.month <= 6 else 2}", "month_first": month.first_day,
        "month_last": month.last_day,
    }, status=status)


def _scope(request: HttpRequest) -> tuple[ReportScope, str]:
    """The reader's units, narrowed by ``?unit=<code>``; an unknown unit reads as all of them."""
    try:
        return report_scope(request.user, request.GET.get("unit", "")), ""
    except ValidationFailed as exc:
        return ReportScope(reader=request.user), error_text(exc)


def _unit_query(scope: ReportScope) -> str:
    return f"&unit={scope.code}" if scope.code else ""


def _dashboard_filters(request: HttpRequest) -> tuple[Any, Filters, str]:
    _version, policy = active_policy()
    now = timezone.now()
    try:
        return policy, parse_filters(request.GET, policy, now, request.user), ""
    except ValidationFailed as exc:
        return policy, parse_filters({}, policy, now, request.user), error_text(exc)


@login_required
@require_GET
@reads_reports
def dashboard_view(request: HttpRequest) -> HttpResponse:
    if not may_view_reports(request.user):
        raise DjangoPermissionDenied("dashboard")
    policy, filters, error = _dashboard_filters(request)
    language = current_language()
    charts = dashboard(policy, filters, now=timezone.now(), language=language)
    return render(request, "reports/dashboard.html", {
        "charts": charts, "filters": filters, "error": error, "query": urlencode(filters.as_query()),
        "levels": [(item.code, item.label.get(language)) for item in policy.levels_by_rank()[::-1]],
        "categories": [(item.code, item.label.get(language)) for item in policy.categories],
        "departments": [(d.code, d.name) for d in Department.objects.filter(active=True).order_by("code")],
        "units": unit_choices(request.user),
    }, status=422 if error else 200)


@login_required
@require_GET
@reads_reports
def dashboard_export_view(request: HttpRequest, chart: str) -> HttpResponse:
    """One chart's table as CSV (UTF-8 with a byte-order mark, so that Excel reads Chinese)."""
    if not may_view_reports(request.user):
        raise DjangoPermissionDenied("dashboard")
    policy, filters, error = _dashboard_filters(request)
    if error:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    charts = {c["code"]: c for c in dashboard(policy, filters, now=timezone.now(), language=current_language())}
    if chart not in charts:
        raise Http404(chart)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(charts[chart]["columns"])
    writer.writerows(charts[chart]["rows"])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart}-{filters.first}-{filters.last}.csv"'
    return response


# --- exports -----------------------------------------------------------------------------------


def _export(request: HttpRequest, filters: ComplaintFilter, name: str, fmt: str) -> HttpResponseBase:
    """Stream the export, or, past ``COMPLAINTDESK_EXPORT_STREAM_LIMIT`` rows, have the worker
    write it and show its progress."""
    _version, policy = active_policy()
    query = export_rows(request.user, filters)
    total = query.count()
    if total > settings.COMPLAINTDESK_EXPORT_STREAM_LIMIT:
        outcome = call_service(request, export_job_start, source=name, params=request.GET.dict(), fmt=fmt,
                               language=current_language(), total=total)
        if outcome.ok:
            return redirect("export-job", outcome.value.pk)
    formatter = Formatter(policy, current_language())
    rows = query.iterator(chunk_size=CHUNK)
    stamp = timezone.now().astimezone(ZoneInfo(policy.timezone)).strftime("%Y%m%d-%H%M")
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(csv_stream(rows, formatter),
                                                           content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    title = export_title(name, policy, current_language())
    return FileResponse(xlsx_file(rows, formatter, title), as_attachment=True, filename=filename, content_type=XLSX)


def _own_job(request: HttpRequest, job_id: int) -> ExportJob:
    """The export job, only for the user who asked for it (anyone else: not found)."""
    job = export_job_of(request.user, job_id)
    if job is None:
        raise Http404("export")
    return job


def _job_context(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """The export job's page and its polled fragment: the job, and how long its file is kept."""
    return {"job": _own_job(request, job_id), "file_days": settings.COMPLAINTDESK_EXPORT_FILE_DAYS}


@login_required
@require_GET
def export_job_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """A large export being written: its progress bar, polled, then the download link."""
    return render(request, "reports/export_job.html", _job_context(request, job_id))


@login_required
@require_GET
def export_job_status_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress fragment the export page polls (htmx); it stops polling once the file is ready."""
    return render(request, "reports/_export_progress.html", _job_context(request, job_id))


@login_required
@require_GET
def export_job_file_view(request: HttpRequest, job_id: int) -> HttpResponseBase:
    job = _own_job(request, job_id)
    if job.state != ExportJob.State.DONE or not job.file_name:
        raise Http404("export")
    path = export_directory() / job.file_name
    if not path.is_file():
        raise Http404("export")
    stamp = job.created_at.astimezone(ZoneInfo(active_policy()[1].timezone)).strftime("%Y%m%d-%H%M")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{job.source}-{stamp}.{job.fmt}",
                        content_type=XLSX if job.fmt == "xlsx" else "text/csv; charset=utf-8")


@login_required
@require_GET
def complaint_export_view(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The complaint list with the list page's filters (status, level, category, channel, owner,
    complete, due, q), as ``csv`` or ``xlsx``."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404(fmt)
    filters = list_filters(request.GET)
    if unit_problem(request.user, filters.unit):  # left out, as the list page leaves it out
        filters = replace(filters, unit="")
    return _export(request, filters, "complaints", fmt)


@login_required
@require_GET
def queue_export_view(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """A work queue (mine, soon, overdue, level-<code>) as ``csv`` or ``xlsx``."""
    _version, policy = active_policy()
    filters = queue_filters(kind, policy)
    if filters is None or fmt not in {"csv", "xlsx"}:
        raise Http404(kind)
    return _export(request, filters, f"queue-{kind}", fmt)


@login_required
@require_GET
@reads_reports
def accountability_view(request: HttpRequest) -> HttpResponse:
    """Valid judgements per staff member and team, with appeals and their outcomes, for a month."""
    if not may_view_accountability(request.user):
        raise DjangoPermissionDenied("accountability")
    _version, policy = active_policy()
    tz = ZoneInfo(policy.timezone)
    month = month_of(timezone.now(), tz)
    raw = request.GET.get("month", "").strip()
    error = ""
    if raw:
        try:
            month = parse_month(raw, tz)
        except ValidationFailed as exc:
            error = error_text(exc)
    scope, unit_error = _scope(request)
    error = " ".join(part for part in (error, unit_error) if part)
    return render(request, "reports/accountability.html", {
        "data": accountability(month, current_language(), scope), "month": month.code, "error": error,
        "unit": scope.code, "units": unit_choices(request.user),
        "previous": month.previous().code, "next": month.next().code,
    }, status=422 if error else 200)


# --- public results ------------------------------------------------------------------------------


@require_GET
@reads_reports
def public_results_view(request: HttpRequest) -> HttpResponse:
    """The published monthly results (no login); only when the policy publishes results, and only
    for months that are over."""
    _version, policy = active_policy()
    if policy.publication is None:
        raise Http404("publication")
    tz = ZoneInfo(policy.timezone)
    now = timezone.now()
    language = request.GET.get("lang", "") if request.GET.get("lang", "") in {"zh-hans", "en"} else ""
    with translation.override(language or current_language()):
        month = month_of(now, tz).previous()
        error = ""
        raw = request.GET.get("month", "").strip()
        if raw:
            try:
                month = parse_month(raw, tz)
            except ValidationFailed as exc:
                error = error_text(exc)
            else:
                if month.end > now:
                    error = _("Results are published once the month is over.")
                    month = month_of(now, tz).previous()
        data = public_results(policy, month, now=now, language=current_language())
        return render(request, "reports/public_results.html", {
            "data": data, "error": error, "previous": month.previous().code,
            "next": month.next().code if month.next().end <= now else "",
        }, status=422 if error else 200)


# --- regulator returns ---------------------------------------------------------------------------


@login_required
@require_GET
@reads_reports
def fca_disp_view(request: HttpRequest) -> HttpResponse:
    """``?half=YYYY-H1|H2``: the FCA DISP-shaped return as CSV."""
    if not may_view_reports(request.user):
        raise DjangoPermissionDenied("reports")
    _version, policy = active_policy()
    try:
        half = parse_half(request.GET.get("half", ""), ZoneInfo(policy.timezone))
    except ValidationFailed as exc:
        return HttpResponse(error_text(exc), status=422, content_type="text/plain; charset=utf-8")
    scope, unit_error = _scope(request)
    if unit_error:
        return HttpResponse(unit_error, status=422, content_type="text/plain; charset=utf-8")
    body = fca_csv(fca_disp_return(policy, half, current_language(), scope), half)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fca-disp-{half.code}.csv"'
    return response


@login_required
@require_GET
@reads_reports
def cfpb_view(request: HttpRequest) -> HttpResponseBase:
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD``: complaints received in the period, CFPB-style, streamed."""
    if not may_view_reports(request.user):
        raise DjangoPermissionDenied("reports")
    policy, filters, error = _dashboard_filters(request)
    if error:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    rows = cfpb_rows(policy, filters.first, filters.last, timezone.now(), filters.scope)
    response = StreamingHttpResponse(reports_rows(cfpb_stream(rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cfpb-{filters.first}-{filters.last}.csv"'
    return response
