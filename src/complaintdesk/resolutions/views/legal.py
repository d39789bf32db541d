"""The legal panel of the complaint page and its actions: consultation (or urgent phone call and the
form afterwards), legal's advice, the settlement agreement, the outcome report."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import SUPERVISING_ROLES, has_role
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.durations import duration_text
from complaintdesk.core.errors import NotFound, PermissionDenied
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.pages import complaint_page, run_service
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.schema import Legal, Role
from complaintdesk.resolutions import display
from complaintdesk.resolutions.models import LegalConsultation, SettlementAgreement
from complaintdesk.resolutions.services import agreement_record, legal_advise, legal_file, legal_report, legal_request


def field_specs(legal: Legal) -> list[dict[str, Any]]:
    out = []
    for fact in legal.consultation_fields:
        out.append({"code": fact.code, "label": fact.label.get(_lang()), "type": fact.type.value,
                    "required": fact.required,
                    "options": [(o.code, o.label.get(_lang())) for o in fact.options]})
    return out


def legal_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    policy = policy_of(complaint.policy_version)
    if policy.legal is None:
        return None
    user = request.user
    view = display.legal_view(complaint, policy)
    return {
        "complaint": complaint,
        "legal": view,
        "fields": field_specs(policy.legal),
        "kinds": [{"code": k.code, "label": k.label.get(_lang()), "written": k.written}
                  for k in policy.legal.agreement_kinds],
        "is_owner": complaint.owner_id == user.pk or has_role(user, *SUPERVISING_ROLES, at=complaint),
        "is_legal": has_role(user, Role.LEGAL, at=complaint),
        "may_report": bool(view["consultations"]) and view["report"] is None
        and complaint.status in (Complaint.Status.RESOLVED, Complaint.Status.CLOSED),
        "urgent_within": duration_text(policy.legal.urgent_filing_within),
        "report_within": duration_text(policy.legal.outcome_report_within),
    }


def _fields(post: QueryDict, prefix: str = "field-") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in post:
        if key.startswith(prefix):
            value = post.get(key, "")
            if value != "":
                out[key.removeprefix(prefix)] = value
    return out


@login_required
@require_POST
def legal_request_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    phoned = post.get("phoned") == "on"
    success = _("Urgent consultation recorded; file the form afterwards.") if phoned else \
        _("Consultation form sent to legal.")
    return run_service(request, legal_request, back=complaint_page(number, "legal"), success=success, number=number,
                       fields=_fields(post), phoned=phoned, phone_note=post.get("phone_note", ""))


def _consultation_number(consultation_id: int) -> str:
    consultation = LegalConsultation.objects.select_related("complaint").filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404
    return consultation.complaint.number


@login_required
@require_POST
def legal_file_view(request: HttpRequest, consultation_id: int) -> HttpResponse:
    return run_service(request, legal_file, back=complaint_page(_consultation_number(consultation_id), "legal"),
                       success=_("Consultation form filed."), consultation_id=consultation_id,
                       fields=_fields(request.POST))


@login_required
@require_POST
def legal_advise_view(request: HttpRequest, consultation_id: int) -> HttpResponse:
    fault = {"yes": True, "no": False}.get(request.POST.get("company_at_fault", ""))
    return run_service(request, legal_advise, back=complaint_page(_consultation_number(consultation_id), "legal"),
                       success=_("Advice recorded."), consultation_id=consultation_id,
                       advice=request.POST.get("advice", ""), company_at_fault=fault)


@login_required
@require_POST
def agreement_record_view(request: HttpRequest, number: str) -> HttpResponse:
    return run_service(request, agreement_record, back=complaint_page(number, "legal"),
                       success=_("Settlement agreement recorded."), number=number, kind=request.POST.get("kind", ""),
                       terms=request.POST.get("terms", ""), file=request.FILES.get("file"))


@login_required
@require_POST
def legal_report_view(request: HttpRequest, number: str) -> HttpResponse:
    return run_service(request, legal_report, back=complaint_page(number, "legal"),
                       success=_("Outcome reported to legal."), number=number, text=request.POST.get("text", ""))


@login_required
def agreement_file_view(request: HttpRequest, agreement_id: int) -> FileResponse:
    agreement = SettlementAgreement.objects.select_related("complaint").filter(pk=agreement_id).first()
    if agreement is None or not agreement.file:
        raise Http404
    try:
        access_complaint(request.user, agreement.complaint.number)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    response = FileResponse(agreement.file.open("rb"), content_type=agreement.content_type, as_attachment=True,
                            filename=agreement.file_name or "agreement")
    response["X-Content-Type-Options"] = "nosniff"
    return response
