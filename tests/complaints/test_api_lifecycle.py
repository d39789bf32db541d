"""POST /api/v1/complaints/{number}/actions/{name} through HTTP: the same rules as the service, with
409 for a refused transition, 422 naming every bad field, 403 and 404."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import bring_to, register, root_cause, state_of

from complaintdesk.complaints.models import Complaint, OwnershipChange

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def fields(response: Any) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json_body["fields"]}


def test_accept_start_resolve_close_through_the_api(org: Any, api: Any) -> None:
    number = register(org["agent"]).number
    client = api("specialist")
    response = client.post(f"/complaints/{number}/actions/accept")
    assert response.status_code == 200, response.json_body
    assert response.json_body["status"] == "accepted"
    assert response.json_body["owner"] == org["specialist"].display_name()
    assert "start" in response.json_body["actions"] and "accept" not in response.json_body["actions"]
    assert client.post(f"/complaints/{number}/actions/start").json_body["status"] == "in_progress"
    response = client.post(f"/complaints/{number}/actions/resolve", {
        "note": "Battery replaced", "root_cause": root_cause(org.policy),
        "corrective_action": "Battery check added to the checklist"})
    assert response.status_code == 200 and response.json_body["status"] == "resolved"
    kinds = [entry["kind"] for entry in response.json_body["timeline"]]
    assert {"status_accept", "status_start", "status_resolve", "handover"} <= set(kinds)
    assert client.post(f"/complaints/{number}/actions/close").json_body["status"] == "closed"


@pytest.mark.parametrize(("state", "action"), [("registered", "close"), ("registered", "resolve"),
                                               ("closed", "accept"), ("rejected", "reopen"),
                                               ("in_progress", "reject"), ("registered", "resume")])
def test_a_refused_transition_is_409_and_changes_nothing(org: Any, api: Any, state: str, action: str) -> None:
    complaint = bring_to(org, register(org["agent"]), state)
    before = state_of(complaint)
    response = api("supervisor").post(f"/complaints/{complaint.number}/actions/{action}", {"note": "x"})
    assert response.status_code == 409, response.json_body
    assert response.json_body["error"] == "invalid_transition"
    assert response.json_body["message"]
    assert state_of(complaint) == before


def test_a_refused_transition_is_explained_in_chinese(org: Any, api: Any) -> None:
    complaint = register(org["agent"])
    response = api("supervisor", language="zh-hans").post(f"/complaints/{complaint.number}/actions/close")
    assert response.status_code == 409
    assert "已登记" in response.json_body["message"]


def test_reject_without_a_valid_reason_is_422(org: Any, api: Any) -> None:
    complaint = register(org["agent"])
    before = state_of(complaint)
    response = api("specialist").post(f"/complaints/{complaint.number}/actions/reject", {"reason": "boring"})
    assert response.status_code == 422
    problem = fields(response)["reason"]
    assert "An enquiry, not a complaint" in problem and "Duplicate registration" in problem
    assert "not_a_complaint" not in problem  # the reasons by their labels, never their codes
    assert state_of(complaint) == before
    response = api("specialist").post(f"/complaints/{complaint.number}/actions/reject", {"reason": "duplicate"})
    assert response.status_code == 200 and response.json_body["status"] == "rejected"
    assert response.json_body["outcome_reason"] == "duplicate"


def test_withdraw_without_who_is_422_and_with_who_is_recorded(org: Any, api: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    response = api("specialist").post(f"/complaints/{complaint.number}/actions/withdraw")
    assert response.status_code == 422 and "withdrawn_by" in fields(response)
    response = api("specialist").post(f"/complaints/{complaint.number}/actions/withdraw",
                                      {"withdrawn_by": "The customer by e-mail"})
    assert response.status_code == 200
    assert response.json_body["withdrawn_by"] == "The customer by e-mail"


def test_handover_through_the_api(org: Any, api: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "accepted")
    before = state_of(complaint)
    response = api("specialist").post(f"/complaints/{complaint.number}/actions/handover", {"to": "handler"})
    assert response.status_code == 422
    assert set(fields(response)) == {"to", "reason"}
    assert state_of(complaint) == before
    response = api("specialist").post(f"/complaints/{complaint.number}/actions/handover",
                                      {"to": "supervisor", "reason": "Needs a team lead"})
    assert response.status_code == 200 and response.json_body["owner"] == org["supervisor"].display_name()
    assert OwnershipChange.objects.filter(complaint=complaint, to_user=org["supervisor"]).count() == 1


def test_unknown_action_and_unknown_fields_are_422(org: Any, api: Any) -> None:
    complaint = register(org["agent"])
    response = api("specialist").post(f"/complaints/{complaint.number}/actions/fly")
    assert response.status_code == 422 and "action" in fields(response)
    response = api("specialist").post(f"/complaints/{complaint.number}/actions/accept", {"owner": "me"})
    assert response.status_code == 422 and "owner" in fields(response)
    assert Complaint.objects.get(pk=complaint.pk).status == "registered"


def test_permission_and_unknown_complaint(org: Any, api: Any) -> None:
    complaint = register(org["agent"])
    assert api("legal").post(f"/complaints/{complaint.number}/actions/accept").status_code == 403  # decision 0010
    assert api("handler").post(f"/complaints/{complaint.number}/actions/accept").status_code == 404  # outside its scope
    assert api("specialist").post("/complaints/TS-20990101-0001/actions/accept").status_code == 404
    assert Complaint.objects.get(pk=complaint.pk).status == "registered"


def test_pause_and_resume_through_the_api(org: Any, api: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    client = api("specialist")
    response = client.post(f"/complaints/{complaint.number}/actions/pause", {"condition": "holiday"})
    assert response.status_code == 422 and "waiting_on_customer" in fields(response)["condition"]
    response = client.post(f"/complaints/{complaint.number}/actions/pause", {"condition": "waiting_on_customer"})
    assert response.status_code == 200 and response.json_body["waiting_on"] == "waiting_on_customer"
    first = next(c for c in response.json_body["clocks"] if c["code"] == "first_reply")
    assert first["paused"] is True
    assert client.post(f"/complaints/{complaint.number}/actions/pause",
                       {"condition": "external_appraisal"}).status_code == 409
    response = client.post(f"/complaints/{complaint.number}/actions/resume")
    assert response.status_code == 200 and response.json_body["waiting_on"] == ""


def test_extension_without_reason_or_approver_is_refused(org: Any, api: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    response = api("supervisor").post(f"/complaints/{complaint.number}/actions/extend", {})
    assert response.status_code == 422
    assert {"clock", "by", "reason"} <= set(fields(response))
