"""The monthly budget's emergency escalation (pc maker §3.5: "基本控制在5000元之内", over it the VP
approves): when a plan exceeds what is left, who must approve and where that step goes in the
route. Pure: no database."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaintdesk.policy.load import load_preset
from complaintdesk.policy.rules import (
    ROLE_ORDER,
    budget_escalation_role,
    escalation_step_index,
    exceeds_budget,
    role_rank,
)
from complaintdesk.policy.schema import Policy, Role


@cache
def preset(name: str) -> Policy:
    return load_preset(name).policy


@pytest.mark.parametrize(("left", "amount", "exceeds"), [
    ("100", "99.99", False),
    ("100", "100", False),     # spending exactly what is left stays within the budget
    ("100", "100.01", True),
    ("0", "0.01", True),
    ("0", "0", False),         # nothing spent never exceeds, even with nothing left
    ("-50", "0", False),
    ("-50", "1", True),        # an already exceeded budget: any further cost exceeds it
])
def test_exceeds_budget_at_the_boundary(left: str, amount: str, exceeds: bool) -> None:
    assert exceeds_budget(Decimal(left), Decimal(amount)) is exceeds


@given(left=st.decimals(min_value=-10_000, max_value=10_000, places=2),
       amount=st.decimals(min_value=0, max_value=10_000, places=2))
def test_exceeds_budget_means_less_than_nothing_left_after_a_real_cost(left: Decimal, amount: Decimal) -> None:
    assert exceeds_budget(left, amount) == (amount > 0 and left - amount < 0)


def test_the_pc_maker_escalates_over_budget_plans_to_the_vp() -> None:
    policy = preset("pc_maker")
    assert budget_escalation_role(policy, author_roles=[Role.SPECIALIST]) == Role.VP


def test_no_escalation_when_the_author_is_the_vp_or_the_vp_is_already_on_the_route() -> None:
    policy = preset("pc_maker")
    assert budget_escalation_role(policy, author_roles=[Role.VP]) is None
    assert budget_escalation_role(policy, author_roles=[Role.SPECIALIST], already=[Role.VP]) is None
    # role codes read back from the database count the same as roles
    assert budget_escalation_role(policy, author_roles=[Role.SPECIALIST], already=["vp"]) is None
    assert budget_escalation_role(policy, author_roles=[Role.SPECIALIST], already=["supervisor"]) == Role.VP


def test_no_escalation_without_a_budget() -> None:
    policy = preset("pc_maker").model_copy(update={"budget": None})
    assert budget_escalation_role(policy, author_roles=[Role.AGENT]) is None


@pytest.mark.parametrize(("route", "index"), [
    ((), 0),
    ((Role.SUPERVISOR,), 1),                 # the VP approves after the supervisor
    ((Role.CS_HEAD,), 1),
    ((Role.GM,), 0),                         # …and before the general manager
    ((Role.SUPERVISOR, Role.CS_HEAD, Role.GM), 2),
])
def test_the_escalation_step_goes_before_the_first_higher_approver(route: tuple[Role, ...], index: int) -> None:
    assert escalation_step_index(route, Role.VP) == index


def test_a_role_outside_the_ladder_ranks_above_every_rung() -> None:
    assert role_rank(Role.ADMIN) == len(ROLE_ORDER)
    assert escalation_step_index((Role.ADMIN,), Role.VP) == 0
    assert [role_rank(role) for role in ROLE_ORDER] == list(range(len(ROLE_ORDER)))
