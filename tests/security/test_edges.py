"""Input at the edges: NUL characters, integers past 32 bits and year-1 dates are 422 on SQLite and
PostgreSQL alike, naming the field; a PATCH without If-Match is 428. Nothing is written."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.models import AuditEvent
from orgkit import PASSWORD


def _fields(response: Any) -> set[str]:
    assert response.status_code == 422, (response.status_code, response.content[:300])
    return {f["field"] for f in response.json_body["fields"]}


@pytest.mark.parametrize(("override", "field"), [
    ({"reason": "calls\x00drop"}, "reason"),
    ({"customer": {"first_name": "Ann",
                   "last_name": "Li\x00", "phone": "13812345678", "language": "en"}}, "customer.last_name"),
    ({"facts": {"fault_scenario": "x\x00y"}}, "facts.fault_scenario"),
    ({"facts": {"fault\x00scenario": "x"}}, "facts.fault\x00scenario"),
    ({"units": 2**31}, "units"),
    ({"units": -(2**63)}, "units"),
    ({"units": 10**30}, "units"),
    ({"received_at": "0001-01-01T00:00:00"}, "received_at"),
    ({"requested_deadline": "0001-01-01"}, "requested_deadline"),
    ({"product": {"model": "Reno", "purchase_date": "0001-01-01"}}, "product.purchase_date"),
    ({"received_at": "9999-12-31T23:59:59"}, "received_at"),
])
def test_registration_edges_are_422(api: Any, registration: Any, override: dict[str, Any], field: str) -> None:
    agent = api("agent")
    before = AuditEvent.objects.count()
    response = agent.post("/complaints", registration(**override))
    assert field in _fields(response)
    assert Complaint.objects.count() == 0 and AuditEvent.objects.count() == before


@pytest.mark.parametrize(("path", "field"), [
    ("/complaints?q=" + quote("abc\x00"), "q"),
    ("/complaints?page=2147483648", "page"),
    ("/complaints?page_size=99999999999999999999999", "page_size"),
    ("/complaints/TS-2026%00-0001", "path"),
    ("/plans/2147483648", "path"),
    ("/approvals/99999999999999999999999/decision", "path"),
    ("/budget?month=0001-01", "month"),
])
def test_query_and_path_edges_are_422(api: Any, path: str, field: str) -> None:
    client = api("specialist")
    response = client.post(path, {}) if path.endswith("/decision") else client.get(path)
    assert field in _fields(response)


def test_errors_at_the_edge_are_in_the_readers_language(api: Any, registration: Any) -> None:
    response = api("agent", language="zh-hans").post("/complaints", registration(units=2**40))
    assert response.status_code == 422 and "数字过大" in response.json_body["fields"][0]["message"]


def test_a_phone_or_imei_written_as_digits_is_not_a_number(api: Any, registration: Any) -> None:
    response = api("agent").post("/complaints", registration(
        customer={"first_name": "Ann", "last_name": "Li", "phone": "13812345678", "language": "en"},
        product={"model": "Reno", "imei": "490154203237518"}))
    assert response.status_code == 201, response.json_body
    assert api("agent").get("/complaints?q=13812345678").status_code == 200


def test_a_page_form_with_a_nul_character_is_refused(org: Any) -> None:
    client = Client()
    client.login(username="agent", password=PASSWORD)
    response = client.post("/complaints/new/", {"reason": "a\x00b"})
    assert response.status_code == 422 and "NUL" in response.content.decode()


def test_patch_without_if_match_is_428(api: Any, registration: Any) -> None:
    agent = api("agent")
    created = agent.post("/complaints", registration()).json_body
    response = agent.patch(f"/complaints/{created['number']}", {"reason": "changed"})
    assert response.status_code == 428 and response.json_body["error"] == "precondition_required"
    assert response.json_body["fields"][0]["field"] == "If-Match"
    assert agent.get(f"/complaints/{created['number']}").json_body["reason"] == created["reason"]
    huge = agent.patch(f"/complaints/{created['number']}", {"reason": "changed"}, HTTP_IF_MATCH="9" * 30)
    assert huge.status_code == 422
