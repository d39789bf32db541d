"""REST endpoints for the signed-in user's staff notices."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from complaintdesk.core.errors import PermissionDenied
from complaintdesk.core.schemas import ERRORS
from complaintdesk.notify.selectors import notices_of
from complaintdesk.notify.services import notices_mark_read

router = Router(tags=["notices"])


class NoticeOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    complaint: str | None
    created_at: datetime
    read: bool


@router.get("/notifications", response={200: list[NoticeOut], **ERRORS}, summary="My notices")
def notices(request: HttpRequest, unread: bool = False) -> list[dict[str, Any]]:
    """Subject and body are written in the language of the request (Accept-Language)."""
    return [asdict(notice) for notice in notices_of(request.user, unread=unread)]


@router.post("/notifications/read", summary="Mark my notices read")
def notices_read(request: HttpRequest) -> dict[str, int]:
    if not request.user.is_authenticated:
        raise PermissionDenied("login")
    return {"marked": notices_mark_read(user=request.user, now=timezone.now())}
