"""The webhook endpoints are cached per process (issue 14): no query per published event, a change in
this process seen at once, a change elsewhere within ENDPOINT_CACHE_SECONDS, and never a delivery
for an endpoint that is gone."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from workkit import register

from complaintdesk.integrations import webhooks
from complaintdesk.integrations.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def _endpoint_reads(captured: CaptureQueriesContext) -> int:
    return sum('FROM "integrations_webhookendpoint"' in q["sql"] for q in captured.captured_queries)


def test_events_with_no_endpoint_read_the_endpoints_once(org: Any) -> None:
    webhooks.endpoints_forget()
    register(org["agent"])
    with CaptureQueriesContext(connection) as captured:
        register(org["agent"])
    assert _endpoint_reads(captured) == 0
    assert WebhookDelivery.objects.count() == 0


def test_an_endpoint_created_here_gets_the_next_event(org: Any) -> None:
    register(org["agent"])  # the cache now says: nobody listens
    webhooks.webhook_create(actor=org["admin"], name="CRM", url="http://127.0.0.1:9/hook",
                            events=["complaint.registered"])
    register(org["agent"])
    assert WebhookDelivery.objects.filter(event="complaint.registered").count() == 1


def test_an_endpoint_created_elsewhere_is_seen_after_the_cache_time(org: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(webhooks, "ENDPOINT_CACHE_SECONDS", 3600.0)  # however slow this machine is
    webhooks.endpoints_forget()  # what an earlier test's rolled-back endpoints left in this process
    register(org["agent"])
    now = timezone.now()
    # another process's insert: no signal reaches this one
    WebhookEndpoint.objects.bulk_create([WebhookEndpoint(name="CRM", url="http://127.0.0.1:9/hook", secret="whsec_x",
                                                         events=["complaint.registered"], created_at=now,
                                                         updated_at=now)])
    register(org["agent"])
    assert WebhookDelivery.objects.count() == 0  # within the cache time: not seen yet (documented)
    monkeypatch.setattr(webhooks, "ENDPOINT_CACHE_SECONDS", 0.0)
    register(org["agent"])
    assert WebhookDelivery.objects.count() == 1


def test_an_endpoint_deactivated_elsewhere_gets_no_delivery(org: Any) -> None:
    hook = webhooks.webhook_create(actor=org["admin"], name="CRM", url="http://127.0.0.1:9/hook",
                                   events=["complaint.registered"])
    register(org["agent"])
    assert WebhookDelivery.objects.count() == 1  # the cache now names the endpoint
    WebhookEndpoint.objects.filter(pk=hook.pk).update(active=False)  # another process: no signal here
    register(org["agent"])
    assert WebhookDelivery.objects.count() == 1
