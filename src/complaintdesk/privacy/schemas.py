"""Request and response shapes of the privacy API."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class PrivacyPersonIn(Schema):
    """The person: an exact phone, e-mail, IMEI or social-media account, or a complaint number."""

    contact: str = Field("", max_length=255)
    number: str = Field("", max_length=48)


class PrivacyEraseIn(PrivacyPersonIn):
    reason: str = Field(..., max_length=2000, description="the request: its date and how the person was identified")


class PrivacyComplaintOut(Schema):
    number: str
    unit: str
    received_at: str
    status: str
    held: bool
    erased: bool


class PrivacyExportOut(Schema):
    exported_at: str
    complaints: list[dict[str, Any]]


class PrivacyErasedOut(Schema):
    erased: list[str]


class LegalHoldIn(Schema):
    number: str = Field(..., max_length=48)
    reason: str = Field(..., max_length=2000)


class LegalHoldReleaseIn(Schema):
    reason: str = Field(..., max_length=2000)


class LegalHoldOut(Schema):
    id: int
    number: str
    reason: str
    placed_at: str
    released_at: str | None
    release_reason: str


class RetentionRunOut(Schema):
    id: int
    created_at: str
    state: str
    due: int
    erased: int
    executed_at: str | None
    items: list[dict[str, Any]]
