"""The monthly budget ledger: what was spent in a month, what pending plans commit, what is left.

Spend is the sum of the costs recorded in the month (approved plans' lines, petty-cash payouts)
whose kind the budget counts and whose currency is the budget's, not reversed. Commitments are the
counted costs of plans still waiting for approval; they would fall into the month in which they are
approved, so they are shown against the current month."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Sum

from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy, Role
from complaintdesk.resolutions.models import BudgetEntry, CostLine, Plan


def month_of(moment: datetime, policy: Policy) -> str:
    """The budget month of a moment: its calendar month in the organisation's time zone."""
    return moment.astimezone(ZoneInfo(policy.timezone)).strftime("%Y-%m")


MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BudgetPosition:
    month: str
    monthly: Decimal
    currency: str
    spend: Decimal
    commitments: Decimal
    escalate_to: Role
    kinds: tuple[str, ...] = field(default_factory=tuple)

    @property
    def left(self) -> Decimal:
        return self.monthly - self.spend - self.commitments

    @property
    def over(self) -> bool:
        return self.left < 0

    def after(self, amount: Decimal) -> Decimal:
        return self.left - amount

    def would_exceed(self, amount: Decimal) -> bool:
        return rules.exceeds_budget(self.left, amount)

    @property
    def used_percent(self) -> int:
        if self.monthly <= 0:
            return 100
        return min(100, int((self.spend + self.commitments) * 100 / self.monthly))


def _sum(qs: Any) -> Decimal:
    value = qs.aggregate(total=Sum("amount"))["total"]
    return Decimal(value or 0).quantize(Decimal("0.01"))


def spend_of(policy: Policy, month: str) -> Decimal:
    if policy.budget is None:
        return ZERO
    return _sum(BudgetEntry.objects.filter(month=month, counts=True, currency=policy.budget.currency,
                                           reversed_at__isnull=True))


def commitments_now(policy: Policy, *, exclude_plan: int | None = None) -> Decimal:
    if policy.budget is None:
        return ZERO
    qs = CostLine.objects.filter(plan__state=Plan.State.PENDING, counts_against_budget=True,
                                 currency=policy.budget.currency)
    if exclude_plan is not None:
        qs = qs.exclude(plan_id=exclude_plan)
    return _sum(qs)


def budget_position(policy: Policy, month: str, now: datetime, *, exclude_plan: int | None = None,
                    with_commitments: bool = True) -> BudgetPosition | None:
    """The budget of ``month`` (``YYYY-MM``); None when the policy has no monthly budget."""
    budget = policy.budget
    if budget is None:
        return None
    commitments = ZERO
    if with_commitments and month == month_of(now, policy):
        commitments = commitments_now(policy, exclude_plan=exclude_plan)
    return BudgetPosition(month=month, monthly=budget.monthly, currency=budget.currency,
                          spend=spend_of(policy, month), commitments=commitments,
                          escalate_to=budget.over_budget_escalate_to, kinds=tuple(budget.kinds))


@dataclass(frozen=True)
class BudgetReport:
    position: BudgetPosition
    by_kind: list[dict[str, Any]]
    entries: list[BudgetEntry]
    pending: list[Plan]
    other_costs: Decimal


def budget_report(policy: Policy, month: str, now: datetime) -> BudgetReport | None:
    """The budget page: the position, spend by kind, the month's entries and the pending plans."""
    position = budget_position(policy, month, now)
    if position is None:
        return None
    entries = list(BudgetEntry.objects.filter(month=month, reversed_at__isnull=True)
                   .select_related("complaint", "plan", "approver", "payout").order_by("at", "id"))
    kinds: dict[str, Decimal] = {}
    other = ZERO
    for entry in entries:
        if entry.counts and entry.currency == position.currency:
            kinds[entry.kind] = kinds.get(entry.kind, ZERO) + entry.amount
        elif entry.currency == position.currency:
            other += entry.amount
    by_kind = [{"kind": kind, "amount": kinds.get(kind, ZERO)} for kind in position.kinds]
    pending: list[Plan] = []
    if month == month_of(now, policy):
        pending = list(Plan.objects.filter(state=Plan.State.PENDING, budget_total__gt=0)
                       .select_related("complaint", "author").order_by("created_at"))
    return BudgetReport(position=position, by_kind=by_kind, entries=entries, pending=pending, other_costs=other)
