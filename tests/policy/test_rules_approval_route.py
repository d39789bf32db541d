"""The approval-authority matrix at and around every limit, tiers with their own approver, the
author's own authority, petty cash."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policy_testkit import mini_policy

from complaintdesk.policy.load import load_preset
from complaintdesk.policy.rules import (
    approval_route,
    authority_limit,
    level_standard,
    petty_cash_covers,
    petty_cash_limit_for,
)
from complaintdesk.policy.schema import ApprovalMatrix, Policy, Role


@cache
def preset(name: str) -> Policy:
    return load_preset(name).policy


def route(policy: Policy, amount: str, *, tier: str | None = None, author: Role = Role.AGENT) -> tuple[Role, ...]:
    return approval_route(policy, amount=Decimal(amount), tier=tier, author_roles=[author]).roles


# --- pc maker (seed 001 §5) --------------------------------------------------------------------

PC_MAKER_BOUNDARIES = [
    ("0", Role.SPECIALIST),
    ("99.99", Role.SPECIALIST),
    ("100", Role.SPECIALIST),
    ("100.01", Role.SUPERVISOR),
    ("300", Role.SUPERVISOR),
    ("300.01", Role.CS_HEAD),
    ("800", Role.CS_HEAD),
    ("800.01", Role.VP),
    ("3000", Role.VP),
    ("3000.01", Role.GM),
    ("250000", Role.GM),
]


@pytest.mark.parametrize(("amount", "approver"), PC_MAKER_BOUNDARIES)
def test_pc_maker_matrix_at_and_around_every_limit(amount: str, approver: Role) -> None:
    assert route(preset("pc_maker"), amount) == (approver,)


@pytest.mark.parametrize(("amount", "approver"), PC_MAKER_BOUNDARIES)
def test_pc_maker_the_approver_himself_is_within_limit(amount: str, approver: Role) -> None:
    result = approval_route(preset("pc_maker"), amount=Decimal(amount), tier=None, author_roles=[approver])
    assert result.roles == ()
    assert result.within_limit_of == approver
    assert result.reason == "within_limit"


def test_pc_maker_specialist_decides_up_to_100_alone() -> None:
    policy = preset("pc_maker")
    assert route(policy, "100", author=Role.SPECIALIST) == ()
    assert route(policy, "100.01", author=Role.SPECIALIST) == (Role.SUPERVISOR,)


def test_pc_maker_supervisor_within_own_limit_and_above() -> None:
    policy = preset("pc_maker")
    assert route(policy, "250", author=Role.SUPERVISOR) == ()
    assert route(policy, "300", author=Role.SUPERVISOR) == ()
    assert route(policy, "300.01", author=Role.SUPERVISOR) == (Role.CS_HEAD,)


@pytest.mark.parametrize("tier", ["replacement", "upgrade", "refund"])
@pytest.mark.parametrize("amount", ["0", "50", "100", "800"])
def test_pc_maker_tiers_three_to_five_need_the_vp(tier: str, amount: str) -> None:
    result = approval_route(preset("pc_maker"), amount=Decimal(amount), tier=tier, author_roles=[Role.SPECIALIST])
    assert result.roles == (Role.VP,)
    assert result.reason == "tier"


def test_pc_maker_tier_above_vp_limit_goes_to_gm() -> None:
    assert route(preset("pc_maker"), "5000", tier="refund", author=Role.SPECIALIST) == (Role.GM,)


def test_pc_maker_vp_may_approve_a_replacement_himself() -> None:
    assert route(preset("pc_maker"), "2000", tier="replacement", author=Role.VP) == ()
    assert route(preset("pc_maker"), "2000", tier="replacement", author=Role.GM) == ()


def test_pc_maker_cheap_tiers_follow_the_amount() -> None:
    policy = preset("pc_maker")
    assert route(policy, "80", tier="special_spare_part", author=Role.SPECIALIST) == ()
    assert route(policy, "280", tier="service_compensation", author=Role.SPECIALIST) == (Role.SUPERVISOR,)


def test_pc_maker_legal_tier_is_reviewed_by_the_vp_and_approved_by_the_legal_office() -> None:
    """001 ⑥: "上报技术服务公司副总经理审核及法务处当天审批" — the VP reviews, then the legal office
    approves (``reviewed_by``), after whoever the amount needs."""
    policy = preset("pc_maker")
    assert route(policy, "50", tier="legal", author=Role.SPECIALIST) == (Role.VP, Role.LEGAL)
    assert route(policy, "500", tier="legal", author=Role.SPECIALIST) == (Role.CS_HEAD, Role.VP, Role.LEGAL)
    assert route(policy, "900", tier="legal", author=Role.SPECIALIST) == (Role.VP, Role.LEGAL)  # the VP once
    assert route(policy, "50", tier="legal", author=Role.VP) == (Role.LEGAL,)  # the reviewer wrote the plan
    # a tier without a reviewer is routed as before
    assert route(policy, "50", tier="refund", author=Role.SPECIALIST) == (Role.VP,)


def test_pc_maker_authority_limits() -> None:
    policy = preset("pc_maker")
    assert authority_limit(policy, Role.SPECIALIST) == Decimal(100)
    assert authority_limit(policy, Role.SUPERVISOR) == Decimal(300)
    assert authority_limit(policy, Role.CS_HEAD) == Decimal(800)
    assert authority_limit(policy, Role.VP) == Decimal(3000)
    assert authority_limit(policy, Role.GM) == Decimal("Infinity")
    assert authority_limit(policy, Role.AGENT) is None


# --- hypermarket (seed 002 retail 肆) ----------------------------------------------------------

HYPERMARKET_BOUNDARIES = [
    ("0.01", Role.AGENT),
    ("20", Role.AGENT),
    ("20.01", Role.SUPERVISOR),
    ("100", Role.SUPERVISOR),
    ("100.01", Role.CS_HEAD),
    ("5000", Role.CS_HEAD),
]


@pytest.mark.parametrize(("amount", "approver"), HYPERMARKET_BOUNDARIES)
def test_hypermarket_matrix_at_and_around_every_limit(amount: str, approver: Role) -> None:
    assert route(preset("hypermarket"), amount, author=Role.SPECIALIST) == (approver,)


def test_hypermarket_clerk_settles_up_to_20_alone() -> None:
    policy = preset("hypermarket")
    assert route(policy, "20", author=Role.AGENT) == ()
    assert route(policy, "20.01", author=Role.AGENT) == (Role.SUPERVISOR,)
    assert route(policy, "100", author=Role.SUPERVISOR) == ()
    assert route(policy, "100.01", author=Role.SUPERVISOR) == (Role.CS_HEAD,)


@pytest.mark.parametrize(("amount", "covered"), [("0", True), ("99.99", True), ("100", True), ("100.01", False)])
def test_hypermarket_petty_cash_up_to_100_inclusive(amount: str, covered: bool) -> None:
    assert petty_cash_covers(preset("hypermarket"), Decimal(amount)) is covered


def test_no_petty_cash_covers_nothing() -> None:
    assert not petty_cash_covers(preset("pc_maker"), Decimal(1))


# --- general rules -----------------------------------------------------------------------------


def test_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        route(mini_policy(), "-1")


def test_policy_without_matrix_is_refused() -> None:
    policy = mini_policy().model_copy(update={"approval": None})
    with pytest.raises(ValueError, match="no approval matrix"):
        route(policy, "1")


def test_chain_routes_through_every_holder_above_the_author() -> None:
    base = mini_policy()
    assert base.approval is not None
    chained = base.model_copy(update={"approval": base.approval.model_copy(update={"chain": True})})
    assert route(chained, "2000", author=Role.SPECIALIST) == (Role.SUPERVISOR, Role.VP)
    assert route(chained, "2000", author=Role.AGENT) == (Role.SPECIALIST, Role.SUPERVISOR, Role.VP)
    assert route(chained, "50", author=Role.SPECIALIST) == ()


def test_amount_above_a_bounded_last_limit_goes_to_the_last_holder() -> None:
    matrix = ApprovalMatrix.model_validate(
        {"currency": "CNY", "limits": [{"up_to": 20, "role": "agent"}, {"up_to": 100, "role": "supervisor"}]}
    )
    policy = mini_policy().model_copy(update={"approval": matrix})
    assert route(policy, "1000") == (Role.SUPERVISOR,)


ROLES_IN_ORDER = [Role.SPECIALIST, Role.SUPERVISOR, Role.CS_HEAD, Role.VP, Role.GM]
AMOUNTS = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@settings(deadline=None)
@given(AMOUNTS, AMOUNTS)
def test_a_larger_amount_never_needs_a_lower_approver(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    policy = preset("pc_maker")
    (first,) = route(policy, str(low))
    (second,) = route(policy, str(high))
    assert ROLES_IN_ORDER.index(first) <= ROLES_IN_ORDER.index(second)


@settings(deadline=None)
@given(AMOUNTS, st.sampled_from(ROLES_IN_ORDER))
def test_within_limit_exactly_when_the_authors_limit_covers_the_amount(amount: Decimal, author: Role) -> None:
    policy = preset("pc_maker")
    result = approval_route(policy, amount=amount, tier=None, author_roles=[author])
    limit = authority_limit(policy, author)
    assert limit is not None
    assert (result.roles == ()) is (amount <= limit)


@settings(deadline=None)
@given(AMOUNTS, st.sampled_from(["replacement", "upgrade", "refund"]))
def test_vp_tiers_always_reach_at_least_the_vp(amount: Decimal, tier: str) -> None:
    (approver,) = route(preset("pc_maker"), str(amount), tier=tier, author=Role.SPECIALIST)
    assert approver in {Role.VP, Role.GM}


# --- compensation standard by level (IPTV 投诉赔偿标准) and petty-cash payers ----------------------


@pytest.mark.parametrize(("level", "amount", "approver"), [
    ("blue", "30", Role.SUPERVISOR),
    ("yellow", "50", Role.SUPERVISOR),
    ("orange", "30", Role.QC_MANAGER),
    ("orange", "200", Role.QC_MANAGER),
    ("orange", "200.01", Role.CS_HEAD),
    ("red", "50", Role.CS_HEAD),
    ("red", "1000", Role.CS_HEAD),
    ("red", "1000.01", Role.GM),
])
def test_iptv_level_supervisor_compensates_within_the_levels_limit(level: str, amount: str, approver: Role) -> None:
    result = approval_route(preset("iptv"), amount=Decimal(amount), tier=None, author_roles=[Role.SPECIALIST],
                            level=level)
    assert result.roles == (approver,)


def test_iptv_level_supervisor_is_within_limit_and_the_tier_still_counts() -> None:
    policy = preset("iptv")
    own = approval_route(policy, amount=Decimal("150"), tier=None, author_roles=[Role.QC_MANAGER], level="orange")
    assert own.roles == () and own.within_limit_of == Role.QC_MANAGER
    tier = approval_route(policy, amount=Decimal("30"), tier="compensation", author_roles=[Role.SPECIALIST],
                          level="yellow")
    assert tier.roles == (Role.QC_MANAGER,)
    assert level_standard(policy, "orange", Decimal("200")) == Role.QC_MANAGER
    assert level_standard(policy, "orange", Decimal("200.01")) is None
    assert level_standard(policy, "blue", Decimal("1")) is None


def test_petty_cash_payer_limit_is_the_smaller_of_both_limits() -> None:
    policy = preset("hypermarket")
    assert petty_cash_limit_for(policy, [Role.AGENT]) == Decimal(20)
    assert petty_cash_limit_for(policy, [Role.SUPERVISOR]) == Decimal(100)
    assert petty_cash_limit_for(policy, [Role.AGENT, Role.SUPERVISOR]) == Decimal(100)
    assert petty_cash_limit_for(policy, [Role.CS_HEAD]) is None
    assert petty_cash_limit_for(preset("pc_maker"), [Role.SPECIALIST]) is None
