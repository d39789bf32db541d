"""Webhooks: administrators register endpoints; events from the services become signed deliveries
that a receiver on loopback verifies; a failing endpoint is retried with backoff and logged."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from workkit import act, bring_to, register

from complaintdesk.integrations.models import WebhookDelivery
from complaintdesk.integrations.webhooks import verify, webhook_deliver
from httpsink import http_sink

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def _receiver_accepts(secret: str, request: Any) -> bool:
    """What an integrator writes: recompute the HMAC over '<timestamp>.<body>' and compare."""
    timestamp = request.headers["x-complaintdesk-timestamp"]
    if abs(time.time() - int(timestamp)) > 300:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + request.body,
                                    hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request.headers["x-complaintdesk-signature"])


def _create(api: Any, url: str, events: list[str]) -> dict[str, Any]:
    response = api("admin").post("/webhooks", {"name": "CRM", "url": url, "events": events})
    assert response.status_code == 201, response.json_body
    return dict(response.json_body)


def _deliver_all() -> list[str]:
    return [webhook_deliver(delivery_id=pk) for pk in WebhookDelivery.objects.values_list("pk", flat=True)]


def test_deliveries_are_signed_and_carry_no_personal_data(org: Any, api: Any) -> None:
    with http_sink() as sink:
        hook = _create(api, sink.url, ["complaint.registered", "complaint.resolved", "complaint.level_changed"])
        secret = hook["secret"]
        assert secret.startswith("whsec_")
        complaint = register(org["agent"])
        complaint = act(org["agent"], complaint, "escalate", reason="Posted in a local newspaper")
        bring_to(org, complaint, "resolved")
        assert _deliver_all() == ["delivered"] * 3
    events = [json.loads(r.body)["event"] for r in sink.requests]
    assert sorted(events) == ["complaint.level_changed", "complaint.registered", "complaint.resolved"]
    for request in sink.requests:
        assert _receiver_accepts(secret, request)
        assert not _receiver_accepts("whsec_wrong", request)
        body = json.loads(request.body)
        assert body["complaint"]["number"] == complaint.number
        assert request.headers["x-complaintdesk-delivery"] == body["id"]
        assert complaint.customer.phone not in request.body.decode()
    level = next(json.loads(r.body) for r in sink.requests if b"level_changed" in r.body)
    assert level["data"] == {"level": "major", "previous": "general"}
    # a tampered body fails the check
    tampered = sink.requests[0]
    assert not verify(secret, tampered.headers["x-complaintdesk-timestamp"], tampered.body + b" ",
                      tampered.headers["x-complaintdesk-signature"])
    assert verify(secret, tampered.headers["x-complaintdesk-timestamp"], tampered.body,
                  tampered.headers["x-complaintdesk-signature"])


def test_only_chosen_events_and_active_endpoints_receive(org: Any, api: Any) -> None:
    with http_sink() as sink:
        hook = _create(api, sink.url, ["complaint.closed"])
        register(org["agent"])
        assert WebhookDelivery.objects.count() == 0
        api("admin").patch(f"/webhooks/{hook['id']}", {"events": ["complaint.registered"], "active": False})
        register(org["agent"])
        assert WebhookDelivery.objects.count() == 0
        api("admin").patch(f"/webhooks/{hook['id']}", {"active": True})
        register(org["agent"])
        assert WebhookDelivery.objects.count() == 1


def test_a_failing_endpoint_is_retried_with_backoff_and_logged(org: Any, api: Any, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.COMPLAINTDESK_WEBHOOK_BACKOFF = 30
    with http_sink(statuses=[500, 502]) as sink:
        hook = _create(api, sink.url, ["complaint.registered"])
        register(org["agent"])
        delivery = WebhookDelivery.objects.get()
        assert webhook_deliver(delivery_id=delivery.pk) == "retrying"
        delivery.refresh_from_db()
        assert delivery.next_attempt_at is not None
        assert DBTaskResult.objects.filter(run_after__gte=delivery.next_attempt_at).exists()
        assert webhook_deliver(delivery_id=delivery.pk) == "retrying"  # too early: nothing sent
        assert len(sink.requests) == 1
        for _ in range(2):
            WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
            outcome = webhook_deliver(delivery_id=delivery.pk)
        assert outcome == "delivered"
    assert len(sink.requests) == 3
    assert len({r.headers["x-complaintdesk-delivery"] for r in sink.requests}) == 1
    log = api("admin").get(f"/webhooks/{hook['id']}/deliveries").json_body
    assert [entry["status"] for entry in log[0]["log"]] == [500, 502, 200]
    assert log[0]["status"] == "delivered" and log[0]["attempts"] == 3


def test_an_endpoint_that_never_answers_ends_failed(org: Any, api: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_WEBHOOK_ATTEMPTS = 2
    _create(api, "http://127.0.0.1:1/hook", ["complaint.registered"])
    register(org["agent"])
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver(delivery_id=delivery.pk) == "retrying"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    assert webhook_deliver(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.log[-1]["status"] is None and delivery.log[-1]["error"]


def test_a_rolled_back_change_sends_nothing(org: Any, api: Any) -> None:
    from django.db import transaction

    _create(api, "http://127.0.0.1:9/hook", ["complaint.registered"])

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        register(org["agent"])
        raise Abort
    assert WebhookDelivery.objects.count() == 0


def test_only_administrators_manage_webhooks(org: Any, api: Any) -> None:
    response = api("agent").post("/webhooks", {"name": "CRM", "url": "http://127.0.0.1/x", "events": []})
    assert response.status_code == 403
    assert api("supervisor").get("/webhooks").status_code == 403


def test_bad_input_names_each_field_in_the_callers_language(org: Any, api: Any) -> None:
    response = api("admin", language="zh-hans").post(
        "/webhooks", {"name": "", "url": "ftp://example.com", "events": ["complaint.eaten"]})
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json_body["fields"]}
    assert set(fields) == {"name", "url", "events[0]"}
    assert "http" in fields["url"] and "未知" in fields["events[0]"]


def test_the_event_catalogue_and_secret_rotation(org: Any, api: Any) -> None:
    admin = api("admin")
    codes = [e["code"] for e in admin.get("/webhooks/events").json_body]
    assert {"complaint.registered", "complaint.level_changed", "clock.breached", "complaint.resolved",
            "complaint.closed"} <= set(codes)
    hook = _create(api, "https://crm.example.com/in", ["complaint.closed"])
    assert admin.get(f"/webhooks/{hook['id']}").json_body["secret"] is None
    rotated = admin.patch(f"/webhooks/{hook['id']}", {"rotate_secret": True}).json_body
    assert rotated["secret"] and rotated["secret"] != hook["secret"]
    assert admin._call("delete", f"/webhooks/{hook['id']}").status_code == 204
    assert admin.get(f"/webhooks/{hook['id']}").status_code == 404


@pytest.mark.parametrize("url", ["http://[::1", "http://example.com:99999/in", "http://example.com:0/in",
                                 "http://example.com:port/in", "http://exa mple.com/in", "https://crm.example.com/\nin"])
def test_an_address_no_request_can_reach_is_refused_naming_the_field(org: Any, api: Any, url: str) -> None:
    # urlsplit takes these (or raises, for the open bracket: a server error before) and every delivery failed
    for language, words in (("en", "http://"), ("zh-hans", "请填写")):
        response = api("admin", language=language).post(
            "/webhooks", {"name": "CRM", "url": url, "events": ["complaint.registered"]})
        assert response.status_code == 422, response.content
        assert [(f["field"], words in f["message"]) for f in response.json_body["fields"]] == [("url", True)]
    hook = _create(api, "https://crm.example.com:8443/in", ["complaint.registered"])
    response = api("admin").patch(f"/webhooks/{hook['id']}", {"url": url})
    assert response.status_code == 422 and response.json_body["fields"][0]["field"] == "url"


def test_unknown_fields_and_a_body_that_is_not_json_are_answered_in_the_callers_language(org: Any, api: Any) -> None:
    response = api("admin", language="zh-hans").post(
        "/webhooks", {"name": "CRM", "url": "https://crm.example.com/in", "events": ["complaint.registered"],
                      "secret": "mine"})
    assert response.status_code == 422
    assert response.json_body["fields"] == [{"field": "secret", "message": "此处不应有此字段。"}]
    client = api("admin", language="zh-hans")
    response = client.client.post("/api/v1/webhooks", data="{name: CRM", content_type="application/json",
                                   **client.headers)
    body = json.loads(response.content)
    assert response.status_code == 400
    assert body["message"] == "请求体不是有效的 JSON。" and body["fields"][0]["field"] == "body"


def test_a_redirect_is_not_followed_and_counts_as_a_failed_attempt(org: Any, api: Any) -> None:
    """urllib followed a 302 to the POST with a GET without the payload and logged the GET's 200 as
    delivered: the receiver never had the event."""
    with http_sink(statuses=[302, 301]) as sink:
        _create(api, sink.url, ["complaint.registered"])
        register(org["agent"])
        delivery = WebhookDelivery.objects.get()
        assert webhook_deliver(delivery_id=delivery.pk) == "retrying"
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        assert webhook_deliver(delivery_id=delivery.pk) == "retrying"
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        assert webhook_deliver(delivery_id=delivery.pk) == "delivered"
    assert [(r.path, bool(r.body)) for r in sink.requests] == [("/hook", True)] * 3  # never a GET of /moved
    delivery.refresh_from_db()
    assert [entry["status"] for entry in delivery.log] == [302, 301, 200]


def test_an_endpoint_switched_off_gets_no_retry_of_an_earlier_delivery(org: Any, api: Any) -> None:
    """Only new deliveries respected the switch: a delivery written before it was retried for up to an
    hour to an address the administrator had switched off."""
    with http_sink(statuses=[503]) as sink:
        hook = _create(api, sink.url, ["complaint.registered"])
        register(org["agent"])
        delivery = WebhookDelivery.objects.get()
        assert webhook_deliver(delivery_id=delivery.pk) == "retrying"
        assert api("admin").patch(f"/webhooks/{hook['id']}", {"active": False}).status_code == 200
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        assert webhook_deliver(delivery_id=delivery.pk) == "failed"
    assert len(sink.requests) == 1
    log = api("admin").get(f"/webhooks/{hook['id']}/deliveries").json_body[0]
    assert log["status"] == "failed" and log["attempts"] == 1
    assert [(entry["status"], entry["error"]) for entry in log["log"]][-1] == (None, "endpoint switched off")
