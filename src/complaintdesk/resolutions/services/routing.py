"""Checking a handling plan against the policy before anything is written: its 5W1H, its cost
lines (kind, amount, currency), the approvers the matrix names for its total and tier (and the
complaint level's compensation standard), the named person for each step (or the delegate of an
absent one), and the monthly budget with its emergency escalation.

The same check feeds the live preview of the plan form and the submission, so the form says before
submitting what the submission will do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import roles_of
from complaintdesk.accounts.selectors import nearest_role_holders
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import Problems
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy, Role
from complaintdesk.resolutions.models import Approval, Plan
from complaintdesk.resolutions.selectors.budget import (
    BudgetPosition,
    budget_position,
    budget_unit,
    month_of,
    spent_on,
)
from complaintdesk.resolutions.selectors.delegations import delegate_of, is_away
from complaintdesk.resolutions.services.common import CENT, money, role_label
from complaintdesk.units.scope import chain

FIVE_W_ONE_H = ("what", "who", "when", "where", "why", "how")
SHORT_FIELDS = {"who": 255, "when": 255, "where": 255}
MAX_LINES = 20
INFINITY = Decimal("Infinity")


@dataclass
class CostLineInput:
    kind: str = ""
    amount: Any = ""
    currency: str = ""
    description: str = ""

    def blank(self) -> bool:
        return not any(str(v).strip() for v in (self.kind, self.amount, self.description))


@dataclass
class PlanInput:
    tier: str = ""
    what: str = ""
    who: str = ""
    when: str = ""
    where: str = ""
    why: str = ""
    how: str = ""
    lines: list[CostLineInput] = field(default_factory=list)
    emergency_reason: str = ""
    reuse_of: int | None = None


@dataclass(frozen=True)
class CleanLine:
    kind: str
    description: str
    amount: Decimal
    currency: str
    counts: bool


@dataclass
class Step:
    role: Role
    reason: str
    approver: Any = None
    delegate: Any = None  # the approver is away: the delegate decides


@dataclass
class PlanCheck:
    problems: Problems
    lines: list[CleanLine]
    currency: str
    total: Decimal
    budget_total: Decimal
    steps: list[Step]
    route_reason: str
    within_limit_of: Role | None
    budget: BudgetPosition | None
    over_budget: bool
    tier_approver: Role | None
    earlier: Decimal = Decimal("0")  # spent on the complaint before this plan (``spent_on``), in the matrix's currency

    @property
    def authorised(self) -> bool:
        return not self.steps


def assign(role: Role, *, author: Any, now: datetime, complaint: Complaint) -> tuple[Any, Any]:
    """The person who decides for ``role`` on ``complaint``: among the holders at the nearest unit
    of the complaint's chain that has any (the store's own section chief before the region's, the
    region's before head office's), the one who is not away with the fewest pending approvals; if
    every holder is away, one whose delegate is someone else than the author (the approval is named
    for the holder and decided by the delegate); never the author."""
    candidates = _candidates(role, author, complaint)
    present = [user for user in candidates if not is_away(user, now)]
    if present:
        return present[0], None
    for user in candidates:
        delegate = delegate_of(user, now)
        if delegate is not None and delegate.pk != getattr(author, "pk", None):
            return user, delegate
    return (candidates[0], None) if candidates else (None, None)


def _candidates(role: Role, author: Any, complaint: Complaint) -> list[Any]:
    """The holders of ``role`` at the nearest unit up the complaint's chain, the author left out
    (an author who is the only holder at the store goes up to the next unit that has another)."""
    users: list[Any] = []
    for unit in chain(complaint.unit):
        holders = nearest_role_holders(role, at=unit)
        if author is not None:
            holders = holders.exclude(pk=author.pk)
        users = list(holders)
        if users:
            break
    loads = dict(Approval.objects.filter(state=Approval.State.PENDING, approver__in=users)
                 .values_list("approver").annotate(n=Count("id")).values_list("approver", "n"))
    return sorted(users, key=lambda user: (loads.get(user.pk, 0), user.pk))


def _clean_lines(policy: Policy, data: PlanInput, problems: Problems) -> tuple[list[CleanLine], str]:
    kinds = {kind.code: kind for kind in policy.cost_kinds}
    default_currency = policy.approval.currency if policy.approval else policy.currency
    budget_kinds = set(policy.budget.kinds) if policy.budget else set()
    lines: list[CleanLine] = []
    currency = ""
    given = [line for line in data.lines if not line.blank()]
    if len(given) > MAX_LINES:
        problems.add("lines", _("A plan has at most %(n)d cost lines.") % {"n": MAX_LINES})
    for index, line in enumerate(data.lines):
        if line.blank():
            continue
        prefix = f"lines[{index}]"
        ok = True
        kind = str(line.kind or "").strip()
        if not kind:
            problems.add(f"{prefix}.kind", _("Choose the kind of cost."))
            ok = False
        elif kind not in kinds:
            problems.add(f"{prefix}.kind", _("Unknown kind of cost %(code)s; one of: %(all)s.")
                         % {"code": kind, "all": ", ".join(kinds)})
            ok = False
        amount = Decimal(0)
        raw = line.amount
        if raw is None or str(raw).strip() == "" or isinstance(raw, bool):
            problems.add(f"{prefix}.amount", _("Enter the amount."))
            ok = False
        else:
            try:
                amount = check.amount(raw if isinstance(raw, str | int | float | Decimal) else str(raw))
            except check.FieldInvalid as exc:
                problems.add(f"{prefix}.amount", exc.message)
                ok = False
            else:
                if amount != amount.quantize(CENT):
                    problems.add(f"{prefix}.amount", _("An amount has at most two decimals (fen)."))
                    ok = False
                elif amount >= Decimal("1e10"):
                    problems.add(f"{prefix}.amount", _("The amount is too large."))
                    ok = False
        code = str(line.currency or "").strip().upper() or default_currency
        if code not in policy.currencies:
            problems.add(f"{prefix}.currency", _("The policy does not use the currency %(code)s; use one of: "
                                                 "%(all)s.") % {"code": code, "all": ", ".join(policy.currencies)})
            ok = False
        elif currency and code != currency:
            problems.add(f"{prefix}.currency", _("All cost lines of a plan are in one currency (%(code)s).")
                         % {"code": currency})
            ok = False
        else:
            currency = currency or code
        description = str(line.description or "").strip()
        if len(description) > 255:
            problems.add(f"{prefix}.description", _("At most %(limit)d characters.") % {"limit": 255})
            ok = False
        if ok:
            counts = (kind in budget_kinds and policy.budget is not None and code == policy.budget.currency)
            lines.append(CleanLine(kind, description, amount.quantize(CENT), code, counts))
    return lines, currency or default_currency


def plan_check(policy: Policy, complaint: Complaint, author: Any, data: PlanInput, now: datetime) -> PlanCheck:
    """Validate a plan and work out its route and budget; nothing is written."""
    problems = Problems()
    tier = data.tier.strip()
    tier_def = None
    if policy.solution_tiers:
        if not tier:
            problems.add("tier", _("Choose the solution from the policy's catalogue."))
        else:
            try:
                tier_def = policy.tier(tier)
            except KeyError:
                problems.add("tier", _("Unknown solution %(code)s; one of: %(all)s.")
                             % {"code": tier, "all": ", ".join(t.code for t in policy.solution_tiers)})
    elif tier:
        problems.add("tier", _("The policy has no solution catalogue."))
    labels = {"what": _("Say what the solution is."), "who": _("Say who implements it."),
              "when": _("Say when it is implemented."), "where": _("Say where, or on which platform."),
              "why": _("Say why this solution."), "how": _("Say how it is carried out.")}
    for name in FIVE_W_ONE_H:
        value = str(getattr(data, name) or "").strip()
        if not value:
            problems.add(name, labels[name])
        elif len(value) > SHORT_FIELDS.get(name, 4000):
            problems.add(name, _("At most %(limit)d characters.") % {"limit": SHORT_FIELDS.get(name, 4000)})
    lines, currency = _clean_lines(policy, data, problems)
    total = sum((line.amount for line in lines), Decimal("0.00"))
    budget_total = sum((line.amount for line in lines if line.counts), Decimal("0.00"))

    steps: list[Step] = []
    route_reason = ""
    within: Role | None = None
    author_roles = roles_of(author, at=complaint)
    earlier = spent_on(complaint, policy.approval.currency) if policy.approval is not None else Decimal("0")
    if policy.approval is None:
        route_reason = "no_matrix"
    elif not problems.has("tier"):
        # the limits count the complaint's amount in all: this plan and what was spent before it
        amount = total + earlier if currency == policy.approval.currency else INFINITY
        route = rules.approval_route(policy, amount=amount, tier=tier_def.code if tier_def else None,
                                     author_roles=author_roles, level=complaint.level)
        route_reason = route.reason if currency == policy.approval.currency else "currency"
        within = route.within_limit_of
        steps = [Step(role=role, reason=route.reason) for role in route.roles]

    # the complaint's pending plan is replaced by this one: it commits nothing any more
    replaced = (Plan.objects.filter(complaint=complaint, state=Plan.State.PENDING, implemented_at__isnull=True)
                .order_by("-sequence").values_list("pk", flat=True).first())
    position = budget_position(policy, month_of(now, policy), now, exclude_plan=replaced,
                               unit=budget_unit(complaint))
    over = position is not None and position.would_exceed(budget_total)
    if over and position is not None:
        escalate = position.escalate_to
        route_roles = [step.role for step in steps]
        if rules.budget_escalation_role(policy, author_roles=author_roles, already=route_roles) is not None:
            steps.insert(rules.escalation_step_index(route_roles, escalate), Step(role=escalate, reason="budget"))
            within = None
        if not data.emergency_reason.strip():
            problems.add("emergency_reason", _(
                "This plan would exceed the monthly budget of %(monthly)s (left: %(left)s): it needs the emergency "
                "escalation to the %(role)s. Say why it is an emergency.") % {
                "monthly": money(position.monthly, position.currency),
                "left": money(position.left, position.currency), "role": role_label(policy, escalate)})
    for step in steps:
        step.approver, step.delegate = assign(step.role, author=author, now=now, complaint=complaint)
        if step.approver is None:
            problems.add("route", _("Nobody else holds the role %(role)s to approve this plan.")
                         % {"role": role_label(policy, step.role)})
    return PlanCheck(problems=problems, lines=lines, currency=currency, total=total, budget_total=budget_total,
                     steps=steps, route_reason=route_reason, within_limit_of=within, budget=position,
                     over_budget=over, tier_approver=tier_def.approver if tier_def else None, earlier=earlier)
