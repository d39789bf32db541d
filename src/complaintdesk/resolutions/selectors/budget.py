"""The monthly budget ledgers: what was spent in a month, what pending plans commit, what is left.

Each unit that owns a policy version keeps its own ledger, and head office keeps one for every
complaint that has no such unit in its chain: a complaint's costs draw on the budget of the
nearest unit of its chain that owns a policy version, else head office's (:func:`budget_unit`). A
store's spend never draws on another store's budget.

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

from django.db.models import Q, Sum

from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy, Role
from complaintdesk.resolutions.models import BudgetEntry, CostLine, PettyCashPayout, Plan
from complaintdesk.units.models import Unit, root_unit
from complaintdesk.units.scope import chain


def month_of(moment: datetime, policy: Policy) -> str:
    """The budget month of a moment: its calendar month in the organisation's time zone."""
    return moment.astimezone(ZoneInfo(policy.timezone)).strftime("%Y-%m")


MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
ZERO = Decimal("0.00")
CENTS = Decimal("0.01")


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


def budget_unit(at: Any) -> Unit:
    """The unit whose budget the costs of ``at`` (a complaint, or a unit) draw on: the nearest unit
    of its chain (its own unit, the parent … head office) that owns a policy version, else head
    office."""
    unit = at if isinstance(at, Unit) else getattr(at, "unit", None)
    if isinstance(unit, Unit):
        for link in chain(unit):
            if link.policy_version_id is not None:
                return link
    return root_unit()


def ledger_units() -> list[Unit]:
    """The units that keep a budget ledger: head office and every active unit with its own policy
    version, in tree order."""
    root = root_unit()
    units = Unit.objects.filter(Q(pk=root.pk) | Q(policy_version__isnull=False, active=True))
    return sorted(units, key=lambda unit: unit.ancestor_ids())


def drawing_on(unit: Unit, field: str = "complaint__unit") -> Q:
    """The rows (through ``field``, a foreign key to Unit) whose costs draw on ``unit``'s budget:
    the unit and the units below it, except those below another unit with its own ledger."""
    query = Q(**{f"{field}__path__startswith": unit.path})
    below = (Unit.objects.filter(path__startswith=unit.path, policy_version__isnull=False)
             .exclude(pk=unit.pk).values_list("path", flat=True))
    for path in below:
        query &= ~Q(**{f"{field}__path__startswith": path})
    return query


def _sum(qs: Any) -> Decimal:
    value = qs.aggregate(total=Sum("amount"))["total"]
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _ledger(unit: Unit | None) -> Unit:
    return unit if unit is not None else root_unit()


def spend_of(policy: Policy, month: str, unit: Unit | None = None) -> Decimal:
    """What ``unit``'s ledger (default: head office's) spent in ``month`` against its budget."""
    if policy.budget is None:
        return ZERO
    return _sum(BudgetEntry.objects.filter(unit=_ledger(unit), month=month, counts=True,
                                           currency=policy.budget.currency, reversed_at__isnull=True))


def commitments_now(policy: Policy, *, exclude_plan: int | None = None, unit: Unit | None = None) -> Decimal:
    """The counted costs of the plans waiting for approval whose complaints draw on ``unit``."""
    if policy.budget is None:
        return ZERO
    qs = CostLine.objects.filter(drawing_on(_ledger(unit), "plan__complaint__unit"),
                                 plan__state=Plan.State.PENDING, counts_against_budget=True,
                                 currency=policy.budget.currency)
    if exclude_plan is not None:
        qs = qs.exclude(plan_id=exclude_plan)
    return _sum(qs)


def budget_position(policy: Policy, month: str, now: datetime, *, exclude_plan: int | None = None,
                    with_commitments: bool = True, unit: Unit | None = None) -> BudgetPosition | None:
    """The budget of ``month`` (``YYYY-MM``) of ``unit``'s ledger (default: head office's); None
    when the policy has no monthly budget."""
    budget = policy.budget
    if budget is None:
        return None
    commitments = ZERO
    if with_commitments and month == month_of(now, policy):
        commitments = commitments_now(policy, exclude_plan=exclude_plan, unit=unit)
    return BudgetPosition(month=month, monthly=budget.monthly, currency=budget.currency,
                          spend=spend_of(policy, month, unit), commitments=commitments,
                          escalate_to=budget.over_budget_escalate_to, kinds=tuple(budget.kinds))


@dataclass(frozen=True)
class BudgetReport:
    position: BudgetPosition
    by_kind: list[dict[str, Any]]
    entries: list[BudgetEntry]
    pending: list[Plan]
    other_costs: Decimal
    unit: Unit | None = None


def budget_report(policy: Policy, month: str, now: datetime, *, unit: Unit | None = None,
                  complaints: Q | None = None) -> BudgetReport | None:
    """The budget page of ``unit``'s ledger (default: head office's): the position, spend by kind,
    the month's entries and the pending plans. ``complaints`` (a Q on ``complaint__…``) keeps the
    entries and plans listed to those the reader may see; the figures are the whole ledger's."""
    position = budget_position(policy, month, now, unit=unit)
    if position is None:
        return None
    ledger = _ledger(unit)
    listed = BudgetEntry.objects.filter(unit=ledger, month=month, reversed_at__isnull=True)
    kinds: dict[str, Decimal] = {}
    other = ZERO
    for kind, currency, counts, total in (listed.values_list("kind", "currency", "counts")
                                          .annotate(total=Sum("amount")).values_list("kind", "currency", "counts",
                                                                                     "total")):
        if currency != position.currency:
            continue
        if counts:
            kinds[kind] = kinds.get(kind, ZERO) + Decimal(total).quantize(CENTS)
        else:
            other += Decimal(total).quantize(CENTS)
    if complaints is not None:
        listed = listed.filter(complaints)
    entries = list(listed.select_related("complaint", "plan", "approver", "payout").order_by("at", "id"))
    by_kind = [{"kind": kind, "amount": kinds.get(kind, ZERO)} for kind in position.kinds]
    pending: list[Plan] = []
    if month == month_of(now, policy):
        waiting = Plan.objects.filter(drawing_on(ledger), state=Plan.State.PENDING, budget_total__gt=0)
        if complaints is not None:
            waiting = waiting.filter(complaints)
        pending = list(waiting.select_related("complaint", "author").order_by("created_at"))
    return BudgetReport(position=position, by_kind=by_kind, entries=entries, pending=pending, other_costs=other,
                        unit=ledger)


def spent_on(complaint: Any, currency: str) -> Decimal:
    """What the complaint has cost so far in ``currency``: its plans carried out (approved or
    authorised, then implemented) and its petty-cash payouts. Authority limits are counted per
    complaint (hypermarket 肆.一: "每件客诉金额在20元(含)以下…"): a second plan or payout adds to
    the first, so splitting a compensation never stays under a limit. A plan approved and not yet
    carried out is not counted: a new plan supersedes it."""
    plans = (Plan.objects.filter(complaint=complaint, currency=currency, implemented_at__isnull=False,
                                 state__in=[Plan.State.APPROVED, Plan.State.AUTHORISED])
             .aggregate(total=Sum("total"))["total"] or Decimal("0"))
    payouts = (PettyCashPayout.objects.filter(complaint=complaint, currency=currency)
               .aggregate(total=Sum("amount"))["total"] or Decimal("0"))
    return (Decimal(plans) + Decimal(payouts)).quantize(Decimal("0.01"))  # SQLite sums without the scale
