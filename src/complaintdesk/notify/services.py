"""Queue and deliver messages. Queuing happens inside the caller's transaction (the task row is
written with the change it belongs to); delivery is idempotent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from complaintdesk.notify.models import Message
from complaintdesk.notify.transports import transport_for

logger = logging.getLogger(__name__)

# What happens when a transport has answered, registered by the apps above (the complaints app puts
# the delivery on the complaint's timeline and starts the acknowledged clock). Each hook runs inside
# the transaction that records the outcome: hook(message=..., ok=...).
DeliveryHook = Callable[..., None]
DELIVERY_HOOKS: list[DeliveryHook] = []


def delivery_hook(hook: DeliveryHook) -> DeliveryHook:
    """Register a function called once a message was sent (ok=True) or failed (ok=False)."""
    if hook not in DELIVERY_HOOKS:
        DELIVERY_HOOKS.append(hook)
    return hook


def _delivered(message: Message, ok: bool) -> None:
    for hook in DELIVERY_HOOKS:
        hook(message=message, ok=ok)


def message_queue(
    *,
    actor: Any,
    kind: str,
    channel: str,
    recipient: str,
    body: str,
    language: str,
    subject: str = "",
    complaint: Any = None,
    recipient_user: Any = None,
    params: dict[str, Any] | None = None,
) -> Message:
    """Record a message and enqueue its delivery task in the current transaction."""
    from complaintdesk.notify.tasks import deliver_message  # cycle: the task module imports message_deliver

    message = Message.objects.create(
        kind=kind, channel=channel, recipient=recipient, body=body, language=language, subject=subject,
        complaint=complaint, recipient_user=recipient_user, params=params, created_at=timezone.now(),
    )
    deliver_message.enqueue(message.pk)
    return message


def notices_mark_read(*, user: Any, now: Any, ids: list[int] | None = None) -> int:
    """Mark the user's internal notices read (all, or the given ones)."""
    qs = Message.objects.filter(recipient_user=user, channel=Message.Channel.INTERNAL, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=now)


def message_deliver(*, message_id: int) -> str:
    """Send a queued message. A sent message is never sent again; the transport runs outside any
    transaction so that a slow mail server never holds a database lock."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return "missing"
        if message.status == Message.Status.SENT:
            return str(message.status)
        message.attempts += 1
        Message.objects.filter(pk=message.pk).update(attempts=message.attempts)
    transport = transport_for(message.channel)
    try:
        transport.send(message)
    except Exception as exc:  # recorded on the message and the timeline; the task may be re-run
        logger.warning("message %s failed: %s", message.pk, exc)
        with transaction.atomic():
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.FAILED, error=str(exc)[:2000], transport=transport.name)
            message.status = Message.Status.FAILED
            message.error = str(exc)[:2000]
            _delivered(message, ok=False)
        return str(Message.Status.FAILED)
    with transaction.atomic():
        now = timezone.now()
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENT, sent_at=now, error="", transport=transport.name)
        message.status = Message.Status.SENT
        message.sent_at = now
        message.transport = transport.name
        _delivered(message, ok=True)
    return str(Message.Status.SENT)
