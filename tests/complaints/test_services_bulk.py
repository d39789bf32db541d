"""Bulk actions from the list: accept, hand over and escalate many complaints, each on its own, with
one result per complaint (what could not be done keeps its state and says why)."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import act, register

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.bulk import complaint_bulk_act
from complaintdesk.core.errors import ValidationFailed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


@pytest.fixture
def three(org: Any) -> list[Any]:
    return [
        register(org["agent"]),
        register(org["agent"], customer={"first_name": "Ann",
                                         "last_name": "Two", "phone": "13912345672", "language": "en"}),
        register(org["agent"], facts={}, customer={"first_name": "Ann",
                                                   "last_name": "Gap", "phone": "13912345673", "language": "en"}),
    ]


def test_bulk_accept_reports_each_complaint(org: Any, three: list[Any]) -> None:
    results = complaint_bulk_act(actor=org["specialist"], numbers=[c.number for c in three], action="accept")
    assert [r.number for r in results] == [c.number for c in three]
    assert [r.ok for r in results] == [True, True, False]
    assert "cannot be accepted" in results[2].message
    statuses = {c.number: c.status for c in Complaint.objects.all()}
    assert statuses == {three[0].number: "accepted", three[1].number: "accepted", three[2].number: "registered"}


def test_bulk_hand_over_and_escalate(org: Any, three: list[Any]) -> None:
    mine = [act(org["specialist"], c, "accept") for c in three[:2]]
    numbers = [c.number for c in mine]
    results = complaint_bulk_act(actor=org["supervisor"], numbers=numbers, action="handover",
                                 to="supervisor", reason="Holiday cover")
    assert all(r.ok for r in results), results
    assert set(Complaint.objects.filter(number__in=numbers).values_list("owner__username", flat=True)) == {
        "supervisor"}
    before = {c.number: c.level for c in Complaint.objects.filter(number__in=numbers)}
    results = complaint_bulk_act(actor=org["supervisor"], numbers=numbers, action="escalate",
                                 reason="Customer threatens the media")
    assert all(r.ok for r in results), results
    after = {c.number: c.level for c in Complaint.objects.filter(number__in=numbers)}
    assert after != before


def test_escalating_without_a_reason_is_refused_per_row(org: Any, three: list[Any]) -> None:
    accepted = act(org["specialist"], three[0], "accept")
    results = complaint_bulk_act(actor=org["specialist"], numbers=[accepted.number], action="escalate")
    assert not results[0].ok and "escalated" in results[0].message


@pytest.mark.parametrize(("numbers", "action", "field"), [([], "accept", "numbers"), (["X"], "delete", "action")])
def test_nothing_selected_or_an_unknown_action_names_the_field(org: Any, numbers: list[str], action: str,
                                                               field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        complaint_bulk_act(actor=org["specialist"], numbers=numbers, action=action)
    assert [p.field for p in caught.value.problems] == [field]


def test_the_bulk_page_answers_line_by_line_in_chinese(org: Any, client: Any, three: list[Any]) -> None:
    client.force_login(org["specialist"])
    response = client.post("/complaints/bulk/", {"numbers": [three[0].number, three[2].number], "action": "accept",
                                                 "next": "/complaints/?status=registered"},
                           HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert response.redirect_chain[-1][0] == "/complaints/?status=registered"
    page = response.content.decode()
    assert f"{three[0].number}：已受理。" in page
    assert f"{three[2].number}：未执行——" in page


def test_the_bulk_page_refuses_an_outside_return_address(org: Any, client: Any, three: list[Any]) -> None:
    client.force_login(org["specialist"])
    response = client.post("/complaints/bulk/", {"numbers": [three[0].number], "action": "accept",
                                                 "next": "https://example.com/"})
    assert response.status_code == 302 and response.url == "/complaints/"


def test_agents_get_no_bulk_form(org: Any, client: Any, three: list[Any]) -> None:
    client.force_login(org["agent"])
    assert "bulk-form" not in client.get("/complaints/").content.decode()
    client.force_login(org["specialist"])
    assert 'data-testid="bulk-form"' in client.get("/complaints/").content.decode()
