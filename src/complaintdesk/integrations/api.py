"""REST endpoints for webhooks (administrators). Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from complaintdesk.complaints.api.responses import ERRORS
from complaintdesk.integrations import webhooks
from complaintdesk.integrations.models import WebhookDelivery, WebhookEndpoint
from complaintdesk.integrations.schemas import DeliveryOut, EventOut, WebhookIn, WebhookOut, WebhookPatchIn

router = Router(tags=["webhooks"])


def _out(endpoint: WebhookEndpoint, with_secret: bool = False) -> dict[str, Any]:
    return {"id": endpoint.pk, "name": endpoint.name, "url": endpoint.url, "events": endpoint.events,
            "active": endpoint.active, "created_at": endpoint.created_at, "updated_at": endpoint.updated_at,
            "secret": endpoint.secret if with_secret else None}


def _delivery(delivery: WebhookDelivery) -> dict[str, Any]:
    return {"id": str(delivery.uuid), "event": delivery.event, "status": delivery.status,
            "attempts": delivery.attempts, "created_at": delivery.created_at, "delivered_at": delivery.delivered_at,
            "next_attempt_at": delivery.next_attempt_at, "log": delivery.log, "payload": delivery.payload}


@router.get("/webhooks/events", response={200: list[EventOut], **ERRORS}, summary="Events a webhook can choose")
def events(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": code, "label": str(label)} for code, label in webhooks.EVENT_LABELS.items()]


@router.get("/webhooks", response={200: list[WebhookOut], **ERRORS}, summary="Registered webhooks")
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(endpoint) for endpoint in webhooks.webhook_list(request.user)]


@router.post("/webhooks", response={201: WebhookOut, **ERRORS}, summary="Register a webhook")
def create(request: HttpRequest, payload: WebhookIn) -> Status[dict[str, Any]]:
    """The answer carries the signing secret; it is not shown again (rotate it with PATCH)."""
    endpoint = webhooks.webhook_create(actor=request.user, name=payload.name, url=payload.url,
                                       events=payload.events)
    return Status(201, _out(endpoint, with_secret=True))


@router.get("/webhooks/{endpoint_id}", response={200: WebhookOut, **ERRORS}, summary="One webhook")
def detail(request: HttpRequest, endpoint_id: int) -> dict[str, Any]:
    return _out(webhooks.webhook_get(request.user, endpoint_id))


@router.patch("/webhooks/{endpoint_id}", response={200: WebhookOut, **ERRORS}, summary="Change a webhook")
def update(request: HttpRequest, endpoint_id: int, payload: WebhookPatchIn) -> dict[str, Any]:
    endpoint = webhooks.webhook_update(actor=request.user, endpoint_id=endpoint_id, name=payload.name,
                                       url=payload.url, events=payload.events, active=payload.active,
                                       rotate_secret=payload.rotate_secret)
    return _out(endpoint, with_secret=payload.rotate_secret)


@router.delete("/webhooks/{endpoint_id}", response={204: None, **ERRORS}, summary="Remove a webhook")
def delete(request: HttpRequest, endpoint_id: int) -> Status[None]:
    webhooks.webhook_delete(actor=request.user, endpoint_id=endpoint_id)
    return Status(204, None)


@router.get("/webhooks/{endpoint_id}/deliveries", response={200: list[DeliveryOut], **ERRORS},
            summary="The delivery log of a webhook (newest first, 100)")
def deliveries(request: HttpRequest, endpoint_id: int) -> list[dict[str, Any]]:
    return [_delivery(d) for d in webhooks.delivery_list(request.user, endpoint_id)]
