"""The resolutions API through HTTP: every bad input of the issue refused with a message naming the
field and nothing changed, the inbox, decisions, the budget, petty cash, legal and precedents."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from reskit import api_for, make_complaint, plan_data, root_cause

from complaintdesk.accounts.services import token_create
from complaintdesk.core.models import AuditEvent
from complaintdesk.resolutions.models import Approval, BudgetEntry, CostLine, Plan
from orgkit import install_org

pytestmark = pytest.mark.django_db


def fields(response: Any) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json_body["fields"]}


def unchanged() -> tuple[int, int, int, int, int]:
    return (Plan.objects.count(), CostLine.objects.count(), Approval.objects.count(), BudgetEntry.objects.count(),
            AuditEvent.objects.count())


def test_a_plan_is_created_and_routed(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    response = pc_api("specialist").post(f"/complaints/{complaint.number}/plans",
                                         plan_data("2500", tier="replacement", kind="replacement_difference"))
    assert response.status_code == 201, response.json_body
    body = response.json_body
    assert body["state"] == "pending" and body["total"] == "2500.00" and body["currency"] == "CNY"
    assert body["tier"]["approver"]["code"] == "vp"
    (approval,) = body["approvals"]
    assert approval["role"]["code"] == "vp" and approval["approver"]["username"] == "vp"
    assert approval["due_at"] is not None
    inbox = pc_api("vp").get("/approvals?state=pending&mine=true")
    assert [item["plan_id"] for item in inbox.json_body] == [body["id"]]
    assert pc_api("supervisor").get("/approvals?state=pending&mine=true").json_body == []


@pytest.mark.parametrize(("amount", "message"), [("-5", "negative"), ("abc", "not a number"),
                                                  ("12.345", "two decimals"), ("", "Enter the amount")])
def test_a_bad_amount_is_refused_naming_the_field(pc: Any, pc_api: Any, amount: str, message: str) -> None:
    complaint = make_complaint(pc)
    client = pc_api("specialist")
    before = unchanged()
    response = client.post(f"/complaints/{complaint.number}/plans", plan_data(amount))
    assert response.status_code == 422
    assert message in fields(response)["lines[0].amount"]
    assert unchanged() == before


def test_a_numeric_json_amount_is_accepted(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    data = plan_data(lines=[{"kind": "gift", "amount": 99.5}])
    response = pc_api("specialist").post(f"/complaints/{complaint.number}/plans", data)
    assert response.status_code == 201 and response.json_body["total"] == "99.50"


def test_a_currency_the_policy_does_not_use_is_refused(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    client = pc_api("specialist")
    before = unchanged()
    response = client.post(f"/complaints/{complaint.number}/plans", plan_data("50", currency="USD"))
    assert response.status_code == 422
    assert "USD" in fields(response)["lines[0].currency"] and "CNY" in fields(response)["lines[0].currency"]
    assert unchanged() == before


def test_every_problem_of_a_plan_in_one_answer_in_chinese(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    data = plan_data(tier="teleport", what="", lines=[{"kind": "bribe", "amount": "-1", "currency": "EUR"}])
    response = pc_api("specialist", "zh-hans").post(f"/complaints/{complaint.number}/plans", data)
    assert response.status_code == 422
    found = fields(response)
    assert {"tier", "what", "lines[0].kind", "lines[0].amount", "lines[0].currency"} <= set(found)
    assert "负" in found["lines[0].amount"]


def test_unknown_keys_are_refused(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    response = pc_api("specialist").post(f"/complaints/{complaint.number}/plans", plan_data(budget="free"))
    assert response.status_code == 422 and "budget" in fields(response)


def _pending(pc: Any, pc_api: Any, amount: str = "2500", owner: str = "specialist", **extra: Any) -> dict[str, Any]:
    complaint = make_complaint(pc, owner=owner)
    data = plan_data(amount, **extra) if extra else plan_data(amount, tier="replacement", kind="replacement_difference")
    response = pc_api(owner).post(f"/complaints/{complaint.number}/plans", data)
    assert response.status_code == 201, response.json_body
    return {"complaint": complaint, "plan": response.json_body, "approval": response.json_body["approvals"][0]}


def test_a_decision_by_someone_who_is_not_the_named_approver_is_refused(pc: Any, pc_api: Any) -> None:
    made = _pending(pc, pc_api)
    client = pc_api("gm")
    before = unchanged()
    response = client.post(f"/approvals/{made['approval']['id']}/decision", {"decision": "approve"})
    assert response.status_code == 403
    assert "named approver" in response.json_body["message"]
    assert unchanged() == before


def test_a_second_decision_is_refused(pc: Any, pc_api: Any) -> None:
    made = _pending(pc, pc_api)
    url = f"/approvals/{made['approval']['id']}/decision"
    first = pc_api("vp").post(url, {"decision": "approve", "comment": "同意更换"})
    assert first.status_code == 200 and first.json_body["state"] == "approved"
    client = pc_api("vp")
    before = unchanged()
    second = client.post(url, {"decision": "reject", "comment": "撤回"})
    assert second.status_code == 409 and second.json_body["error"] == "conflict"
    assert unchanged() == before
    assert Approval.objects.get(pk=made["approval"]["id"]).state == "approved"


def test_approving_ones_own_plan_above_ones_limit_is_refused(pc: Any, pc_api: Any) -> None:
    made = _pending(pc, pc_api, "500", owner="supervisor", tier="service_compensation", kind="compensation")
    assert made["approval"]["role"]["code"] == "cs_head"
    client = pc_api("supervisor")
    before = unchanged()
    response = client.post(f"/approvals/{made['approval']['id']}/decision", {"decision": "approve"})
    assert response.status_code == 403 and "own plan" in response.json_body["message"]
    assert unchanged() == before


def test_a_bad_decision_and_a_rejection_without_reason_name_their_fields(pc: Any, pc_api: Any) -> None:
    made = _pending(pc, pc_api)
    url = f"/approvals/{made['approval']['id']}/decision"
    assert "decision" in fields(pc_api("vp").post(url, {"decision": "maybe"}))
    assert "comment" in fields(pc_api("vp").post(url, {"decision": "reject", "comment": ""}))


def test_resolving_with_a_pending_plan_is_refused(pc: Any, pc_api: Any) -> None:
    made = _pending(pc, pc_api)
    number = made["complaint"].number
    action = {"note": "已换机", "root_cause": root_cause(pc.policy), "corrective_action": "加强检验"}
    response = pc_api("specialist").post(f"/complaints/{number}/actions/resolve", action)
    assert response.status_code == 422
    assert "waiting for approval" in fields(response)["plan"]
    assert pc_api("specialist").get(f"/complaints/{number}").json_body["status"] == "in_progress"
    pc_api("vp").post(f"/approvals/{made['approval']['id']}/decision", {"decision": "approve"})
    response = pc_api("specialist").post(f"/complaints/{number}/actions/resolve", action)
    assert response.status_code == 200 and response.json_body["status"] == "resolved"


def test_preview_tells_route_and_budget_before_submitting(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    client = pc_api("specialist")
    before = unchanged()
    response = client.post(f"/complaints/{complaint.number}/plans/preview", plan_data("5200"))
    assert response.status_code == 200
    body = response.json_body
    assert [s["role"]["code"] for s in body["steps"]] == ["vp", "gm"]
    assert body["over_budget"] and body["escalate_to"]["code"] == "vp" and body["budget_after"] == "-200.00"
    assert "emergency_reason" in {p["field"] for p in body["problems"]}
    assert unchanged() == before
    small = pc_api("specialist").post(f"/complaints/{complaint.number}/plans/preview", plan_data("100")).json_body
    assert small["authorised_within_limit"] and small["within_limit_of"]["code"] == "specialist"


def test_budget_endpoint(pc: Any, pc_api: Any) -> None:
    made = _pending(pc, pc_api, "800", tier="service_compensation", kind="compensation")
    budget = pc_api("vp").get("/budget").json_body
    assert budget["monthly"] == "5000.00" and budget["commitments"] == "800.00" and budget["left"] == "4200.00"
    pc_api("cs_head").post(f"/approvals/{made['approval']['id']}/decision", {"decision": "approve"})
    budget = pc_api("vp").get(f"/budget?month={budget['month']}").json_body
    assert (budget["spend"], budget["commitments"], budget["left"]) == ("800.00", "0.00", "4200.00")
    assert budget["entries"][0]["complaint"] == made["complaint"].number
    assert {row["kind"]["code"]: row["amount"] for row in budget["kinds"]}["compensation"] == "800.00"
    bad = pc_api("vp").get("/budget?month=2026-13")
    assert bad.status_code == 422 and "month" in fields(bad)
    assert pc_api("agent").get("/budget").status_code == 403
    assert pc_api("vp").get("/budget?month=2025-12").json_body["spend"] == "0.00"


def test_customer_decision_and_implementation_over_the_api(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    plan = pc_api("specialist").post(f"/complaints/{complaint.number}/plans", plan_data("60")).json_body
    refused = pc_api("specialist").post(f"/plans/{plan['id']}/customer-decision", {"decision": "refused"})
    assert refused.status_code == 422 and "words" in fields(refused)
    accepted = pc_api("specialist").post(f"/plans/{plan['id']}/customer-decision",
                                         {"decision": "accepted", "channel": "phone", "words": "好的"})
    assert accepted.status_code == 200 and accepted.json_body["customer"]["decision"] == "accepted"
    done = pc_api("specialist").post(f"/plans/{plan['id']}/implemented", {"note": "礼品已寄出"})
    assert done.status_code == 200 and done.json_body["implemented_at"] is not None
    plans = pc_api("specialist").get(f"/complaints/{complaint.number}/plans").json_body
    assert [p["sequence"] for p in plans] == [1]


def test_delegation_over_the_api(pc: Any, pc_api: Any) -> None:
    made = _pending(pc, pc_api)
    created = pc_api("vp").post("/delegations", {"to": "gm", "until": "2099-01-01 00:00", "reason": "出差"})
    assert created.status_code == 201 and created.json_body["active"]
    inbox = pc_api("gm").get("/approvals?mine=true").json_body
    assert [a["id"] for a in inbox] == [made["approval"]["id"]]
    decided = pc_api("gm").post(f"/approvals/{made['approval']['id']}/decision", {"decision": "approve"})
    assert decided.json_body["on_behalf_of"]["username"] == "vp"
    bad = pc_api("vp").post("/delegations", {"to": "vp", "until": "yesterday", "reason": ""})
    assert {"to", "until", "reason"} <= set(fields(bad))


def test_legal_over_the_api(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    phoned = pc_api("specialist").post(f"/complaints/{complaint.number}/legal",
                                       {"phoned": True, "phone_note": "紧急电话咨询"})
    assert phoned.status_code == 201 and phoned.json_body["filing_due_at"] is not None
    consultation = phoned.json_body["id"]
    missing = pc_api("specialist").post(f"/legal/{consultation}/file", {"fields": {"complaint_summary": "起火"}})
    assert missing.status_code == 422 and "fields.legal_question" in fields(missing)
    form = {"complaint_summary": "起火", "customer_demand": "赔偿", "handling_so_far": "检测",
            "legal_question": "责任", "our_fault": "no"}
    filed = pc_api("specialist").post(f"/legal/{consultation}/file", {"fields": form})
    assert filed.status_code == 200 and filed.json_body["state"] == "filed"
    advice = pc_api("legal").post(f"/legal/{consultation}/advice", {"advice": "无过错，邮件反馈即可",
                                                                      "company_at_fault": False})
    assert advice.status_code == 200 and advice.json_body["company_at_fault"] is False
    assert pc_api("specialist").post(f"/legal/{consultation}/advice", {"advice": "x"}).status_code == 403
    client = Client()
    _token, clear = token_create(actor=None, username="specialist")
    upload = client.post(f"/api/v1/complaints/{complaint.number}/agreements",
                         {"kind": "oral_agreement", "terms": "电话同意维修"}, HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert upload.status_code == 201, upload.content
    legal = pc_api("specialist").get(f"/complaints/{complaint.number}/legal").json_body
    assert len(legal["consultations"]) == 1 and legal["agreements"][0]["written"] is False


def test_petty_cash_over_the_api(db: Any) -> None:
    hyper = install_org("hypermarket")
    complaint = make_complaint(hyper, owner="supervisor")
    chief = api_for(hyper, "supervisor")
    too_much = chief.post(f"/complaints/{complaint.number}/petty-cash",
                          {"kind": "cash", "amount": "120", "description": "补偿", "voucher_number": "B1"})
    assert too_much.status_code == 422 and "amount" in fields(too_much)
    paid = chief.post(f"/complaints/{complaint.number}/petty-cash",
                      {"kind": "cash", "amount": "100", "description": "补偿", "voucher_number": "B1"})
    assert paid.status_code == 201 and paid.json_body["countersign_due_at"] is not None
    manager = api_for(hyper, "cs_head")
    assert [p["id"] for p in manager.get("/petty-cash?state=pending").json_body] == [paid.json_body["id"]]
    signed = manager.post(f"/petty-cash/{paid.json_body['id']}/countersign", {"comment": "OK"})
    assert signed.status_code == 200 and signed.json_body["state"] == "countersigned"
    assert manager.post(f"/petty-cash/{paid.json_body['id']}/countersign", {}).status_code == 409


def test_precedents_over_the_api(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    response = pc_api("specialist").get(f"/complaints/{complaint.number}/precedents?q=主板")
    assert response.status_code == 200 and response.json_body == []


def test_a_written_agreement_is_uploaded_as_multipart(pc: Any, pc_api: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    complaint = make_complaint(pc)
    _token, clear = token_create(actor=None, username="specialist")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {clear}")
    url = f"/api/v1/complaints/{complaint.number}/agreements"
    missing = client.post(url, {"kind": "settlement_agreement", "terms": "赔偿3000元"})
    assert missing.status_code == 422 and '"file"' in missing.content.decode()
    fake = client.post(url, {"kind": "settlement_agreement", "terms": "赔偿3000元",
                             "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert fake.status_code == 422
    pdf = SimpleUploadedFile("和解协议.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    ok = client.post(url, {"kind": "settlement_agreement", "terms": "赔偿3000元", "file": pdf})
    assert ok.status_code == 201, ok.content.decode()
    assert ok.json()["written"] is True and ok.json()["file_name"] == "和解协议.pdf"


def test_the_openapi_document_lists_the_resolution_endpoints(pc_api: Any) -> None:
    paths = pc_api("specialist").get("/openapi.json").json_body["paths"]
    for path in ("/api/v1/complaints/{number}/plans", "/api/v1/approvals", "/api/v1/approvals/{approval_id}/decision",
                 "/api/v1/budget", "/api/v1/complaints/{number}/legal", "/api/v1/complaints/{number}/petty-cash"):
        assert path in paths


def test_cost_lines_may_also_be_called_cost_lines(pc: Any, pc_api: Any) -> None:
    complaint = make_complaint(pc)
    data = plan_data("120")
    data["cost_lines"] = data.pop("lines")
    response = pc_api("specialist").post(f"/complaints/{complaint.number}/plans", data)
    assert response.status_code == 201 and response.json_body["total"] == "120.00"
