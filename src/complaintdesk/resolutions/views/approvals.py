"""The approval inbox (approvals, vouchers to countersign, consultations to advise, delegations),
the budget page, and the petty-cash actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.accounts.models import User
from complaintdesk.core.errors import NotFound
from complaintdesk.core.pages import complaint_page, run_service
from complaintdesk.policy.schema import Role
from complaintdesk.resolutions import display
from complaintdesk.resolutions.models import Approval, PettyCashPayout
from complaintdesk.resolutions.selectors.budget import MONTH_RE
from complaintdesk.resolutions.selectors.budget_units import budget_overview, default_month
from complaintdesk.resolutions.selectors.plans import (
    acting_for,
    approvals_for,
    consultations_to_advise,
    delegations_of,
    may_read_budget,
    payouts_to_countersign,
    shows_inbox,
)
from complaintdesk.resolutions.services import (
    approval_decide,
    delegation_create,
    delegation_revoke,
    petty_cash_countersign,
    petty_cash_pay,
)
from complaintdesk.units.scope import shares_a_unit_q


def _away_until(user: Any, now: datetime) -> datetime | None:
    until: datetime | None = getattr(user, "away_until", None)
    return until if until is not None and until > now else None


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not shows_inbox(user) and not approvals_for(user).exists():
        raise DjangoPermissionDenied(_("You approve nothing under the policy in force."))
    pending = [display.approval_view(a) for a in approvals_for(user, state="pending")[:200]]
    decided = [display.approval_view(a) for a in approvals_for(user, state="decided")[:20]]
    now = timezone.now()
    colleagues = (User.objects.filter(shares_a_unit_q(user), is_active=True).exclude(username=user.get_username())
                  .exclude(groups__name=Role.HANDLER.value).distinct().order_by("username"))
    return render(request, "resolutions/inbox.html", {
        "pending": pending,
        "decided": decided,
        "payouts": [display.payout_view(p) for p in payouts_to_countersign(user)],
        "consultations": [display.consultation_view(c) for c in consultations_to_advise(user)],
        "delegations": [display.delegation_view(d) for d in delegations_of(user, now=now)],
        "acting_for": [u.display_name() for u in acting_for(user, now)],
        "colleagues": [(u.username, u.display_name()) for u in colleagues],
        "away_until": _away_until(user, now),
    })


@login_required
@require_POST
def approval_decide_view(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = Approval.objects.select_related("complaint", "plan").filter(pk=approval_id).first()
    if approval is None:
        raise Http404
    decision = request.POST.get("decision", "")
    text = (_("Plan P%(plan)s of %(number)s approved.") if decision == "approve"
            else _("Plan P%(plan)s of %(number)s rejected."))
    back = (complaint_page(approval.complaint.number, "plan") if request.POST.get("next") == "complaint"
            else reverse("approval-inbox"))
    return run_service(request, approval_decide, back=back,
                       success=text % {"plan": approval.plan.sequence, "number": approval.complaint.number},
                       approval_id=approval_id, decision=decision, comment=request.POST.get("comment", ""))


@login_required
@require_POST
def delegation_create_view(request: HttpRequest) -> HttpResponse:
    post = request.POST
    return run_service(request, delegation_create, back=reverse("approval-inbox") + "#delegations",
                       success=_("Delegation recorded."), to=post.get("to", ""), until=post.get("until", ""),
                       start=post.get("start", ""), reason=post.get("reason", ""))


@login_required
@require_POST
def delegation_revoke_view(request: HttpRequest, delegation_id: int) -> HttpResponse:
    return run_service(request, delegation_revoke, back=reverse("approval-inbox") + "#delegations",
                       success=_("Delegation ended."), delegation_id=delegation_id)


def _shift(month: str, by: int) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@login_required
def budget_view(request: HttpRequest) -> HttpResponse:
    """The budget of one unit (``unit=<code>``) in full, with every budget the reader reads."""
    if not may_read_budget(request.user):
        raise DjangoPermissionDenied(_("Only supervisors, managers and complaint specialists see the budget."))
    now = timezone.now()
    current = default_month(request.user, now)
    month = request.GET.get("month", "") or current
    if not MONTH_RE.match(month):
        messages.error(request, _("Write the month as YYYY-MM."))
        month = current
    try:
        overview = budget_overview(request.user, month, now, unit=request.GET.get("unit", ""))
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    if overview.report is None:
        raise Http404(_("The policy in force has no monthly budget."))
    year, number = (int(part) for part in month.split("-"))
    return render(request, "resolutions/budget.html", {
        "budget": display.budget_overview_view(overview), "month": month, "month_date": date(year, number, 1),
        "previous": _shift(month, -1), "next": _shift(month, 1), "current": month == current,
        "timezone": overview.policy.timezone, "unit": overview.unit.code,
    })


@login_required
@require_POST
def petty_cash_pay_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    return run_service(request, petty_cash_pay, back=complaint_page(number, "petty-cash"),
                       success=_("Payout recorded; it awaits the countersignature."), number=number,
                       kind=post.get("kind", ""), amount=post.get("amount", ""),
                       description=post.get("description", ""), voucher_number=post.get("voucher_number", ""))


@login_required
@require_POST
def petty_cash_countersign_view(request: HttpRequest, payout_id: int) -> HttpResponse:
    payout = PettyCashPayout.objects.select_related("complaint").filter(pk=payout_id).first()
    if payout is None:
        raise Http404
    back = (complaint_page(payout.complaint.number, "petty-cash") if request.POST.get("next") == "complaint"
            else reverse("approval-inbox") + "#countersign")
    return run_service(request, petty_cash_countersign, back=back, success=_("Voucher countersigned."),
                       payout_id=payout_id, comment=request.POST.get("comment", ""))

