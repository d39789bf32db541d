"""The public portal's pages: no login; both languages; phone-sized screens first. A customer opens
their complaint with a one-time code, and the session then holds that complaint (and only that one)
for a limited time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import DomainError, FieldProblem, ValidationFailed, error_text
from complaintdesk.core.i18n import current_language
from complaintdesk.core.policies import active_policy
from complaintdesk.policy.schema import Policy
from complaintdesk.portal import forms, letters, ratelimit, selectors, services
from complaintdesk.portal.uploads import file_response
from complaintdesk.units.models import Unit
from complaintdesk.units.policies import unit_policy

ACCESS = "portal_access"
PENDING = "portal_pending"


def _lang() -> str:
    return "en" if current_language().startswith("en") else "zh-hans"


def _errors(exc: ValidationFailed) -> dict[str, str]:
    out: dict[str, str] = {}
    for problem in exc.problems:
        out[problem.field] = f"{out[problem.field]} {problem.message}" if problem.field in out else str(problem.message)
    return out


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/message.html", {
        "title": _("Too many requests"),
        "text": _("You have sent too many requests. Please wait an hour, or call us."),
    }, status=429)


def _grant(request: HttpRequest, complaint: Complaint) -> None:
    minutes = int(settings.COMPLAINTDESK_PORTAL["session_minutes"])
    access = dict(request.session.get(ACCESS, {}))
    access[complaint.number] = (timezone.now() + timedelta(minutes=minutes)).isoformat()
    request.session[ACCESS] = access


class Locked(Exception):
    """The session holds no code for this complaint (or it ran out)."""


def _allowed(request: HttpRequest, number: str) -> Complaint:
    """The complaint the session was opened for; anything else is 'not found' (never 'forbidden',
    which would confirm that the number exists)."""
    until = request.session.get(ACCESS, {}).get(number)
    if not until or datetime.fromisoformat(until) <= timezone.now():
        raise Locked(number)
    complaint = selectors.complaint_by_number(number)
    if complaint is None:
        raise Locked(number)
    return complaint


def _locked(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/message.html", {
        "title": _("Enter a code first"),
        "text": _("To see a complaint, enter its number and your phone under “Follow my complaint”; we send you "
                  "a one-time code."),
        "track": True,
    }, status=404)


def customer_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Pages of one complaint: without a valid code in the session the customer is asked for one."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except Locked:
            return _locked(request)

    return wrapped


@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    _version, policy = active_policy()
    return render(request, "portal/home.html", {"organisation": policy.organisation.get(_lang()),
                                                "open": services.web_channel(policy) is not None})


def _category_choices(policy: Policy, language: str) -> list[dict[str, str]]:
    return [{"code": c.code, "label": c.label.get(language),
             "description": c.description.get(language) if c.description else ""} for c in policy.categories]


def _form_context(policy: Policy, category: str, values: dict[str, Any], errors: dict[str, str],
                  language: str) -> dict[str, Any]:
    category_def = next((c for c in policy.categories if c.code == category), None)
    shown = {"category", "targets", "reason_codes", "reason", "description", "customer_request", "consent",
             "files", "requested_deadline", *(f"customer.{f}" for f in forms.CONTACT_FIELDS)}
    facts = forms.portal_fact_fields(policy, category, values, errors, language,
                                     channel=services.web_channel(policy) or "")
    shown |= {f.name for f in facts} | {f"missing_notes.{f.fact.code}" for f in facts}
    if "customer.name_note" in errors:  # shown under the name that is missing (the last name if both are)
        only_last = values.get("customer.last_name") and not values.get("customer.first_name")
        missing = "customer.first_name" if only_last else "customer.last_name"
        errors.setdefault(missing, errors["customer.name_note"])
    others = [message for name, message in errors.items()
              if name not in shown and name != "customer.name_note" and not name.startswith("targets[")]
    if any(name.startswith("targets[") for name in errors):
        errors.setdefault("targets", next(m for n, m in errors.items() if n.startswith("targets[")))
    return {
        "organisation": policy.organisation.get(language),
        "category": category_def,
        "category_label": category_def.label.get(language) if category_def else "",
        "categories": _category_choices(policy, language),
        "needs_target": category_def is not None and not category_def.target,
        "targets": [(t.code, t.label.get(language)) for t in policy.targets],
        "reasons": forms.reason_choices(policy, language),
        "facts": facts, "values": values, "errors": errors, "other_errors": others,
        "max_mb": int(settings.COMPLAINTDESK_PORTAL["upload_max_bytes"]) // (1024 * 1024),
        "max_files": int(settings.COMPLAINTDESK_PORTAL["upload_max_files"]),
    }


def _receiving_unit(request: HttpRequest) -> Unit | None:
    """The unit named by ``?unit=CODE`` (a dealer's or a store's own link to the filing page); None
    (head office) without one; an unknown or closed unit is not found."""
    code = request.GET.get("unit", "").strip()
    if not code:
        return None
    unit = Unit.objects.filter(code=code, active=True).first()
    if unit is None:
        raise Http404(code)
    return unit


@require_http_methods(["GET", "POST"])
def submit_view(request: HttpRequest) -> HttpResponse:
    unit = _receiving_unit(request)
    _version, policy = unit_policy(unit)
    language = _lang()
    if services.web_channel(policy) is None:
        return render(request, "portal/message.html", {
            "title": _("The portal is closed"),
            "text": _("This organisation does not take complaints on the web; please call us instead.")}, status=503)
    category = (request.POST.get("category") or request.GET.get("category") or "").strip()
    if request.method == "GET":
        if not any(c.code == category for c in policy.categories):
            return render(request, "portal/categories.html", {
                "organisation": policy.organisation.get(language), "categories": _category_choices(policy, language),
                "unit_code": unit.code if unit else ""})
        return render(request, "portal/submit.html", _form_context(policy, category, {}, {}, language))
    if not ratelimit.allow("address", ratelimit.client_address(request)):
        return _too_many(request)
    values: dict[str, Any] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    values["targets"] = request.POST.getlist("targets")
    submission = services.Submission(data=forms.submission_from_post(request.POST, language),
                                     consent=request.POST.get("consent") == "yes",
                                     files=request.FILES.getlist("files"))
    try:
        complaint = services.portal_submit(submission=submission, unit=unit)
    except ValidationFailed as exc:
        return render(request, "portal/submit.html",
                      _form_context(policy, category, values, _errors(exc), language), status=422)
    except DomainError as exc:
        return render(request, "portal/message.html", {"title": _("We could not take your complaint"),
                                                       "text": error_text(exc)}, status=exc.status)
    _grant(request, complaint)
    return HttpResponseRedirect(reverse("portal-received", args=[complaint.number]))


@customer_only
@require_GET
def received_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _allowed(request, number)
    language = _lang()
    return render(request, "portal/received.html", {
        "c": selectors.tracked(complaint, language),
        "messages_sent": list(selectors.customer_messages(complaint)),
    })


@require_http_methods(["GET", "POST"])
def track_view(request: HttpRequest) -> HttpResponse:
    values = {"number": "", "contact": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {"number": request.POST.get("number", "").strip(), "contact": request.POST.get("contact", "").strip()}
        if not values["number"]:
            errors["number"] = _("Enter your complaint number.")
        if not values["contact"]:
            errors["contact"] = _("Enter the mobile phone or e-mail address you gave us.")
        if not errors:
            if not (ratelimit.allow("address", ratelimit.client_address(request))
                    and ratelimit.allow("phone", ratelimit.contact_key(values["contact"]))):
                return _too_many(request)
            found = services.find_complaint(values["number"], values["contact"])
            if found is not None:
                complaint, channel, recipient = found
                services.access_code_send(complaint=complaint, channel=channel, recipient=recipient)
                request.session[PENDING] = {"id": complaint.pk, "number": complaint.number, "channel": channel}
            else:
                # the same answer whether or not the number and contact match: nothing to enumerate
                request.session[PENDING] = {"id": 0, "number": values["number"], "channel": ""}
            return HttpResponseRedirect(reverse("portal-code"))
    return render(request, "portal/track.html", {"values": values, "errors": errors},
                  status=422 if errors else 200)


@require_http_methods(["GET", "POST"])
def code_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending:
        return HttpResponseRedirect(reverse("portal-track"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not ratelimit.allow("address", ratelimit.client_address(request)):
            return _too_many(request)
        try:
            if not pending.get("id"):
                raise services.CodeRefused([FieldProblem("code", _("The code is wrong."))])
            complaint = services.access_code_check(complaint_id=int(pending["id"]),
                                                   code=request.POST.get("code", ""))
        except ValidationFailed as exc:
            errors = _errors(exc)
        else:
            request.session.cycle_key()
            request.session.pop(PENDING, None)
            _grant(request, complaint)
            return HttpResponseRedirect(reverse("portal-complaint", args=[complaint.number]))
    return render(request, "portal/code.html", {"number": pending.get("number", ""), "errors": errors},
                  status=422 if errors else 200)


def _complaint_page(request: HttpRequest, complaint: Complaint, *, errors: dict[str, str] | None = None,
                    values: dict[str, str] | None = None, notice: str = "", status: int = 200) -> HttpResponse:
    language = _lang()
    plan = selectors.proposed_plan(complaint)
    return render(request, "portal/complaint.html", {
        "c": selectors.tracked(complaint, language),
        "conversation": selectors.conversation(complaint, language),
        "attachments": list(selectors.attachments_of(complaint)),
        "plan": plan,
        "result_letter": letters.letter_available(complaint, "result"),
        "errors": errors or {}, "values": values or {}, "notice": notice,
        "max_mb": int(settings.COMPLAINTDESK_PORTAL["upload_max_bytes"]) // (1024 * 1024),
    }, status=status)


@customer_only
@require_GET
def complaint_view(request: HttpRequest, number: str) -> HttpResponse:
    return _complaint_page(request, _allowed(request, number), notice=request.GET.get("done", ""))


@customer_only
@require_POST
def add_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _allowed(request, number)
    if not ratelimit.allow("address", ratelimit.client_address(request)):
        return _too_many(request)
    text = request.POST.get("text", "")
    try:
        services.portal_add_information(complaint_id=complaint.pk, text=text, files=request.FILES.getlist("files"))
    except ValidationFailed as exc:
        return _complaint_page(request, complaint, errors=_errors(exc), values={"text": text}, status=422)
    except DomainError as exc:
        return _complaint_page(request, complaint, errors={"text": error_text(exc)}, values={"text": text},
                               status=exc.status)
    return HttpResponseRedirect(reverse("portal-complaint", args=[number]) + "?done=added")


@customer_only
@require_POST
def decide_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _allowed(request, number)
    words = request.POST.get("words", "")
    try:
        plan_id = int(request.POST.get("plan", "0"))
    except ValueError:
        plan_id = 0
    try:
        services.portal_decide(complaint_id=complaint.pk, plan_id=plan_id, decision=request.POST.get("decision", ""),
                               words=words)
    except ValidationFailed as exc:
        return _complaint_page(request, complaint, errors=_errors(exc), values={"words": words}, status=422)
    except DomainError as exc:
        return _complaint_page(request, complaint, errors={"decision": error_text(exc)}, status=exc.status)
    return HttpResponseRedirect(reverse("portal-complaint", args=[number]) + "?done=decided")


@customer_only
@require_GET
def letter_view(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    complaint = _allowed(request, number)
    try:
        pdf = letters.letter_pdf(complaint, kind)
    except DomainError as exc:
        return render(request, "portal/message.html", {"title": _("No letter yet"), "text": error_text(exc)},
                      status=exc.status)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(complaint, kind)}"'
    return response


@customer_only
@require_GET
def attachment_view(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    complaint = _allowed(request, number)
    attachment = selectors.attachment_of(complaint, attachment_id)
    if attachment is None:
        raise Http404(str(attachment_id))
    return file_response(attachment.path, attachment.name, attachment.content_type)


@require_POST
def leave_view(request: HttpRequest) -> HttpResponse:
    request.session.pop(ACCESS, None)
    request.session.pop(PENDING, None)
    return HttpResponseRedirect(reverse("portal-home"))
