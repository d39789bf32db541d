"""Transfer between units: up ("reported to head office") by the owner or a supervisor of the
complaint's unit, down or across by a supervisor of a unit above both; the new owner; the timeline
in both languages, the audit event, the notice, the report-up clock stopped; every refusal leaves
nothing changed; the API through HTTP; the page's form."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from workkit import notices, register, state_of

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.display import timeline
from complaintdesk.complaints.models import Complaint, OwnershipChange
from complaintdesk.complaints.services.unit_transfer import complaint_transfer_unit, transfer_targets
from complaintdesk.core.audit import seal_text
from complaintdesk.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.notify.models import Message
from complaintdesk.units.models import Unit
from orgkit import install_org
from unittree import Tree, build_tree

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


@pytest.fixture
def org() -> Any:
    return install_org("dealer_network")


@pytest.fixture
def tree(org: Any) -> Tree:
    return build_tree()


def at_unit(user: Any, unit: str = "") -> Complaint:
    return register(user, **({"unit": unit} if unit else {}))


def move(actor: Any, complaint: Complaint, to: str, reason: str = "Needs head office", **extra: Any) -> Complaint:
    return complaint_transfer_unit(actor=actor, number=complaint.number, to=to, reason=reason, **extra)


def problems(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


def test_the_owner_reports_up_to_head_office(org: Any, tree: Tree) -> None:
    complaint = at_unit(tree.users["agent_a"])
    assert Clock.objects.get(complaint=complaint, code="escalate_to_hq").status == "running"
    moved = move(tree.users["agent_a"], complaint, "hq", reason="Beyond the dealer's means")
    assert moved.unit == tree["hq"]
    # the dealer's agent may not own complaints at head office: head office's first supervisor takes it
    assert moved.owner == org["supervisor"]
    assert OwnershipChange.objects.get(complaint=moved).from_user == tree.users["agent_a"]
    assert Clock.objects.get(complaint=complaint, code="escalate_to_hq").status == "stopped"
    assert Clock.objects.get(complaint=complaint, code="dealer_response").status == "running"
    event = AuditEvent.objects.get(action="complaint.transfer_unit", complaint_number=complaint.number)
    assert event.before == {"unit": "dealer-a", "owner": "agent_a"}
    assert event.after == {"unit": "hq", "owner": "supervisor", "direction": "up",
                           "reason": seal_text("Beyond the dealer's means")}
    told = {m.recipient_user.username for m in Message.objects.filter(kind="unit_transfer")}
    assert told == {"supervisor", "hq_sup"}
    assert "Dealer A" in notices(org["supervisor"], "unit_transfer")[0].body
    assert moved.policy_version == complaint.policy_version
    with pytest.raises(NotFound):  # the dealer no longer sees it
        move(tree.users["agent_a"], complaint, "dealer-a")


def test_the_timeline_reads_in_both_languages(tree: Tree) -> None:
    complaint = move(tree.users["sup_a"], at_unit(tree.users["agent_a"]), "hq", reason="客户要求总部处理")
    texts = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            texts[language] = [row["text"] for row in timeline(complaint) if row["kind"] == "unit_transferred"]
    assert texts == {"en": ["Transferred from Dealer A to Head office: 客户要求总部处理"],
                     "zh-hans": ["由经销商A转至总部：客户要求总部处理"]}


def test_up_needs_the_owner_or_a_supervisor_of_the_unit(tree: Tree) -> None:
    complaint = at_unit(tree.users["agent_a"])
    before = state_of(complaint)
    with pytest.raises(PermissionDenied):  # another agent of the same dealer
        move(tree.users["twice"], complaint, "east")
    assert state_of(complaint) == before
    assert move(tree.users["sup_a"], complaint, "east").unit.code == "east"


def test_down_and_across_need_a_supervisor_above_both(org: Any, tree: Tree) -> None:
    at_a = at_unit(tree.users["agent_a"])
    with pytest.raises(PermissionDenied):  # the dealer's own supervisor cannot send it to a sibling
        move(tree.users["sup_a"], at_a, "dealer-b")
    with pytest.raises(PermissionDenied):  # the region's supervisor does not reach dealer C
        move(tree.users["sup_east"], at_a, "dealer-c")
    across = move(tree.users["sup_east"], at_a, "dealer-b", reason="Dealer B sold the product")
    assert across.unit.code == "dealer-b" and across.owner == tree.users["sup_b"]
    assert AuditEvent.objects.get(action="complaint.transfer_unit").after["direction"] == "across"
    assert not Clock.objects.filter(complaint=at_a, code="escalate_to_hq", status="stopped").exists()
    at_hq = at_unit(org["agent"])
    down = move(tree.users["hq_sup"], at_hq, "dealer-c", reason="The dealer installed it")
    assert down.unit.code == "dealer-c"
    assert down.owner == org["agent"]  # a head-office agent may own complaints everywhere below


def test_the_named_owner_must_own_complaints_at_the_target(tree: Tree) -> None:
    complaint = at_unit(tree.users["agent_a"])
    with pytest.raises(ValidationFailed) as exc:
        move(tree.users["sup_east"], complaint, "dealer-b", owner="agent_a")
    assert problems(exc) == {"owner": "Agent_A Unit may not own complaints at Dealer B."}
    moved = move(tree.users["sup_east"], complaint, "dealer-b", owner="agent_b")
    assert moved.owner == tree.users["agent_b"]


@pytest.mark.parametrize(
    ("to", "reason", "expected"),
    [
        ("hq", " ", {"reason": "Give the reason for the transfer."}),
        ("", "Because", {"to": "Choose the unit the complaint goes to."}),
        ("nowhere", "Because", {"to": "There is no active organisation unit nowhere."}),
        ("dealer-a", "Because", {"to": "The complaint already belongs to Dealer A."}),
        ("nowhere", "", {"to": "There is no active organisation unit nowhere.",
                         "reason": "Give the reason for the transfer."}),
    ],
)
def test_refusals_name_the_field_and_change_nothing(tree: Tree, to: str, reason: str,
                                                    expected: dict[str, str]) -> None:
    complaint = at_unit(tree.users["agent_a"])
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as exc:
        move(tree.users["sup_a"], complaint, to, reason=reason)
    assert problems(exc) == expected
    assert state_of(complaint) == before


def test_a_closed_unit_or_a_finished_complaint_is_refused(tree: Tree) -> None:
    complaint = at_unit(tree.users["agent_a"])
    Unit.objects.filter(code="east").update(active=False)
    with pytest.raises(ValidationFailed) as exc:
        move(tree.users["sup_a"], complaint, "east")
    assert problems(exc) == {"to": "There is no active organisation unit east."}
    Complaint.objects.filter(pk=complaint.pk).update(status="closed")
    with pytest.raises(InvalidTransition):
        move(tree.users["sup_a"], complaint, "hq")


def test_the_page_offers_only_the_units_the_user_may_send_to(org: Any, tree: Tree) -> None:
    complaint = at_unit(tree.users["agent_a"])
    assert [u.code for u in transfer_targets(tree.users["agent_a"], complaint)] == ["hq", "east"]
    assert [u.code for u in transfer_targets(tree.users["sup_east"], complaint)] == ["hq", "east", "dealer-b"]
    assert [u.code for u in transfer_targets(tree.users["twice"], complaint)] == []
    assert len(transfer_targets(tree.users["hq_sup"], complaint)) == 4


def test_the_page_form_in_both_languages(tree: Tree, client: Any) -> None:
    complaint = at_unit(tree.users["agent_a"])
    client.force_login(tree.users["sup_east"])
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "转至其他单位" in page and 'value="dealer-b"' in page and 'value="dealer-c"' not in page
    client.force_login(tree.users["twice"])
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="unit-transfer-card"' not in page
    client.force_login(tree.users["sup_east"])
    refused = client.post(f"/complaints/{complaint.number}/transfer-unit/", {"to": "dealer-b", "reason": ""},
                          HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Give the reason for the transfer." in refused.content.decode()
    done = client.post(f"/complaints/{complaint.number}/transfer-unit/", {"to": "dealer-b", "reason": "Sold by B"},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 302 and done["Location"].endswith("#unit-transfer")
    assert Complaint.objects.get(pk=complaint.pk).unit.code == "dealer-b"
    client.force_login(tree.users["sup_b"])  # dealer B's supervisor, who took it over
    up = client.post(f"/complaints/{complaint.number}/transfer-unit/", {"to": "hq", "reason": "For head office"},
                     HTTP_ACCEPT_LANGUAGE="en")
    assert up.status_code == 302 and up["Location"] == "/complaints/"  # sent where the dealer does not see


def test_the_api(org: Any, tree: Tree) -> None:
    import json

    from django.test import Client

    from complaintdesk.accounts.services import token_create

    complaint = at_unit(tree.users["agent_a"])

    class Caller:
        def __init__(self, username: str, language: str) -> None:
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=None, username=username)[1]}",
                            "HTTP_ACCEPT_LANGUAGE": language}

        def post(self, path: str, body: dict[str, str]) -> Any:
            response = Client().post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json",
                                     **self.headers)
            response.json_body = json.loads(response.content)
            return response

    def client(username: str, language: str = "en") -> Caller:
        return Caller(username, language)

    path = f"/complaints/{complaint.number}/transfer-unit"
    refused = client("sup_east", "zh-hans").post(path, {"to": "dealer-b"})
    assert refused.status_code == 422
    assert refused.json_body["fields"] == [{"field": "reason", "message": "请填写转移原因。"}]
    assert client("sup_a").post(path, {"to": "dealer-b", "reason": "x"}).status_code == 403
    assert client("agent_b").post(path, {"to": "hq", "reason": "x"}).status_code == 404
    done = client("sup_east").post(path, {"to": "dealer-b", "reason": "Sold by B", "owner": "agent_b"})
    assert done.status_code == 200, done.json_body
    assert done.json_body == {"number": complaint.number, "unit": {"code": "dealer-b", "name": "Dealer B"},
                              "owner": "agent_b", "visible": True}
    up = client("agent_b").post(path, {"to": "hq", "reason": "Head office decides"})
    assert up.json_body["visible"] is False and up.json_body["unit"]["code"] == "hq"
