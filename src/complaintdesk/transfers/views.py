"""The transfer panel on the complaint page: the recorded transfer, or the form to record it."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import can
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import DomainError, NotFound, PermissionDenied, error_text
from complaintdesk.core.i18n import current_language
from complaintdesk.core.policies import policy_of
from complaintdesk.policy import rules
from complaintdesk.transfers import selectors, services
from complaintdesk.transfers.inputs import TransferInput


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
    data = TransferInput(body=request.POST.get("body", ""), reference=request.POST.get("reference", ""),
                      received_at=request.POST.get("received_at", ""), deadline=request.POST.get("deadline", ""))
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
