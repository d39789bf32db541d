"""The import page for administrators: upload a register, see what was imported and refused, and
download the Excel report of refused rows (stored under the uploads directory, served only to
administrators)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import can, has_role
from complaintdesk.core.errors import DomainError, error_text
from complaintdesk.integrations.importer import ImportFileError, complaints_import, error_report
from complaintdesk.policy.schema import Role
from complaintdesk.units.scope import colleagues_q

MAX_IMPORT = 50 * 1024 * 1024
# the page imports within the request, one process (about 1,500-1,900 rows a second, docs/performance.md,
# "Import"): a larger file would outlive the web server's worker timeout (30-60 s) and be cut off
# after some batches were committed, the person seeing an error; the command has no such limit
MAX_PAGE_ROWS = 20_000


def may_import(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def _reports() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _owners(actor: Any) -> list[Any]:
    """Who may own the imported complaints: people of the importing user's units who register."""
    users = User.objects.filter(is_active=True).filter(colleagues_q(actor)).distinct().order_by("username")
    return [user for user in users if can(user, "complaint.register")]


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise DjangoPermissionDenied(_("Only administrators import registers."))
    context: dict[str, Any] = {"owners": _owners(request.user), "error": "", "result": None, "report": "",
                               "max_rows": MAX_PAGE_ROWS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        owner = User.objects.filter(username=request.POST.get("owner", ""), is_active=True).first()
        mapping = {}
        for line in request.POST.get("mapping", "").splitlines():
            heading, sep, path = line.partition("=")
            if sep:
                mapping[heading.strip()] = path.strip()
        if upload is None:
            context["error"] = _("Choose a .xlsx or .csv file.")
        elif (upload.size or 0) > MAX_IMPORT:
            context["error"] = _("The file is larger than 50 MB; import it with the complaintdesk import command.")
        elif owner is None:
            context["error"] = _("Choose the user who will own the imported complaints.")
        else:
            try:
                result = complaints_import(actor=request.user, owner=owner, path=Path(upload.name or "register"),
                                           content=upload.read(), mapping=mapping,
                                           dry_run=bool(request.POST.get("dry_run")), max_rows=MAX_PAGE_ROWS)
            except ImportFileError as exc:
                context["error"] = str(exc)
            except DomainError as exc:
                context["error"] = error_text(exc)
            else:
                context["result"] = result
                if result.refused:
                    token = secrets.token_hex(16)
                    (_reports() / f"{token}.xlsx").write_bytes(error_report(result))
                    context["report"] = token
        context["owner"] = request.POST.get("owner", "")
        context["mapping"] = request.POST.get("mapping", "")
    return render(request, "integrations/import.html", context, status=422 if context["error"] else 200)


@login_required
def import_report_view(request: HttpRequest, token: str) -> FileResponse:
    if not may_import(request.user):
        raise DjangoPermissionDenied(_("Only administrators import registers."))
    path = _reports() / f"{token}.xlsx"
    if not token.isalnum() or not path.is_file():
        raise Http404(_("This report does not exist."))
    return FileResponse(path.open("rb"), as_attachment=True, filename="refused-rows.xlsx")
