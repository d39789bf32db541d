"""The demo's units: the dealer network has head office and three dealers with their users and
complaints, each dealer user seeing only its own dealer's; the hypermarket has two stores with their
section chiefs and agents; every other preset stays one organisation at head office."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk import demo
from complaintdesk.accounts.models import User
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import visible_complaints
from complaintdesk.units.models import Membership, Unit
from orgkit import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _password(monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPLAINTDESK_DEMO_PASSWORD", PASSWORD)


def test_the_dealer_network_demo_has_dealers_users_and_complaints() -> None:
    password, users, _note, logins = demo.prepare_data("dealer_network")
    assert password == PASSWORD and users[0] == "agent"
    dealers = {u.code: u for u in Unit.objects.filter(kind="dealer")}
    assert sorted(dealers) == ["dealer-a", "dealer-b", "dealer-c"]
    assert {(u.name_zh, u.name_en, u.number_prefix) for u in dealers.values()} >= {
        ("经销商A（杭州）", "Dealer A (Hangzhou)", "DA")}
    assert all(u.parent is not None and u.parent.kind == "head_office" for u in dealers.values())
    assert {(username, role, code) for username, role, code, _name in logins} == {
        (f"{code.replace('-', '_')}_{role}", role, code) for code in dealers
        for role in ("agent", "specialist", "supervisor")}
    for code in dealers:
        agent = User.objects.get(username=f"{code.replace('-', '_')}_agent")
        assert list(Membership.objects.filter(user=agent).values_list("unit__code", "role")) == [(code, "agent")]
        assert agent.check_password(PASSWORD)
        received = Complaint.objects.filter(unit__code=code)
        assert received.count() == 3
        # a dealer user sees only its dealer's complaints
        assert set(visible_complaints(agent).values_list("pk", flat=True)) == set(received.values_list("pk",
                                                                                                         flat=True))
    head_office = User.objects.get(username="supervisor")
    assert visible_complaints(head_office).count() == Complaint.objects.count() > 9
    # a second run changes nothing
    demo.prepare_data("dealer_network")
    assert Complaint.objects.filter(unit__kind="dealer").count() == 9 and Unit.objects.count() == 4


def test_the_hypermarket_has_two_stores_with_section_chiefs_and_agents(org: Any) -> None:
    logins = demo.prepare_units("hypermarket", PASSWORD, english=False)
    assert [(username, role, code) for username, role, code, _name in logins] == [
        ("store_1_agent", "agent", "store-1"), ("store_1_supervisor", "supervisor", "store-1"),
        ("store_2_agent", "agent", "store-2"), ("store_2_supervisor", "supervisor", "store-2")]
    assert logins[0][3] == "一号店（浦东）"
    chief = User.objects.get(username="store_2_supervisor")
    assert set(chief.groups.values_list("name", flat=True)) == {"supervisor"}
    assert list(Membership.objects.filter(user=chief).values_list("unit__code", flat=True)) == ["store-2"]
    assert demo.prepare_units("hypermarket", PASSWORD, english=False) == logins  # idempotent


def test_other_presets_stay_single_unit(org: Any) -> None:
    assert demo.prepare_units("phone_maker", PASSWORD, english=False) == []
    assert list(Unit.objects.values_list("code", flat=True)) == ["hq"]


def test_the_logins_table_names_each_unit_user_with_its_unit(monkeypatch: Any, capsys: Any) -> None:
    logins = [("dealer_a_agent", "agent", "dealer-a", "经销商A（杭州）")]
    monkeypatch.setattr(demo, "prepare", lambda preset: ("pw", ["agent", "admin"], "", logins))
    assert demo.run_demo(preset="dealer_network", serve=False) == 0
    out = capsys.readouterr().out
    assert "users: agent, admin (head office)" in out
    assert "dealer_a_agent  agent       dealer-a   经销商A（杭州）" in out
    monkeypatch.setattr(demo, "prepare", lambda preset: ("pw", ["agent", "admin"], "", []))
    demo.run_demo(preset="phone_maker", serve=False)
    assert "users: agent, admin\n" in capsys.readouterr().out
