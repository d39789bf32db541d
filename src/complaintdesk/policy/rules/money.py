"""Money rules answered from the policy alone: authority limits, the compensation standard by
level, the approval route, the monthly budget's emergency escalation and petty cash. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from complaintdesk.policy.schema import Policy, Role

# --- approvals -------------------------------------------------------------------------------

ROLE_ORDER = [
    Role.AGENT,
    Role.SPECIALIST,
    Role.SUPERVISOR,
    Role.QC_MANAGER,
    Role.CS_HEAD,
    Role.VP,
    Role.GM,
]


@dataclass(frozen=True)
class ApprovalRoute:
    """Who must approve: ``roles`` in order (one role unless the matrix is a chain)."""

    roles: tuple[Role, ...]
    within_limit_of: Role | None = None
    reason: str = ""


def authority_limit(policy: Policy, role: Role) -> Decimal | None:
    """The largest amount ``role`` may approve alone, or None if the role has no authority.
    An unbounded limit is returned as ``Decimal('Infinity')``."""
    if policy.approval is None:
        return None
    for limit in policy.approval.limits:
        if limit.role == role:
            return limit.up_to if limit.up_to is not None else Decimal("Infinity")
    return None


def level_standard(policy: Policy, level: str | None, amount: Decimal) -> Role | None:
    """The compensation standard by level (IPTV 投诉赔偿标准): the supervisor of the complaint's
    level when the level has a ``compensation_limit`` that covers ``amount`` (inclusive), else None."""
    if level is None:
        return None
    try:
        definition = policy.level(level)
    except KeyError:
        return None
    limit = definition.compensation_limit
    if limit is None or definition.supervisor is None or amount > limit:
        return None
    return definition.supervisor


def approval_route(
    policy: Policy,
    *,
    amount: Decimal,
    tier: str | None,
    author_roles: Iterable[Role],
    level: str | None = None,
) -> ApprovalRoute:
    """Route an amount to its approvers.

    The first limit whose ``up_to`` is at least ``amount`` names the approver (amounts exactly on
    a limit go to the lower approver: "≤100"); an amount above every bounded limit of a matrix
    without an open-ended last limit goes to the last approver. When the complaint's ``level``
    has a compensation standard that covers the amount (:func:`level_standard`), that level's
    supervisor is the approver instead (``reason="level"``). A tier with its own approver
    needs that approver at least (``reason="tier"`` when the tier raised the approver). If one
    of the author's roles has authority for the amount and the tier (a role at or above the
    tier's approver in the matrix, or the tier's approver itself when that role is outside the
    matrix) the plan is authorised within limit and routes to nobody. With ``chain: true`` every
    holder above the author's own limit up to the needed one approves in turn. A tier whose plans are
    reviewed (``reviewed_by``) has its reviewer decide just before its approver.
    """
    route = _route(policy, amount=amount, tier=tier, author_roles=author_roles, level=level)
    definition = policy.tier(tier) if tier else None
    reviewer, approver = (definition.reviewed_by, definition.approver) if definition else (None, None)
    if reviewer is None or approver not in route.roles or reviewer in route.roles or reviewer in set(author_roles):
        return route
    # the tier's reviewer (``reviewed_by``) decides just before the tier's approver
    roles = list(route.roles)
    roles.insert(roles.index(approver), reviewer)
    return ApprovalRoute(tuple(roles), within_limit_of=route.within_limit_of, reason=route.reason)


def _route(policy: Policy, *, amount: Decimal, tier: str | None, author_roles: Iterable[Role],
           level: str | None) -> ApprovalRoute:
    if amount < 0:
        raise ValueError("amount must not be negative")
    if policy.approval is None:
        raise ValueError("the policy has no approval matrix")
    limits = policy.approval.limits
    authors = set(author_roles)
    index = next(
        (i for i, limit in enumerate(limits) if limit.up_to is None or amount <= limit.up_to),
        len(limits) - 1,
    )
    by_level = False
    standard = level_standard(policy, level, amount)
    if standard is not None:
        standard_index = next((i for i, limit in enumerate(limits) if limit.role == standard), None)
        if standard_index is None:
            # a level supervisor outside the matrix compensates alone, as the standard allows
            extra = policy.tier(tier).approver if tier else None
            roles = tuple(dict.fromkeys(role for role in (standard, extra) if role is not None and role not in authors))
            if not roles:
                return ApprovalRoute((), within_limit_of=standard, reason="within_limit")
            return ApprovalRoute(roles, reason="level")
        index = standard_index
        by_level = True
    tier_role = policy.tier(tier).approver if tier else None
    tier_index: int | None = None
    raised_by_tier = False
    if tier_role is not None:
        tier_index = next((i for i, limit in enumerate(limits) if limit.role == tier_role), None)
        if tier_index is not None and tier_index > index:
            index = tier_index
            raised_by_tier = True
    needed = limits[index].role
    own = [i for i, limit in enumerate(limits) if limit.role in authors]
    tier_satisfied = tier_role is None or tier_index is not None or tier_role in authors
    if own and max(own) >= index and tier_satisfied:
        return ApprovalRoute((), within_limit_of=limits[max(own)].role, reason="within_limit")
    if tier_role is not None and tier_index is None:
        # a tier approver outside the amount matrix approves after the amount approver, unless
        # the author may approve the amount alone
        amount_roles: tuple[Role, ...] = () if own and max(own) >= index else (needed,)
        return ApprovalRoute((*amount_roles, tier_role), reason="tier")
    if policy.approval.chain:
        start = max(own) + 1 if own else 0
        return ApprovalRoute(tuple(limit.role for limit in limits[start : index + 1]), reason="chain")
    return ApprovalRoute((needed,), reason="tier" if raised_by_tier else "level" if by_level else "amount")


def role_rank(role: Role) -> int:
    """A role's place in the approval ladder (``ROLE_ORDER``); roles outside it rank above all."""
    try:
        return ROLE_ORDER.index(role)
    except ValueError:
        return len(ROLE_ORDER)


# --- the monthly budget ------------------------------------------------------------------------


def exceeds_budget(left: Decimal, amount: Decimal) -> bool:
    """Whether spending ``amount`` (budget-counted costs) goes beyond what is ``left`` of the month's
    budget; nothing (or a negative amount) never exceeds it."""
    return amount > 0 and left - amount < 0


def budget_escalation_role(policy: Policy, *, author_roles: Iterable[Role],
                           already: Iterable[str] = ()) -> Role | None:
    """The role whose emergency approval an over-budget plan needs (the policy's
    ``budget.over_budget_escalate_to``), or None when the policy has no budget, the author holds
    that role, or the role is ``already`` on the plan's route or has approved it (role codes)."""
    if policy.budget is None:
        return None
    role = policy.budget.over_budget_escalate_to
    if role in set(author_roles) or role in set(already):
        return None
    return role


def escalation_step_index(route: Sequence[Role], role: Role) -> int:
    """Where the over-budget step goes in an approval route: before the first approver who ranks
    above ``role`` in the ladder, else at the end."""
    return next((i for i, step in enumerate(route) if role_rank(step) > role_rank(role)), len(route))


# --- petty cash --------------------------------------------------------------------------------


def petty_cash_covers(policy: Policy, amount: Decimal) -> bool:
    """Whether ``amount`` may be paid out of petty cash; the limit is inclusive (100元(含)以下)."""
    return policy.petty_cash is not None and Decimal(0) <= amount <= policy.petty_cash.limit


def petty_cash_limit_for(policy: Policy, roles: Iterable[Role]) -> Decimal | None:
    """The largest payout a holder of ``roles`` may make from petty cash at once: the smaller of
    the petty-cash limit and the payer's own authority in the matrix (a payer role outside the
    matrix is bounded by the petty-cash limit alone). None when no role may pay."""
    cash = policy.petty_cash
    if cash is None:
        return None
    best: Decimal | None = None
    for role in roles:
        if role not in cash.payer_roles:
            continue
        own = authority_limit(policy, role)
        limit = cash.limit if own is None else min(cash.limit, own)
        best = limit if best is None else max(best, limit)
    return best
