"""The privacy requests page (/privacy/), for the administrator and the legal department: find a
person by an exact contact value or a complaint number, see what is held, download the export (JSON,
Excel), place and release legal holds, erase after a confirmation naming what will be erased, and
the retention reports. Every step calls the privacy services; contact data travels in POST bodies
and the session, never in a URL."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaintdesk.accounts.roles import can
from complaintdesk.core.errors import DomainError, ValidationFailed, error_text
from complaintdesk.core.pages import call_service
from complaintdesk.privacy import selectors, services
from complaintdesk.privacy.export import export_workbook, person_export

SESSION_KEY = "privacy_person"  # the person being answered: {"contact": …, "number": …}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request: HttpRequest) -> None:
    if not can(request.user, "privacy.answer"):
        raise DjangoPermissionDenied(_("Only the administrator and the legal department answer privacy requests."))


def _person(request: HttpRequest) -> dict[str, str]:
    person = request.session.get(SESSION_KEY) or {}
    return {"contact": str(person.get("contact", "")), "number": str(person.get("number", ""))}


def _problems(exc: ValidationFailed) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in exc.problems:
        out.setdefault(problem.field, []).append(str(problem.message))
    return out


def _found(request: HttpRequest, person: dict[str, str]) -> tuple[list[Any], dict[str, Any] | None]:
    """The person's complaints and what is held about them (the export document: viewing it is
    audited like an export)."""
    if not (person["contact"] or person["number"]):
        return [], None
    complaints = services.person_complaints(actor=request.user, **person)
    document = person_export(actor=request.user, complaints=complaints) if complaints else None
    return complaints, document


@login_required
@require_GET
def privacy_view(request: HttpRequest) -> HttpResponse:
    _require(request)
    return _page(request, _person(request), errors={})


def _page(request: HttpRequest, person: dict[str, str], errors: dict[str, list[str]], status: int = 200,
          confirm: bool = False) -> HttpResponse:
    complaints: list[Any] = []
    document: dict[str, Any] | None = None
    if not (errors.keys() & {"contact", "number"}):  # a search refused has nothing to show
        try:
            complaints, document = _found(request, person)
        except ValidationFailed as exc:
            errors = {**errors, **_problems(exc)}
        except DomainError as exc:
            messages.error(request, error_text(exc))
    erased = selectors.erased_ids(complaints)
    held_numbers = {hold.complaint.number for hold in selectors.holds_in_force(request.user)}
    rows = [{"complaint": c, "held": c.number in held_numbers, "erased": c.pk in erased} for c in complaints]
    details = {entry["number"]: entry for entry in (document or {}).get("complaints", [])}
    for row in rows:
        row["held_data"] = details.get(row["complaint"].number)
    to_erase = [row for row in rows if not row["erased"]]
    return render(request, "privacy/privacy.html", {
        "person": person, "errors": errors, "rows": rows, "searched": bool(person["contact"] or person["number"]),
        "holds": list(selectors.holds_in_force(request.user)), "runs": selectors.retention_runs(),
        "rules": selectors.retention_rules(),
        "confirm": confirm, "to_erase": to_erase, "blocked": [row for row in to_erase if row["held"]],
    }, status=status)


@login_required
@require_POST
def privacy_search_view(request: HttpRequest) -> HttpResponse:
    _require(request)
    if request.POST.get("clear"):
        request.session.pop(SESSION_KEY, None)
        return redirect("privacy")
    person = {"contact": request.POST.get("contact", "").strip(), "number": request.POST.get("number", "").strip()}
    try:
        services.person_complaints(actor=request.user, **person)
    except ValidationFailed as exc:
        return _page(request, person, errors=_problems(exc), status=422)
    request.session[SESSION_KEY] = person
    return redirect("privacy")


@login_required
@require_POST
def privacy_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    _require(request)
    try:
        complaints = services.person_complaints(actor=request.user, **_person(request))
    except ValidationFailed as exc:  # nobody found yet: back to the search, which names the field
        messages.error(request, error_text(exc))
        return redirect("privacy")
    document = person_export(actor=request.user, complaints=complaints)
    if fmt == "xlsx":
        response = HttpResponse(export_workbook(document), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="privacy-export.xlsx"'
        return response
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="privacy-export.json"'
    return response


@login_required
@require_POST
def privacy_hold_view(request: HttpRequest) -> HttpResponse:
    _require(request)
    call_service(request, services.hold_place, number=request.POST.get("number", ""),
                 reason=request.POST.get("reason", ""), success=_("The legal hold is in force."))
    return redirect("privacy")


@login_required
@require_POST
def privacy_release_view(request: HttpRequest, hold_id: int) -> HttpResponse:
    _require(request)
    call_service(request, services.hold_release, hold_id=hold_id, reason=request.POST.get("reason", ""),
                 success=_("The legal hold is released."))
    return redirect("privacy")


@login_required
@require_POST
def privacy_erase_view(request: HttpRequest) -> HttpResponse:
    """First the confirmation naming what will be erased; erased only once confirmed."""
    _require(request)
    person = _person(request)
    if request.POST.get("confirmed") != "1":
        return _page(request, person, errors={}, confirm=True)
    try:
        outcome = call_service(
            request, services.person_erase, reraise=(ValidationFailed,), reason=request.POST.get("reason", ""),
            success=lambda done: _("Erased the personal data of %(count)s complaint(s).") % {"count": len(done)},
            **person)
    except ValidationFailed as exc:
        return _page(request, person, errors=_problems(exc), status=422, confirm=True)
    return redirect("privacy") if outcome.ok else _page(request, person, errors={}, confirm=True)
