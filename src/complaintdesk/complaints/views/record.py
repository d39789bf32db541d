"""Staff pages for the complaint record: the list, the detail page, revealing contact data,
amending the registration and downloading an attachment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import can
from complaintdesk.complaints import display
from complaintdesk.complaints.forms import amendment_from_post, fact_fields
from complaintdesk.complaints.models import Attachment
from complaintdesk.complaints.panels import render_context as render_panels
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.services import complaint_amend
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.policies import policy_of
from complaintdesk.units.scope import scope_q

PAGE_SIZE = 25


def load_complaint(request: HttpRequest, number: str, *, for_update: bool = False) -> Any:
    try:
        return access_complaint(request.user, number, for_update=for_update)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc


# --- detail ----------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, complaint: Any, *, reveal: bool = False,
                    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> dict[str, Any]:
    policy = policy_of(complaint.policy_version)
    data = display.detail(complaint, request.user, reveal=reveal)
    lang = _lang()
    level = policy.level(complaint.level)
    facts_values = {f"facts.{k}": v for k, v in complaint.facts.items()}
    facts_values.update({f"missing_notes.{k}": v for k, v in complaint.missing_notes.items()})
    facts_values.update(values or {})
    return {
        "c": data,
        "complaint": complaint,
        "policy": policy,
        "level_color": level.color,
        "level_definition": level.definition.get(lang),
        "can_amend": can(request.user, "complaint.amend", at=complaint) and complaint.is_open,
        "can_reveal": can(request.user, "customer.reveal", at=complaint),
        "revealed": reveal,
        "errors": errors or {},
        "fact_fields": fact_fields(policy, complaint.category, facts_values, errors or {}, lang,
                                   channel=complaint.channel),
        "levels": [(lv.code, lv.label.get(lang)) for lv in policy.levels_by_rank()],
        "registered": request.GET.get("registered") == "1",
        "now": timezone.now(),
        "panels": render_panels(request, complaint),
    }


@login_required
def complaint_detail_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = load_complaint(request, number)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


@login_required
@require_POST
def complaint_reveal_view(request: HttpRequest, number: str) -> HttpResponse:
    """htmx: show the contact data unmasked to a role that may see it; audited."""
    complaint = load_complaint(request, number)
    if not can(request.user, "customer.reveal", at=complaint):
        raise DjangoPermissionDenied("reveal")
    with transaction.atomic():
        audit(actor=request.user, action="customer.reveal", obj=complaint.customer,
              complaint_number=complaint.number, after={"via": "web"})
    return render(request, "complaints/_customer.html", _detail_context(request, complaint, reveal=True))


@login_required
@require_POST
def complaint_amend_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = load_complaint(request, number)
    version_text = request.POST.get("version", "")
    try:
        complaint_amend(actor=request.user, number=number, data=amendment_from_post(request.POST),
                        expected_version=int(version_text) if version_text.isdigit() else None)
    except ValidationFailed as exc:
        errors = {p.field: str(p.message) for p in exc.problems}
        values = {k: v for k, v in request.POST.items() if k.startswith(("facts.", "missing_notes."))}
        context = _detail_context(request, complaint, errors=errors, values=values)
        context["amend_error"] = str(exc.message)
        return render(request, "complaints/detail.html", context, status=422)
    except DomainError as exc:
        context = _detail_context(request, complaint)
        context["amend_error"] = str(exc.message)
        return render(request, "complaints/detail.html", context, status=exc.status)
    messages.success(request, _("Complaint %(number)s amended.") % {"number": number})
    return redirect("complaint-detail", number=number)


@login_required
def attachment_view(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = (Attachment.objects.filter(scope_q(request.user, "complaint__unit")).select_related("complaint")
                  .filter(pk=attachment_id).first())
    if attachment is None:
        raise Http404
    try:
        access_complaint(request.user, attachment.complaint.number)
    except (NotFound, PermissionDenied) as exc:
        raise Http404 from exc
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, as_attachment=True,
                            filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
