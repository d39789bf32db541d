"""Petty cash (hypermarket: 备用金借支单): the front line pays small amounts at once, within their own
limit and the petty-cash limit, against a voucher; the manager countersigns afterwards (事后审查补签),
on a clock."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import has_role, roles_of
from complaintdesk.accounts.selectors import nearest_role_holders
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.errors import Conflict, NotFound, PermissionDenied, Problems
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.notices import notice_send
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent
from complaintdesk.resolutions.models import BudgetEntry, PettyCashPayout
from complaintdesk.resolutions.selectors.budget import budget_unit, month_of, spent_on
from complaintdesk.resolutions.selectors.delegations import active_delegations
from complaintdesk.resolutions.services.common import CENT, money, require_open, role_label


@transaction.atomic
def petty_cash_pay(*, actor: Any, number: str, kind: str, amount: Any, description: str, voucher_number: str = "",
                   currency: str = "", now: datetime | None = None) -> PettyCashPayout:
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    require_open(complaint)
    policy = policy_of(complaint.policy_version)
    cash = policy.petty_cash
    if cash is None:
        raise Conflict(_("The policy has no petty cash."))
    limit = rules.petty_cash_limit_for(policy, roles_of(actor, at=complaint))
    if limit is None:
        raise PermissionDenied(_("Only the %(roles)s pay from petty cash.")
                               % {"roles": ", ".join(role_label(policy, role) for role in cash.payer_roles)})
    problems = Problems()
    kinds = {k.code for k in policy.cost_kinds}
    allowed = cash.kinds or sorted(kinds)
    if kind not in kinds:
        problems.add("kind", _("Unknown kind of cost %(code)s; one of: %(all)s.")
                     % {"code": kind, "all": ", ".join(allowed)})
    elif kind not in allowed:
        problems.add("kind", _("%(code)s is not paid from petty cash; one of: %(all)s.")
                     % {"code": kind, "all": ", ".join(allowed)})
    value = Decimal(0)
    if amount is None or str(amount).strip() == "" or isinstance(amount, bool):
        problems.add("amount", _("Enter the amount."))
    else:
        try:
            value = check.amount(amount if isinstance(amount, str | int | float | Decimal) else str(amount))
        except check.FieldInvalid as exc:
            problems.add("amount", exc.message)
        else:
            if value != value.quantize(CENT):
                problems.add("amount", _("An amount has at most two decimals (fen)."))
            elif value <= 0:
                problems.add("amount", _("A payout is more than zero."))
            elif value > limit:
                problems.add("amount", _("%(amount)s is above your petty-cash limit of %(limit)s: write a handling "
                                         "plan for approval instead.")
                             % {"amount": money(value, policy.currency), "limit": money(limit, policy.currency)})
            elif value + (earlier := spent_on(complaint, policy.currency)) > limit:
                # the limit is the complaint's in all (hypermarket: 每件客诉金额): payouts add up
                problems.add("amount", _("%(amount)s with the %(earlier)s already spent on this complaint is above "
                                         "your petty-cash limit of %(limit)s: write a handling plan for approval "
                                         "instead.")
                             % {"amount": money(value, policy.currency), "earlier": money(earlier, policy.currency),
                                "limit": money(limit, policy.currency)})
    code = (currency or policy.currency).strip().upper()
    if code != policy.currency:
        problems.add("currency", _("Petty cash is paid in %(code)s.") % {"code": policy.currency})
    if not description.strip():
        problems.add("description", _("Say what was paid for."))
    elif len(description.strip()) > 255:
        problems.add("description", _("At most %(limit)d characters.") % {"limit": 255})
    if cash.voucher_required and not voucher_number.strip():
        problems.add("voucher_number", _("Record the number of the petty-cash voucher."))
    elif len(voucher_number.strip()) > 64:
        problems.add("voucher_number", _("At most %(limit)d characters.") % {"limit": 64})
    problems.raise_if_any()
    payout = PettyCashPayout.objects.create(
        complaint=complaint, kind=kind, description=description.strip(), amount=value.quantize(CENT), currency=code,
        voucher_number=voucher_number.strip(), paid_by=actor, paid_at=now)
    counts = policy.budget is not None and kind in policy.budget.kinds and code == policy.budget.currency
    BudgetEntry.objects.create(complaint=complaint, unit=budget_unit(complaint), payout=payout, kind=kind,
                               amount=payout.amount, currency=code, counts=counts,
                               month=month_of(now, policy), at=now, approver=actor)
    record(actor=actor, action="petty_cash.pay", obj=payout, complaint=complaint,
           after={"kind": kind, "amount": payout.amount, "currency": code, "voucher": payout.voucher_number,
                  "description": payout.description},
           timeline=on_timeline("petty_cash_paid", payout=payout.pk, cost_kind=kind, amount=str(payout.amount),
                                currency=code, voucher=payout.voucher_number, description=payout.description), at=now)
    clock_event(complaint=complaint, event=ClockEvent.PETTY_CASH_PAID, at=now, subject=f"petty_cash:{payout.pk}",
                duration=cash.countersign_within)
    notice_send(users=list(nearest_role_holders(cash.countersign_role, at=complaint)), complaint=complaint,
                kind="countersign_requested", amount=money(payout.amount, code), by=actor.display_name(),
                voucher=payout.voucher_number or "-")
    return payout


def may_countersign(actor: Any, role: str, now: datetime, complaint: Any) -> bool:
    """The countersigning role held at the complaint's unit (or above), by the actor or by someone
    who delegated to the actor."""
    if has_role(actor, role, at=complaint):
        return True
    principals = active_delegations(now).filter(to_user=actor).select_related("from_user")
    return any(has_role(d.from_user, role, at=complaint) for d in principals)


@transaction.atomic
def petty_cash_countersign(*, actor: Any, payout_id: int, comment: str = "",
                           now: datetime | None = None) -> PettyCashPayout:
    """The manager reviews and countersigns a payout afterwards; the payer never countersigns."""
    now = now or timezone.now()
    head = PettyCashPayout.objects.select_related("complaint").filter(pk=payout_id).first()
    if head is None:
        raise NotFound(_("There is no petty-cash payout %(id)s.") % {"id": payout_id})
    complaint = access_complaint(actor, head.complaint.number, for_update=True)
    payout = PettyCashPayout.objects.select_for_update().get(pk=payout_id)
    policy = policy_of(complaint.policy_version)
    cash = policy.petty_cash
    if cash is None:
        raise Conflict(_("The policy has no petty cash."))
    if payout.paid_by_id == actor.pk:
        raise PermissionDenied(_("The payer does not countersign their own voucher."))
    if not may_countersign(actor, cash.countersign_role.value, now, complaint):
        raise PermissionDenied(_("Only the %(role)s countersigns petty-cash vouchers.")
                               % {"role": role_label(policy, cash.countersign_role)})
    if payout.state != PettyCashPayout.State.AWAITING:
        raise Conflict(_("This voucher is already countersigned."))
    if len(comment) > 4000:
        problems = Problems()
        problems.add("comment", _("At most %(limit)d characters.") % {"limit": 4000})
        problems.raise_if_any()
    payout.state = PettyCashPayout.State.COUNTERSIGNED
    payout.countersigned_by = actor
    payout.countersigned_at = now
    payout.countersign_comment = comment.strip()
    payout.save(update_fields=["state", "countersigned_by", "countersigned_at", "countersign_comment"])
    record(actor=actor, action="petty_cash.countersign", obj=payout, complaint=complaint,
           before={"state": PettyCashPayout.State.AWAITING},
           after={"state": payout.state, "comment": payout.countersign_comment, "late": now > _due(payout, policy)},
           timeline=on_timeline("petty_cash_countersigned", payout=payout.pk, amount=str(payout.amount),
                                currency=payout.currency, voucher=payout.voucher_number,
                                comment=payout.countersign_comment), at=now)
    clock_event(complaint=complaint, event=ClockEvent.COUNTERSIGNED, at=now, subject=f"petty_cash:{payout.pk}")
    return payout


def _due(payout: PettyCashPayout, policy: Any) -> datetime:
    if policy.petty_cash is None:
        return payout.paid_at
    return add_duration(policy, payout.paid_at, policy.petty_cash.countersign_within).due_at
