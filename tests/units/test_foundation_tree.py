"""The unit tree (units/services.py) and scoping (units/scope.py): who reaches which unit, with which
roles, and the refusals that keep the tree whole."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.accounts.roles import can, has_role, role_codes
from complaintdesk.accounts.selectors import nearest_role_holders, role_holders
from complaintdesk.core.errors import PermissionDenied, ValidationFailed
from complaintdesk.units.models import Membership, Unit, root_unit
from complaintdesk.units.scope import chain, reaches, roles_at, scope_q, units_in_scope
from complaintdesk.units.services import membership_set, unit_create, unit_delete, unit_move

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(org: Any) -> dict[str, Unit]:
    north = unit_create(actor=None, code="north", name_zh="北区", name_en="North", kind="region")
    store_a = unit_create(actor=None, code="store-a", name_zh="A店", name_en="Store A", parent="north", kind="store")
    store_b = unit_create(actor=None, code="store-b", name_zh="B店", name_en="Store B", parent="north", kind="store")
    dealer = unit_create(actor=None, code="dealer-1", name_zh="一号经销商", name_en="Dealer 1", kind="dealer",
                         number_prefix="D1")
    return {"root": root_unit(), "north": north, "a": store_a, "b": store_b, "dealer": dealer}


def _fresh(user: Any) -> Any:
    return type(user).objects.get(pk=user.pk)


def test_paths_list_the_chain_from_head_office(tree: dict[str, Unit]) -> None:
    root, north, store_a = tree["root"], tree["north"], tree["a"]
    assert store_a.path == f"/{root.pk:08d}/{north.pk:08d}/{store_a.pk:08d}/"
    assert [u.code for u in chain(store_a)] == ["store-a", "north", root.code]
    assert store_a.depth == 2


def test_a_role_held_at_a_unit_holds_below_it_and_not_beside_it(org: Any, tree: dict[str, Unit]) -> None:
    membership_set(actor=None, username="supervisor", unit="store-a", roles=["supervisor"])
    membership_set(actor=None, username="supervisor", unit="store-b", roles=["agent"])
    user = _fresh(org["supervisor"])
    assert roles_at(user, tree["a"]) == {"supervisor"}
    assert roles_at(user, tree["b"]) == {"agent"}
    assert roles_at(user, tree["north"]) == frozenset()
    assert has_role(user, "supervisor", at=tree["a"]) and not has_role(user, "supervisor", at=tree["b"])
    assert can(user, "complaint.register", at=tree["b"])
    assert role_codes(user) == {"supervisor", "agent"}
    # groups follow as the union (what the admin's user page shows)
    assert set(user.groups.values_list("name", flat=True)) == {"supervisor", "agent"}


def test_a_user_with_roles_and_no_unit_belongs_to_head_office(org: Any, tree: dict[str, Unit]) -> None:
    user = _fresh(org["cs_head"])
    assert not Membership.objects.filter(user=user).exists()
    assert roles_at(user, tree["a"]) == {"cs_head"}
    assert reaches(user, tree["dealer"])
    assert {u.code for u in units_in_scope(user)} >= {"north", "store-a", "store-b", "dealer-1"}


def test_scope_filter_keeps_the_subtree_only(org: Any, tree: dict[str, Unit]) -> None:
    membership_set(actor=None, username="agent", unit="north", roles=["agent"])
    user = _fresh(org["agent"])
    inside = set(Unit.objects.filter(scope_q(user, "parent")).values_list("code", flat=True))
    assert inside == {"store-a", "store-b"}
    assert not reaches(user, tree["dealer"]) and reaches(user, tree["b"])
    # first placed in a unit, the user no longer holds the roles at head office implicitly
    assert roles_at(user, tree["dealer"]) == frozenset()


def test_role_holders_at_a_unit_and_the_nearest_desk(org: Any, tree: dict[str, Unit]) -> None:
    membership_set(actor=None, username="supervisor", unit="store-a", roles=["supervisor"])
    at_a = set(role_holders("supervisor", at=tree["a"]).values_list("username", flat=True))
    at_b = set(role_holders("supervisor", at=tree["b"]).values_list("username", flat=True))
    assert "supervisor" in at_a
    assert "supervisor" not in at_b  # placed in store A: no longer head office's supervisor
    membership_set(actor=None, username="cs_head", unit="north", roles=["supervisor"])
    at_b = set(role_holders("supervisor", at=tree["b"]).values_list("username", flat=True))
    assert at_b == {"cs_head"}
    assert [u.username for u in nearest_role_holders("supervisor", at=tree["a"])] == ["supervisor"]
    assert [u.username for u in nearest_role_holders("supervisor", at=tree["b"])] == ["cs_head"]
    assert list(nearest_role_holders("supervisor", at=tree["dealer"])) == []


def test_move_carries_the_subtree_and_refuses_cycles(tree: dict[str, Unit]) -> None:
    unit_move(actor=None, code="north", parent="dealer-1")
    store_a = Unit.objects.get(code="store-a")
    assert [u.code for u in chain(store_a)] == ["store-a", "north", "dealer-1", root_unit().code]
    with pytest.raises(ValidationFailed) as refused:
        unit_move(actor=None, code="dealer-1", parent="store-a")
    assert [p.field for p in refused.value.problems] == ["parent"]
    assert Unit.objects.get(code="dealer-1").parent_id == root_unit().pk


def test_create_refuses_bad_fields_all_at_once(tree: dict[str, Unit]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        unit_create(actor=None, code="Bad Code", name_zh="", name_en="", parent="nowhere", kind="castle",
                    number_prefix="x")
    fields = {p.field for p in refused.value.problems}
    assert fields == {"code", "name_zh", "name_en", "parent", "kind", "number_prefix"}
    assert not Unit.objects.filter(code="Bad Code").exists()


def test_delete_refuses_a_unit_with_units_below(tree: dict[str, Unit]) -> None:
    with pytest.raises(ValidationFailed):
        unit_delete(actor=None, code="north")
    unit_delete(actor=None, code="store-b")
    assert not Unit.objects.filter(code="store-b").exists()


def test_only_the_administrator_manages_the_tree(org: Any, tree: dict[str, Unit]) -> None:
    with pytest.raises(PermissionDenied):
        unit_create(actor=org["supervisor"], code="east", name_zh="东区", name_en="East")
    unit_create(actor=org["admin"], code="east", name_zh="东区", name_en="East")
    assert Unit.objects.filter(code="east").exists()
