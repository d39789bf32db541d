"""REST endpoints for the user's internal notices."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from complaintdesk.complaints.api.responses import ERRORS
from complaintdesk.core.errors import PermissionDenied

router = Router(tags=["workflow"])


class NoticeOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    complaint: str | None
    created_at: Any
    read: bool


@router.get("/notifications", response={200: list[NoticeOut], **ERRORS}, summary="My notices", tags=["notices"])
def notices(request: HttpRequest, unread: bool = False) -> list[dict[str, Any]]:
    from complaintdesk.notify.models import Message

    user: Any = request.user
    qs = Message.objects.filter(recipient_user=user, channel="internal").select_related("complaint")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [{"id": m.pk, "kind": m.kind, "subject": m.subject, "body": m.body,
             "complaint": m.complaint.number if m.complaint else None, "created_at": m.created_at,
             "read": m.read_at is not None} for m in qs.order_by("-id")[:200]]


@router.post("/notifications/read", summary="Mark my notices read", tags=["notices"])
def notices_read(request: HttpRequest) -> dict[str, int]:
    from complaintdesk.notify.services import notices_mark_read

    if not request.user.is_authenticated:
        raise PermissionDenied("login")
    return {"marked": notices_mark_read(user=request.user, now=timezone.now())}
