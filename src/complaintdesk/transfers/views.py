"""The transfer panel on the complaint page (the recorded transfer, or the form to record it) and the
registration form for a transferred complaint (the complaint and its transfer in one step)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaintdesk.accounts.roles import can
from complaintdesk.complaints.forms import registration_from_post
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.views.registration import Receiving, form_context, values_from_post
from complaintdesk.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed, error_text
from complaintdesk.core.i18n import current_language
from complaintdesk.core.policies import policy_of
from complaintdesk.policy import rules
from complaintdesk.transfers import selectors, services
from complaintdesk.transfers.inputs import TransferInput, TransferredRegistrationInput

TRANSFER_FIELDS = ("body", "reference", "received_at", "deadline")


def transfer_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    policy = policy_of(complaint.policy_version)
    try:
        channel = policy.channel(complaint.channel)
    except KeyError:
        return None
    if channel.kind not in services.SOURCES:
        return None
    transfer = selectors.transfer_of(complaint)
    language = "en" if current_language().startswith("en") else "zh-hans"
    tz = ZoneInfo(policy.timezone)

    def shown(value: Any) -> str:
        return rules.format_moment(value.astimezone(tz), language) if value else ""

    return {
        "complaint": complaint, "transfer": transfer, "channel": channel.label.get(language),
        "received_at": shown(transfer.received_at) if transfer else "",
        "deadline": shown(transfer.deadline) if transfer else "",
        "clocks": [{"label": next((c.label.get(language) for c in policy.clocks if c.code == clock.code), clock.code),
                    "due": shown(clock.due_at), "status": clock.get_status_display()}
                   for clock in selectors.transfer_clocks(complaint)] if transfer else [],
        "can_record": transfer is None and complaint.is_open and can(request.user, "complaint.amend", at=complaint),
        "needs_reference": channel.kind == "regulator",
        "has_clock": services.has_transfer_clock(policy),
    }


@login_required
@require_POST
def transfer_record_view(request: HttpRequest, number: str) -> HttpResponse:
    data = _transfer_in(request)
    try:
        services.transfer_record(actor=request.user, number=number, data=data)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The transfer is recorded."))
    return redirect(reverse("complaint-detail", args=[number]) + "#transfer")


def _transfer_in(request: HttpRequest, prefix: str = "") -> TransferInput:
    return TransferInput(**{name: request.POST.get(f"{prefix}{name}", "") for name in TRANSFER_FIELDS})


def _register_context(request: HttpRequest, unit: str, values: dict[str, Any],
                      errors: dict[str, str]) -> dict[str, Any]:
    """The registration form under the chosen unit's policy, its doors narrowed to the transfer doors,
    and the transfer's own fields."""
    receiving = Receiving(request.user, unit)
    context = {**form_context(receiving.policy, values, errors), **receiving.context()}
    doors = {channel.code for channel in services.transfer_channels(receiving.policy)}
    context["channels"] = [row for row in context["channels"] if row[0] in doors]
    context["transfer_channels"] = sorted(doors)
    context["has_clock"] = services.has_transfer_clock(receiving.policy)
    context["transfer_values"] = {name: values.get(f"transfer.{name}", "") for name in TRANSFER_FIELDS}
    context["transfer_errors"] = {key.split(".", 1)[1]: message for key, message in errors.items()
                                  if key.startswith("transfer.")}
    return context


@login_required
@require_http_methods(["GET", "POST"])
def transfer_register_view(request: HttpRequest) -> HttpResponse:
    """Register a complaint a regulator or another department transferred, with the transfer (who sent
    it, their reference, their deadline) in one step: ``transfer_register`` writes both or neither."""
    if not can(request.user, "complaint.register"):
        raise DjangoPermissionDenied("register")
    if request.method == "GET":
        receiving = Receiving(request.user, request.GET.get("unit", ""))
        values = {"customer.language": receiving.policy.language, "unit": receiving.code}
        return render(request, "transfers/register.html", _register_context(request, receiving.code, values, {}))
    values = values_from_post(request)
    data = TransferredRegistrationInput(complaint=registration_from_post(request.POST),
                                        transfer=_transfer_in(request, "transfer."))
    try:
        transfer = services.transfer_register(actor=request.user, data=data)
    except ValidationFailed as exc:
        errors = {p.field: str(p.message) for p in exc.problems}
        context = _register_context(request, request.POST.get("unit", ""), values, errors)
        context["error_summary"] = str(exc.message)
        context["error_list"] = [(p.field, str(p.message)) for p in exc.problems]
        return render(request, "transfers/register.html", context, status=422)
    return redirect(reverse("complaint-detail", args=[transfer.complaint.number]) + "?registered=1")
