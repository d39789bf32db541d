"""Registration in a unit: the unit chosen or the registering user's home unit, the unit's policy,
the portal's ``?unit=``, the import's ``unit`` column and the unit on the complaint as returned."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.intake import complaint_register_public
from complaintdesk.complaints.services.receiving import home_unit, registration_units
from complaintdesk.core.errors import PermissionDenied, ValidationFailed
from complaintdesk.units.models import Unit
from unittree import Tree, build_tree, install_inactive, variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(org: Any) -> Tree:
    return build_tree()


def register(user: Any, registration: Any, **overrides: Any) -> Complaint:
    return complaint_register(actor=user, data=ComplaintIn(**registration(**overrides)).to_input())


def unit_problem(exc: pytest.ExceptionInfo[ValidationFailed]) -> str:
    fields = {p.field: str(p.message) for p in exc.value.problems}
    assert list(fields) == ["unit"]
    return fields["unit"]


def test_named_unit_is_written_with_its_policy(org: Any, tree: Tree, registration: Any) -> None:
    complaint = register(tree.users["sup_east"], registration, unit="dealer-b")
    assert complaint.unit == tree["dealer-b"]
    assert complaint.policy_version == org.version


def test_home_unit_of_a_member_of_one_unit(tree: Tree, registration: Any) -> None:
    assert register(tree.users["agent_a"], registration).unit == tree["dealer-a"]


def test_home_unit_is_the_deepest_of_one_line(tree: Tree, registration: Any) -> None:
    # a specialist of the region who is also an agent of dealer A registers at dealer A by default
    assert home_unit(tree.users["line"]) == tree["dealer-a"]
    assert register(tree.users["line"], registration).unit == tree["dealer-a"]


def test_user_with_roles_but_no_membership_registers_at_head_office(org: Any, tree: Tree,
                                                                     registration: Any) -> None:
    assert register(org["agent"], registration).unit == tree["hq"]


def test_two_units_side_by_side_ask_for_a_choice(tree: Tree, registration: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        register(tree.users["twice"], registration)
    assert unit_problem(exc) == "Choose the unit that received the complaint."
    assert Complaint.objects.count() == 0
    assert register(tree.users["twice"], registration, unit="dealer-b").unit == tree["dealer-b"]


def test_unknown_unit(tree: Tree, registration: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        register(tree.users["agent_a"], registration, unit="nowhere")
    assert unit_problem(exc) == "There is no organisation unit nowhere."


def test_unit_outside_the_users_units_reads_as_unknown(tree: Tree, registration: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        register(tree.users["agent_a"], registration, unit="dealer-b")
    assert unit_problem(exc) == "There is no organisation unit dealer-b."
    assert Complaint.objects.count() == 0


def test_closed_unit(tree: Tree, registration: Any) -> None:
    Unit.objects.filter(code="dealer-b").update(active=False)
    with pytest.raises(ValidationFailed) as exc:
        register(tree.users["sup_east"], registration, unit="dealer-b")
    assert unit_problem(exc) == "The unit Dealer B is closed; choose another."


def test_role_that_may_not_register_at_the_unit(tree: Tree, registration: Any) -> None:
    from complaintdesk.units.services import membership_set

    # an agent of dealer A who is only a department handler at dealer B
    membership_set(actor=None, username="agent_a", unit="dealer-b", roles=["handler"])
    with pytest.raises(ValidationFailed) as exc:
        register(tree.users["agent_a"], registration, unit="dealer-b")
    assert unit_problem(exc) == "Your role may not register complaints at Dealer B."


def test_no_registering_role_anywhere_is_forbidden(tree: Tree, registration: Any) -> None:
    with pytest.raises(PermissionDenied):
        register(tree.users["handler_a"], registration, unit="dealer-a")


def test_registration_units_are_the_units_at_and_below(org: Any, tree: Tree) -> None:
    assert [u.code for u in registration_units(tree.users["sup_east"])] == ["east", "dealer-a", "dealer-b"]
    assert [u.code for u in registration_units(tree.users["agent_a"])] == ["dealer-a"]
    assert [u.code for u in registration_units(tree.users["handler_a"])] == []
    assert len(registration_units(org["agent"])) == 5


def test_unit_with_its_own_policy_registers_under_it(org: Any, tree: Tree, registration: Any) -> None:
    own = install_inactive(variant("phone_maker", "2026.9-dealer-a"))
    Unit.objects.filter(code="dealer-a").update(policy_version=own)
    at_a = register(tree.users["agent_a"], registration)
    at_b = register(tree.users["agent_b"], registration)
    assert at_a.policy_version == own
    assert at_b.policy_version == org.version


def test_public_registration_defaults_to_head_office_or_takes_a_unit(org: Any, tree: Tree, registration: Any) -> None:
    data = ComplaintIn(**registration()).to_input()
    default = complaint_register_public(owner=org["agent"], data=data, door="portal")
    at_c = complaint_register_public(owner=org["agent"], data=data, door="portal", unit=tree["dealer-c"])
    assert default.unit == tree["hq"]
    assert at_c.unit == tree["dealer-c"]


def test_api_returns_the_unit(api: Any, tree: Tree, registration: Any) -> None:
    response = api("agent").post("/complaints", registration(unit="dealer-c"))
    assert response.status_code == 201, response.json_body
    assert response.json_body["unit"] == {"code": "dealer-c", "name": "Dealer C"}
    number = response.json_body["number"]
    chinese = api("agent", language="zh-hans").get(f"/complaints/{number}")
    assert chinese.json_body["unit"] == {"code": "dealer-c", "name": "经销商C"}


def test_api_refuses_an_unknown_unit_on_the_unit_field(api: Any, tree: Tree, registration: Any) -> None:
    response = api("agent").post("/complaints", registration(unit="nowhere"))
    assert response.status_code == 422
    assert [f["field"] for f in response.json_body["fields"]] == ["unit"]


def test_numbers_carry_the_unit_prefix_and_count_per_unit(org: Any, registration: Any) -> None:
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from orgkit import install_variant

    install_variant("phone_maker", "2026.9-units",
                    ('pattern: "{prefix}-{date:%Y%m%d}-{seq:04d}"', 'pattern: "{unit}-{date:%Y%m%d}-{seq:04d}"'))
    tree = build_tree()
    today = timezone.now().astimezone(ZoneInfo(org.policy.timezone)).strftime("%Y%m%d")
    numbers = [register(tree.users[user], registration, **({"unit": unit} if unit else {})).number
               for user, unit in [("agent_a", ""), ("agent_b", ""), ("agent_a", ""), ("sup_east", "east"),
                                  ("sup_c", ""), ("sup_east", "east")]]
    assert numbers == [f"DA-{today}-0001", f"DB-{today}-0001", f"DA-{today}-0002",
                       f"TS-{today}-0001", f"TS-{today}-0002", f"TS-{today}-0003"]


def test_without_unit_in_the_pattern_one_counter_serves_every_unit(tree: Tree, registration: Any) -> None:
    first = register(tree.users["agent_a"], registration).number
    second = register(tree.users["agent_b"], registration).number
    assert first.startswith("TS-") and first.endswith("-0001") and second.endswith("-0002")
