"""Webhooks: administrators register endpoints and choose events; each event the services publish
becomes one signed delivery per interested endpoint, written in the transaction of the change and
sent by the task worker with retries and backoff.

Signature: ``X-Complaintdesk-Signature: sha256=<hex>`` where hex is HMAC-SHA256 with the endpoint's
secret over ``<timestamp>.<body>``, and ``X-Complaintdesk-Timestamp`` is the Unix time of the
attempt (a receiver refuses old timestamps to stop replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import has_role
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import NotFound, PermissionDenied, Problems
from complaintdesk.integrations.models import WebhookDelivery, WebhookEndpoint
from complaintdesk.notify.services import retry_delay
from complaintdesk.notify.transports import http_post
from complaintdesk.policy.schema import Role

logger = logging.getLogger(__name__)

# webhook event → the timeline kinds that raise it
EVENTS: dict[str, tuple[str, ...]] = {
    "complaint.registered": ("registered",),
    "complaint.accepted": ("status_accept",),
    "complaint.level_changed": ("escalated", "level_raised", "level_overridden"),
    "complaint.resolved": ("status_resolve",),
    "complaint.closed": ("status_close",),
    "complaint.reopened": ("status_reopen",),
    "complaint.rejected": ("status_reject",),
    "complaint.withdrawn": ("status_withdraw",),
    "clock.warning": ("clock_warning",),
    "clock.breached": ("clock_breach",),
    "message.failed": ("message_failed",),
}
EVENT_LABELS = {
    "complaint.registered": _("Complaint registered"),
    "complaint.accepted": _("Complaint accepted"),
    "complaint.level_changed": _("Complaint level changed"),
    "complaint.resolved": _("Complaint resolved"),
    "complaint.closed": _("Complaint closed"),
    "complaint.reopened": _("Complaint reopened"),
    "complaint.rejected": _("Complaint rejected"),
    "complaint.withdrawn": _("Complaint withdrawn"),
    "clock.warning": _("Deadline warning"),
    "clock.breached": _("Deadline missed"),
    "message.failed": _("Customer message not delivered"),
}
_BY_KIND = {kind: event for event, kinds in EVENTS.items() for kind in kinds}
# what of the timeline data an endpoint receives (never the customer's personal data or message text)
_DATA_KEYS = ("level", "previous", "suggested", "clock", "due", "status", "channel", "message_kind")


# --- endpoints (administrators) ---------------------------------------------------------------------


def _require_admin(actor: Any) -> None:
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied(_("Only administrators manage webhooks."))


def _web_address(url: str) -> bool:
    """An http(s) address a request can be sent to: a host, a port (if any) from 1 to 65535, no
    spaces or control characters (``urlsplit`` takes all of those, and a bracket left open raises)."""
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is no number, or out of range, raises ValueError
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and port != 0


def _clean(problems: Problems, *, name: str | None, url: str | None, events: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if name is not None:
        name = name.strip()
        if not name:
            problems.add("name", _("Give the endpoint a name."))
        elif len(name) > 80:
            problems.add("name", _("At most %(limit)d characters.") % {"limit": 80})
        out["name"] = name
    if url is not None:
        url = url.strip()
        if not _web_address(url):
            problems.add("url", _("Give an http:// or https:// address."))
        elif len(url) > 500:
            problems.add("url", _("At most %(limit)d characters.") % {"limit": 500})
        out["url"] = url
    if events is not None:
        chosen: list[str] = []
        for index, event in enumerate(events):
            if event not in EVENTS:
                problems.add(f"events[{index}]", _("Unknown event %(code)s.") % {"code": event})
            elif event not in chosen:
                chosen.append(event)
        if not events:
            problems.add("events", _("Choose at least one event."))
        out["events"] = chosen
    return out


@transaction.atomic
def webhook_create(*, actor: Any, name: str, url: str, events: list[str]) -> WebhookEndpoint:
    """Register an endpoint; its signing secret is generated here and shown once."""
    _require_admin(actor)
    problems = Problems()
    clean = _clean(problems, name=name, url=url, events=events)
    problems.raise_if_any()
    now = timezone.now()
    endpoint = WebhookEndpoint.objects.create(secret=f"whsec_{secrets.token_urlsafe(32)}", created_by=actor,
                                              created_at=now, updated_at=now, **clean)
    audit(actor=actor, action="webhook.create", obj=endpoint,
          after={"name": endpoint.name, "url": endpoint.url, "events": endpoint.events})
    return endpoint


@transaction.atomic
def webhook_update(*, actor: Any, endpoint_id: int, name: str | None = None, url: str | None = None,
                   events: list[str] | None = None, active: bool | None = None,
                   rotate_secret: bool = False) -> WebhookEndpoint:
    _require_admin(actor)
    endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(_("Webhook %(id)s does not exist.") % {"id": endpoint_id})
    problems = Problems()
    clean = _clean(problems, name=name, url=url, events=events)
    problems.raise_if_any()
    before = {"name": endpoint.name, "url": endpoint.url, "events": endpoint.events, "active": endpoint.active}
    for key, value in clean.items():
        setattr(endpoint, key, value)
    if active is not None:
        endpoint.active = active
    if rotate_secret:
        endpoint.secret = f"whsec_{secrets.token_urlsafe(32)}"
    endpoint.updated_at = timezone.now()
    endpoint.save()
    audit(actor=actor, action="webhook.update", obj=endpoint, before=before,
          after={"name": endpoint.name, "url": endpoint.url, "events": endpoint.events, "active": endpoint.active,
                 "secret_rotated": rotate_secret})
    return endpoint


@transaction.atomic
def webhook_delete(*, actor: Any, endpoint_id: int) -> None:
    _require_admin(actor)
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(_("Webhook %(id)s does not exist.") % {"id": endpoint_id})
    audit(actor=actor, action="webhook.delete", obj=endpoint, before={"name": endpoint.name, "url": endpoint.url})
    endpoint.delete()


def webhook_list(actor: Any) -> list[WebhookEndpoint]:
    _require_admin(actor)
    return list(WebhookEndpoint.objects.all())


def webhook_get(actor: Any, endpoint_id: int) -> WebhookEndpoint:
    _require_admin(actor)
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(_("Webhook %(id)s does not exist.") % {"id": endpoint_id})
    return endpoint


def delivery_list(actor: Any, endpoint_id: int, limit: int = 100) -> list[WebhookDelivery]:
    endpoint = webhook_get(actor, endpoint_id)
    return list(endpoint.deliveries.all()[:limit])


# --- the endpoints, cached per process ---------------------------------------------------------------

# Every timeline entry is published, so reading the endpoints each time cost a query per entry. The
# process keeps the list of active endpoints (id and events) for ENDPOINT_CACHE_SECONDS; a change
# made in this process forgets it at once (post_save / post_delete, and again on commit), a change
# made in another process is seen within that time. Deliveries are never written from the cache
# alone: when it names an interested endpoint, the endpoints are read again, so an endpoint deleted
# or deactivated elsewhere never gets one.
ENDPOINT_CACHE_SECONDS = 5.0
_endpoints: list[tuple[float, list[tuple[int, frozenset[str]]]]] = []


def endpoints_forget(**_kwargs: Any) -> None:
    """Drop the cached endpoints (now and when the current transaction commits)."""
    _endpoints.clear()
    transaction.on_commit(_endpoints.clear)


post_save.connect(endpoints_forget, sender=WebhookEndpoint, dispatch_uid="webhook-endpoints-forget-save")
post_delete.connect(endpoints_forget, sender=WebhookEndpoint, dispatch_uid="webhook-endpoints-forget-delete")


def _interested(event: str) -> bool:
    """Whether an active endpoint (as cached) chose ``event``."""
    now = time.monotonic()
    if not _endpoints or now - _endpoints[0][0] > ENDPOINT_CACHE_SECONDS:
        rows = [(pk, frozenset(events)) for pk, events in
                WebhookEndpoint.objects.filter(active=True).values_list("pk", "events")]
        _endpoints[:] = [(now, rows)]
    return any(event in events for _pk, events in _endpoints[0][1])


# --- events → deliveries ------------------------------------------------------------------------------


def on_event(kind: str, subject: Any, data: dict[str, Any]) -> None:
    """Subscriber of core.events: one delivery per active endpoint that chose the event, written and
    enqueued in the transaction of the change (a rolled-back change sends nothing)."""
    on_events([(kind, subject, data)])


def on_events(published: Sequence[tuple[str, Any, dict[str, Any]]]) -> None:
    """``on_event`` for several events (core.events.publish_many): the endpoints are read once."""
    chosen = []
    for kind, subject, data in published:
        event = _BY_KIND.get(kind)
        if event is None or (kind == "level_overridden" and "previous" not in data):
            continue  # an override at registration is not a change of level
        if _interested(event):
            chosen.append((event, subject, data))
    if not chosen:
        return
    active = list(WebhookEndpoint.objects.filter(active=True))
    _endpoints[:] = [(time.monotonic(), [(e.pk, frozenset(e.events)) for e in active])]  # as just read
    if not active:
        return
    from complaintdesk.integrations.tasks import deliver_webhook  # cycle: the task module imports this one

    for event, subject, data in chosen:
        endpoints = [e for e in active if event in e.events]
        if not endpoints:
            continue
        now = timezone.now()
        payload = {
            "event": event,
            "occurred_at": now.isoformat(),
            "complaint": {
                "number": subject.number, "status": subject.status, "level": subject.level,
                "category": subject.category, "channel": subject.channel,
                "registered_at": subject.registered_at.isoformat() if subject.registered_at else None,
            },
            "data": {key: data[key] for key in _DATA_KEYS if key in data},
        }
        for endpoint in endpoints:
            delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, payload=payload, created_at=now)
            delivery.payload = {"id": str(delivery.uuid), **payload}
            WebhookDelivery.objects.filter(pk=delivery.pk).update(payload=delivery.payload)
            deliver_webhook.enqueue(delivery.pk)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=`` + HMAC-SHA256(secret, ``<timestamp>.<body>``) in hex."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = 300,
           now: float | None = None) -> bool:
    """What a receiver does (documented for integrators; used by the tests' receiver)."""
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - moment) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, moment, body), signature)


def webhook_deliver(*, delivery_id: int) -> str:
    """One attempt: POST the signed payload outside any transaction; 2xx is delivered, anything else
    is retried after a backoff until ``COMPLAINTDESK_WEBHOOK_ATTEMPTS`` are spent, then failed."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update().select_related("endpoint")
                    .filter(pk=delivery_id).first())
        if delivery is None:
            return "missing"
        if delivery.status in {WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED}:
            return str(delivery.status)
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return str(delivery.status)
        if not delivery.endpoint.active:  # switched off since: a retry is not sent either
            log = [*delivery.log, {"at": now.isoformat(), "status": None, "error": "endpoint switched off", "ms": 0}]
            WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED, log=log,
                                                                  next_attempt_at=None)
            return str(WebhookDelivery.Status.FAILED)
        delivery.attempts += 1
        WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=delivery.attempts, next_attempt_at=None)
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 (validated http(s) URL from an administrator)
        endpoint.url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "complaintdesk-webhook/1",
                 "X-Complaintdesk-Event": delivery.event, "X-Complaintdesk-Delivery": str(delivery.uuid),
                 "X-Complaintdesk-Timestamp": str(timestamp),
                 "X-Complaintdesk-Signature": sign(endpoint.secret, timestamp, body)})
    started = time.monotonic()
    status: int | None = None
    error = ""
    try:
        with http_post(request, timeout=10) as response:
            status = response.status
            response.read(1024)
    except urllib.error.HTTPError as exc:
        status = exc.code
        error = exc.read(300).decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        error = str(exc)[:300]
    entry = {"at": timezone.now().isoformat(), "status": status, "error": error,
             "ms": round((time.monotonic() - started) * 1000)}
    ok = status is not None and 200 <= status < 300
    with transaction.atomic():
        log = [*delivery.log, entry]
        if ok:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=WebhookDelivery.Status.DELIVERED, log=log, delivered_at=timezone.now())
            return str(WebhookDelivery.Status.DELIVERED)
        if delivery.attempts < settings.COMPLAINTDESK_WEBHOOK_ATTEMPTS:
            from complaintdesk.integrations.tasks import deliver_webhook  # cycle: the task module imports this one

            due: datetime = timezone.now() + retry_delay(delivery.attempts, settings.COMPLAINTDESK_WEBHOOK_BACKOFF)
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=WebhookDelivery.Status.RETRYING, log=log, next_attempt_at=due)
            deliver_webhook.using(run_after=due).enqueue(delivery.pk)
            return str(WebhookDelivery.Status.RETRYING)
        logger.warning("webhook delivery %s to %s failed after %s attempts", delivery.pk, endpoint.url,
                       delivery.attempts)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED, log=log)
        return str(WebhookDelivery.Status.FAILED)
