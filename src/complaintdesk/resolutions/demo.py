"""Demo data of the resolutions: a few of the demo complaints get handling plans in every state
(authorised or approved and accepted by the customer, waiting for approval, refused by the
customer), a legal consultation phoned in urgently, and a petty-cash payout awaiting its
countersignature — all through the services, under whatever preset the demo runs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from complaintdesk.accounts.models import User
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.actions import complaint_accept, complaint_start
from complaintdesk.core.errors import DomainError
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy, Role
from complaintdesk.resolutions.models import Approval, Plan
from complaintdesk.resolutions.services import (
    CostLineInput,
    PlanInput,
    approval_decide,
    legal_request,
    petty_cash_pay,
    plan_customer_decision,
    plan_implemented,
    plan_submit,
)


def _user(username: str) -> Any:

    return User.objects.filter(username=username, is_active=True).first()


def _in_handling(complaint: Any, owner: Any) -> bool:

    if complaint.status == "registered":
        complaint_accept(actor=owner, number=complaint.number)
        complaint.refresh_from_db()
    if complaint.status == "accepted":
        complaint_start(actor=complaint.owner, number=complaint.number)
        complaint.refresh_from_db()
    return complaint.status == "in_progress"


def _plan(policy: Policy, amount: str, what: str, why: str) -> Any:

    tier = next((t.code for t in sorted(policy.solution_tiers, key=lambda t: t.rank) if t.approver is None), "")
    kinds = (policy.budget.kinds if policy.budget else []) or [k.code for k in policy.cost_kinds]
    lines = [CostLineInput(kind=kinds[0], amount=amount, description=what)] if kinds else []
    zh = policy.language == "zh-hans"
    return PlanInput(tier=tier, what=what, who="投诉处理专员" if zh else "Complaint specialist",
                     when="明天" if zh else "Tomorrow", where="服务中心" if zh else "Service centre", why=why,
                     how="电话致歉并当面交付" if zh else "Apology by phone, handed over in person", lines=lines)


def _decide_all(plan: Any) -> None:

    while True:
        approval = plan.approvals.filter(state=Approval.State.PENDING).select_related("approver").first()
        if approval is None:
            return
        approval_decide(actor=approval.approver, approval_id=approval.pk, decision="approve",
                        comment="同意" if plan.complaint.language.startswith("zh") else "Agreed")


def seed(policy: Policy) -> int:
    """Put a few demo complaints into the resolutions' states; returns how many were touched."""

    if Plan.objects.exists():
        return 0
    specialist = _user("specialist")
    if specialist is None:
        return 0
    zh = policy.language == "zh-hans"
    candidates = list(Complaint.objects.filter(status__in=["registered", "accepted", "in_progress"], complete=True,
                                               owner__username__in=["specialist", "agent"])
                      .order_by("registered_at")[:12])
    steps = ["approved", "pending", "refused", "legal", "petty_cash"]
    touched = 0
    for complaint in candidates:
        if not steps:
            break
        step = steps[0]
        if step == "legal" and policy.legal is None:
            steps.pop(0)
            step = steps[0] if steps else ""
        if step == "petty_cash" and policy.petty_cash is None:
            break
        try:
            with transaction.atomic():
                if not _in_handling(complaint, specialist):
                    continue
                owner = complaint.owner
                if step == "approved":
                    plan = plan_submit(actor=owner, number=complaint.number, data=_plan(
                        policy, "80", "赠送延长保修一年" if zh else "One year of extended warranty",
                        "维修时间过长，安抚用户" if zh else "The repair took too long"))
                    _decide_all(plan)
                    plan_customer_decision(actor=owner, plan_id=plan.pk, decision="accepted",
                                           words="可以接受" if zh else "That is fine", channel="phone")
                    plan_implemented(actor=owner, plan_id=plan.pk)
                elif step == "pending":
                    amount = _above_own_limit(policy)
                    plan_submit(actor=owner, number=complaint.number, data=_plan(
                        policy, amount, "补偿用户差旅及误工费用" if zh else "Compensate travel and lost time",
                        "多次往返维修站" if zh else "Several trips to the service centre"))
                elif step == "refused":
                    plan = plan_submit(actor=owner, number=complaint.number, data=_plan(
                        policy, "50", "赠送小礼品致歉" if zh else "A small gift as an apology",
                        "服务态度问题" if zh else "Staff attitude"))
                    _decide_all(plan)
                    plan_customer_decision(actor=owner, plan_id=plan.pk, decision="refused", channel="phone",
                                           words="礼品没有用，我要退货" if zh else "A gift is no use, I want a refund")
                elif step == "legal":
                    legal_request(actor=owner, number=complaint.number, fields={}, phoned=True,
                                  phone_note="用户声称将起诉，已电话请教法务：先安抚，勿作赔偿承诺" if zh else
                                  "The customer threatens to sue; legal advised by phone not to promise compensation",
                                  now=timezone.now() - timedelta(hours=2))
                elif step == "petty_cash":
                    payer = next((u for u in (_user(r.value) for r in (policy.petty_cash.payer_roles
                                                                       if policy.petty_cash else [])) if u), None)
                    limit = rules.petty_cash_limit_for(policy, policy.petty_cash.payer_roles
                                                       if policy.petty_cash else [])
                    if payer is None or limit is None:
                        break
                    petty_cash_pay(actor=payer, number=complaint.number, kind=_petty_kind(policy),
                                   amount=str(min(limit, Decimal(20))), voucher_number="BY-0001",
                                   description="赠送购物卡致歉" if zh else "Gift card as an apology")
        except DomainError:
            continue
        steps.pop(0)
        touched += 1
    return touched


def _above_own_limit(policy: Policy) -> str:
    own = rules.authority_limit(policy, Role.SPECIALIST)
    if own is None or own == Decimal("Infinity"):
        return "180"
    return str(own + Decimal(80))


def _petty_kind(policy: Policy) -> str:
    cash = policy.petty_cash
    kinds = (cash.kinds if cash and cash.kinds else [k.code for k in policy.cost_kinds])
    return kinds[0]
