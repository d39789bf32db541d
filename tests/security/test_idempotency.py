"""Idempotency-Key on every POST of the API: the first answer again, 422 for another body, 24 hours."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.models import AuditEvent
from complaintdesk.security.models import IdempotencyRecord


def test_a_retried_registration_returns_the_first_answer_and_creates_nothing(api: Any, registration: Any) -> None:
    agent = api("agent")
    first = agent.post("/complaints", registration(), HTTP_IDEMPOTENCY_KEY="reg-7f3a")
    assert first.status_code == 201
    events = AuditEvent.objects.count()
    again = agent.post("/complaints", registration(), HTTP_IDEMPOTENCY_KEY="reg-7f3a")
    assert again.status_code == 201 and again.json_body == first.json_body
    assert again["Idempotent-Replayed"] == "true"
    assert Complaint.objects.count() == 1 and AuditEvent.objects.count() == events
    # without a key (or with another one) a POST is a new request
    assert agent.post("/complaints", registration(), HTTP_IDEMPOTENCY_KEY="reg-8b1c").status_code == 201
    assert Complaint.objects.count() == 2


def test_the_same_key_with_another_body_is_422(api: Any, registration: Any) -> None:
    agent = api("agent")
    agent.post("/complaints", registration(), HTTP_IDEMPOTENCY_KEY="k-1")
    other = agent.post("/complaints", registration(reason="Another reason entirely"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other.json_body["error"] == "idempotency_key_reused"
    assert other.json_body["fields"][0]["field"] == "Idempotency-Key"
    assert Complaint.objects.count() == 1
    zh = agent.post("/complaints", registration(reason="x y z"), HTTP_IDEMPOTENCY_KEY="k-1",
                    HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh.status_code == 422 and "24 小时" in zh.json_body["message"]


def test_keys_belong_to_their_caller(api: Any, registration: Any) -> None:
    first = api("agent").post("/complaints", registration(), HTTP_IDEMPOTENCY_KEY="shared")
    second = api("specialist").post("/complaints", registration(), HTTP_IDEMPOTENCY_KEY="shared")
    assert first.status_code == second.status_code == 201
    assert first.json_body["number"] != second.json_body["number"]


def test_other_posts_are_idempotent_too(api: Any, registration: Any) -> None:
    number = api("agent").post("/complaints", registration()).json_body["number"]
    specialist = api("specialist")
    first = specialist.post(f"/complaints/{number}/actions/accept", {}, HTTP_IDEMPOTENCY_KEY="acc-1")
    assert first.status_code == 200, first.json_body
    events = AuditEvent.objects.filter(complaint_number=number).count()
    # accepting twice would be an invalid transition; the retry gets the first answer instead
    again = specialist.post(f"/complaints/{number}/actions/accept", {}, HTTP_IDEMPOTENCY_KEY="acc-1")
    assert again.status_code == 200 and again.json_body == first.json_body
    assert AuditEvent.objects.filter(complaint_number=number).count() == events
    assert specialist.post(f"/complaints/{number}/actions/accept", {}).status_code == 409


def test_a_refused_request_is_kept_as_refused(api: Any, registration: Any) -> None:
    agent = api("agent")
    bad = registration(customer={"phone": "12"})
    first = agent.post("/complaints", bad, HTTP_IDEMPOTENCY_KEY="bad-1")
    again = agent.post("/complaints", bad, HTTP_IDEMPOTENCY_KEY="bad-1")
    assert first.status_code == again.status_code == 422 and first.json_body == again.json_body


def test_keys_are_kept_24_hours(api: Any, registration: Any) -> None:
    agent = api("agent")
    agent.post("/complaints", registration(), HTTP_IDEMPOTENCY_KEY="day-1")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    later = agent.post("/complaints", registration(), HTTP_IDEMPOTENCY_KEY="day-1")
    assert later.status_code == 201 and "Idempotent-Replayed" not in later
    assert Complaint.objects.count() == 2 and IdempotencyRecord.objects.count() == 1


def test_a_bad_key_is_422(api: Any, registration: Any) -> None:
    response = api("agent").post("/complaints", registration(), HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert response.status_code == 422 and response.json_body["fields"][0]["field"] == "Idempotency-Key"
    assert Complaint.objects.count() == 0
