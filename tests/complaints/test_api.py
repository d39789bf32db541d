"""The complaints API through its HTTP interface: status codes, shapes, errors, languages, auth."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.complaints.models import Complaint, Customer, Product
from complaintdesk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_register_returns_201_with_the_record(api: Any, registration: Any) -> None:
    response = api("agent").post("/complaints", registration())
    assert response.status_code == 201, response.json_body
    body = response.json_body
    assert body["number"].startswith("TS-")
    assert body["status"] == "registered"
    assert body["level"]["code"] == "general"
    assert body["primary_target"]["code"] == "product"
    assert body["completeness"]["complete"] is True
    assert body["customer_detail"]["phone"] == "138****5678"
    assert body["customer_detail"]["masked"] is True
    assert body["product"]["imei"].count("*") == 7
    kinds = [entry["kind"] for entry in body["timeline"]]
    assert kinds[0] == "registered" and "message_queued" in kinds
    assert body["reply_due_at"] is not None
    assert body["policy"] == "phone_maker 2026.1"


def test_every_bad_input_is_422_with_all_fields(api: Any, registration: Any) -> None:
    before = (Customer.objects.count(), Product.objects.count(), Complaint.objects.count())
    response = api("agent").post("/complaints", registration(
        channel="fax", category="unknown",
        customer={"first_name": "Ann", "last_name": "Li", "phone": "12ab"},
        product={"imei": "490154203237519", "purchase_date": "2099-01-01"},
    ))
    assert response.status_code == 422
    body = response.json_body
    assert body["error"] == "invalid"
    fields = {item["field"]: item["message"] for item in body["fields"]}
    assert {"channel", "category", "customer.phone", "product.imei", "product.purchase_date"} <= set(fields)
    assert "Luhn" in fields["product.imei"]
    assert (Customer.objects.count(), Product.objects.count(), Complaint.objects.count()) == before


def test_errors_come_in_the_callers_language(api: Any, registration: Any) -> None:
    response = api("agent", language="zh-hans").post("/complaints", registration(channel="fax"))
    assert response.status_code == 422
    fields = {item["field"]: item["message"] for item in response.json_body["fields"]}
    assert "未知" in fields["channel"] or "渠道" in fields["channel"]


def test_wrong_json_types_are_422_in_the_same_format(api: Any) -> None:
    response = api("agent").post("/complaints", {"customer": "not an object", "channel": 5})
    assert response.status_code == 422
    assert response.json_body["error"] == "invalid"
    assert {item["field"] for item in response.json_body["fields"]} >= {"customer", "channel", "category"}


def test_missing_token_is_401(client: Any, org: Any) -> None:
    response = client.get("/api/v1/complaints")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_bad_token_is_401(client: Any, org: Any) -> None:
    response = client.get("/api/v1/complaints", HTTP_AUTHORIZATION="Bearer cdk_nonsense")
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["handler", "vp", "gm", "legal", "quality", "admin"])
def test_roles_that_may_not_register_get_403(api: Any, registration: Any, role: str) -> None:
    response = api(role).post("/complaints", registration())
    assert response.status_code == 403
    assert response.json_body["error"] == "forbidden"
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("role", ["agent", "specialist", "supervisor", "qc_manager", "cs_head"])
def test_roles_that_may_register(api: Any, registration: Any, role: str) -> None:
    assert api(role).post("/complaints", registration()).status_code == 201


def test_list_filters_and_pages(api: Any, registration: Any) -> None:
    agent = api("agent")
    agent.post("/complaints", registration())
    agent.post("/complaints", registration(category="serious_safety", targets=[], facts={},
                                           reason="Phone exploded while charging", customer={
                                               "first_name": "Ann", "last_name": "Li", "phone": "13912345678"}))
    api("specialist").post("/complaints", registration(customer={"first_name": "Ann",
                                                                 "last_name": "Wu", "phone": "13712345678"}))
    everything = agent.get("/complaints").json_body
    assert len(everything["results"]) == 3 and everything["has_next"] is False
    assert {r["level"]["code"] for r in agent.get("/complaints?level=major").json_body["results"]} == {"major"}
    mine = agent.get("/complaints?owner=me").json_body["results"]
    assert len(mine) == 2
    incomplete = agent.get("/complaints?complete=false").json_body["results"]
    assert [r["category"]["code"] for r in incomplete] == ["serious_safety"]
    found = agent.get("/complaints?q=exploded").json_body["results"]
    assert len(found) == 1
    paged = agent.get("/complaints?page_size=2&count=true").json_body
    assert paged["count"] == 3 and paged["has_next"] is True and len(paged["results"]) == 2
    assert agent.get("/complaints?page=0").status_code == 422


def test_chinese_search_finds_the_words(api: Any, registration: Any) -> None:
    agent = api("agent")
    agent.post("/complaints", registration(reason="用户要求退款并投诉服务态度", customer={
        "first_name": "Ann", "last_name": "王", "phone": "13812345678"}))
    agent.post("/complaints", registration(reason="Screen flickers", customer={"first_name": "Ann", "last_name": "Li",
                                                                               "phone": "13912345678"}))
    found = agent.get("/complaints?q=退款").json_body["results"]
    assert len(found) == 1 and "退款" in found[0]["reason"]


def test_get_one_and_404(api: Any, registration: Any) -> None:
    agent = api("agent")
    number = agent.post("/complaints", registration()).json_body["number"]
    assert agent.get(f"/complaints/{number}").json_body["number"] == number
    missing = agent.get("/complaints/TS-19990101-9999")
    assert missing.status_code == 404 and missing.json_body["error"] == "not_found"


def test_reveal_shows_contact_data_and_is_audited(api: Any, registration: Any) -> None:
    agent = api("agent")
    number = agent.post("/complaints", registration()).json_body["number"]
    body = agent.get(f"/complaints/{number}?reveal=true").json_body
    assert body["customer_detail"]["phone"] == "+8613812345678" and body["customer_detail"]["masked"] is False
    assert AuditEvent.objects.filter(action="customer.reveal", complaint_number=number).count() == 1
    vp_view = api("vp").get(f"/complaints/{number}?reveal=true").json_body
    assert vp_view["customer_detail"]["masked"] is True


def test_handler_without_work_orders_sees_no_complaint(api: Any, registration: Any) -> None:
    number = api("agent").post("/complaints", registration()).json_body["number"]
    handler = api("handler")
    assert handler.get("/complaints").json_body["results"] == []
    assert handler.get(f"/complaints/{number}").status_code == 404


def test_amend_fills_missing_facts_with_if_match(api: Any, registration: Any) -> None:
    agent = api("agent")
    created = agent.post("/complaints", registration(facts={"fault_scenario": "drops"})).json_body
    assert created["completeness"]["complete"] is False
    number, version = created["number"], created["version"]
    response = agent.patch(f"/complaints/{number}", {
        "facts": {"troubleshooting": "Reset"}, "missing_notes": {"repair_history": "Customer does not remember"}},
        HTTP_IF_MATCH=str(version))
    assert response.status_code == 200, response.json_body
    body = response.json_body
    assert body["completeness"]["complete"] is True and body["version"] == version + 1
    stale = agent.patch(f"/complaints/{number}", {"reason": "changed"}, HTTP_IF_MATCH=str(version))
    assert stale.status_code == 409 and stale.json_body["error"] == "stale"
    assert AuditEvent.objects.filter(action="complaint.amend", complaint_number=number).count() == 1


def test_amend_with_bad_values_changes_nothing(api: Any, registration: Any) -> None:
    agent = api("agent")
    created = agent.post("/complaints", registration()).json_body
    response = agent.patch(f"/complaints/{created['number']}", {"facts": {"nope": 1}, "reason": ""},
                           HTTP_IF_MATCH=str(created["version"]))
    assert response.status_code == 422
    assert {f["field"] for f in response.json_body["fields"]} == {"facts.nope", "reason"}
    again = agent.get(f"/complaints/{created['number']}").json_body
    assert again["version"] == created["version"] and again["reason"] == created["reason"]


def test_amend_raises_the_level_when_new_facts_trigger_it(api: Any, registration: Any) -> None:
    agent = api("agent")
    created = agent.post("/complaints", registration()).json_body
    body = agent.patch(f"/complaints/{created['number']}", {
        "description": "The phone exploded in his hand"}, HTTP_IF_MATCH=str(created["version"])).json_body
    assert body["level"]["code"] == "major" and body["suggested_level"]["code"] == "major"
    assert any(entry["kind"] == "level_raised" for entry in body["timeline"])


def test_session_auth_requires_csrf(client: Any, org: Any, registration: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(org["agent"])
    response = strict.post("/api/v1/complaints", registration(), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


def test_openapi_document_lists_the_endpoints(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/complaints" in spec["paths"] and "/api/v1/complaints/{number}" in spec["paths"]


def test_healthz(client: Any, db: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
