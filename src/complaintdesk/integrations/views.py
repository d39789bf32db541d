"""The import page for administrators: upload a register, which the worker imports while the
page shows its progress (integrations/import_jobs.py); then what was imported and refused, and the
Excel report of refused rows (kept under ``<var>/imports/``, served only to the administrator who
uploaded the file)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import can, has_role
from complaintdesk.core.errors import DomainError, PermissionDenied, error_text
from complaintdesk.core.i18n import current_language
from complaintdesk.integrations.import_jobs import (
    MAX_UPLOAD,
    TOO_LARGE,
    import_job_of,
    import_job_start,
    import_jobs_of,
    import_report_path,
)
from complaintdesk.integrations.models import ImportJob
from complaintdesk.policy.schema import Role
from complaintdesk.units.scope import colleagues_q

# the import jobs listed under the form
RECENT = 10


def may_import(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def _owners(actor: Any) -> list[Any]:
    """Who may own the imported complaints: people of the importing user's units who register."""
    users = User.objects.filter(is_active=True).filter(colleagues_q(actor)).distinct().order_by("username")
    return [user for user in users if can(user, "complaint.register")]


def _admin(request: HttpRequest) -> None:
    if not may_import(request.user):
        raise DjangoPermissionDenied(_("Only administrators import registers."))


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    _admin(request)
    context: dict[str, Any] = {"owners": _owners(request.user), "error": "", "max_mb": MAX_UPLOAD // (1024 * 1024),
                               "jobs": import_jobs_of(request.user, RECENT)}
    if request.method == "POST":
        upload = request.FILES.get("file")
        owner = User.objects.filter(username=request.POST.get("owner", ""), is_active=True).first()
        mapping, malformed = {}, []
        for line in request.POST.get("mapping", "").splitlines():
            heading, sep, path = line.partition("=")
            if sep:
                mapping[heading.strip()] = path.strip()
            elif line.strip():
                malformed.append(line.strip())
        if malformed:
            context["error"] = _("Column mapping: write one HEADING=FIELD a line (e.g. Tel=customer.phone), "
                                 "not %(lines)s.") % {"lines": ", ".join(f"“{line}”" for line in malformed)}
        elif upload is not None and (upload.size or 0) > MAX_UPLOAD:  # not read into memory to be refused
            context["error"] = str(TOO_LARGE)
        else:
            try:
                job = import_job_start(actor=request.user, owner=owner,
                                       file_name=(upload.name or "") if upload is not None else "",
                                       content=upload.read() if upload is not None else b"", mapping=mapping,
                                       dry_run=bool(request.POST.get("dry_run")), language=current_language(),
                                       again=bool(request.POST.get("again")))
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                context["error"] = error_text(exc)
            else:
                return redirect("import-job", job.pk)
        context["owner"] = request.POST.get("owner", "")
        context["mapping"] = request.POST.get("mapping", "")
        context["again"] = bool(request.POST.get("again"))
    return render(request, "integrations/import.html", context, status=422 if context["error"] else 200)


def _own_job(request: HttpRequest, job_id: int) -> ImportJob:
    """The import job, only for the administrator who uploaded the file (anyone else: not found)."""
    _admin(request)
    job = import_job_of(request.user, job_id)
    if job is None:
        raise Http404(_("This import does not exist."))
    return job


def _job_context(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return {"job": _own_job(request, job_id), "report_days": settings.COMPLAINTDESK_IMPORT_REPORT_DAYS}


@login_required
@require_GET
def import_job_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """A register being imported by the worker: its progress, polled, then the summary and the report."""
    return render(request, "integrations/import_job.html", _job_context(request, job_id))


@login_required
@require_GET
def import_job_status_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress fragment the import page polls (htmx); it stops polling once the import ends."""
    return render(request, "integrations/_import_progress.html", _job_context(request, job_id))


@login_required
@require_GET
def import_report_view(request: HttpRequest, job_id: int) -> FileResponse:
    job = _own_job(request, job_id)
    path = import_report_path(job)
    if path is None:
        raise Http404(_("This report does not exist."))
    stem = job.file_name.rsplit(".", 1)[0] or "register"
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{stem}-refused.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
