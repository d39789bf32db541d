"""Shapes of the webhook API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    url: str = Field(description="http:// or https:// address that receives the POSTs")
    events: list[str] = Field(description="event codes, see GET /webhooks/events")


class WebhookPatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    url: str | None = None
    events: list[str] | None = None
    active: bool | None = None
    rotate_secret: bool = Field(False, description="generate a new signing secret (returned once)")


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime
    updated_at: datetime
    secret: str | None = Field(None, description="only in the answer that created or rotated it")


class EventOut(Schema):
    code: str
    label: str


class DeliveryOut(Schema):
    id: str
    event: str
    status: str
    attempts: int
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None
    log: list[dict[str, Any]]
    payload: dict[str, Any]
