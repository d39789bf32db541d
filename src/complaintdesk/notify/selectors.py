"""Reads of the signed-in user's staff notices, rendered in the reader's language."""

from __future__ import annotations

from typing import Any

from complaintdesk.core.i18n import current_language
from complaintdesk.notify.models import Message
from complaintdesk.notify.notices import Notice, notice_view


def notices_of(user: Any, *, unread: bool = False, limit: int = 200) -> list[Notice]:
    """The user's latest internal notices, newest first, in the language of the current request."""
    messages = Message.objects.filter(recipient_user=user, channel=Message.Channel.INTERNAL).select_related("complaint")
    if unread:
        messages = messages.filter(read_at__isnull=True)
    language = current_language()
    return [notice_view(message, language) for message in messages.order_by("-id")[:limit]]


def unread_count(user: Any) -> int:
    return Message.objects.filter(recipient_user=user, channel=Message.Channel.INTERNAL, read_at__isnull=True).count()
