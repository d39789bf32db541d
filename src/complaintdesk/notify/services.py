"""Queue and deliver messages. Queuing happens inside the caller's transaction (the task row is
written with the change it belongs to); delivery is idempotent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
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


def retry_delay(attempt: int, base: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped at one hour."""
    return timedelta(seconds=min(3600, base * 2 ** max(0, attempt - 1)))


# A claim older than this is taken to belong to a worker that died mid-send; the retry carries the
# same idempotency key, so the far side recognises the message if the first call did reach it.
STALE_CLAIM = timedelta(minutes=10)


def message_deliver(*, message_id: int) -> str:
    """Send a queued message, at most once. The message is claimed (``sending``) in a short
    transaction, the transport runs outside any transaction (a slow server never holds a database
    lock) with an idempotency key derived from the message id, and the outcome is recorded:
    ``sent``; ``retrying`` with the next attempt enqueued after a backoff; or, once the attempts
    (``COMPLAINTDESK_DELIVERY_ATTEMPTS``) are spent, ``failed`` — the complaint's timeline and owner
    are told through the delivery hooks."""
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return "missing"
        if message.status in {Message.Status.SENT, Message.Status.FAILED}:
            return str(message.status)
        if message.status == Message.Status.SENDING and message.claimed_at and now - message.claimed_at < STALE_CLAIM:
            return str(message.status)
        if message.status == Message.Status.RETRYING and message.next_attempt_at and message.next_attempt_at > now:
            return str(message.status)  # a stray early run; the scheduled one will send
        message.attempts += 1
        Message.objects.filter(pk=message.pk).update(attempts=message.attempts, status=Message.Status.SENDING,
                                                     claimed_at=now)
    transport = transport_for(message.channel)
    try:
        transport.send(message)
    except Exception as exc:  # recorded on the message; retried, then failed on the timeline
        logger.warning("message %s attempt %s failed: %s", message.pk, message.attempts, exc)
        error = str(exc)[:2000]
        with transaction.atomic():
            if message.attempts < settings.COMPLAINTDESK_DELIVERY_ATTEMPTS:
                from complaintdesk.notify.tasks import deliver_message  # cycle: tasks imports this module

                due = timezone.now() + retry_delay(message.attempts, settings.COMPLAINTDESK_DELIVERY_BACKOFF)
                Message.objects.filter(pk=message.pk).update(
                    status=Message.Status.RETRYING, error=error, transport=transport.name, next_attempt_at=due,
                    claimed_at=None)
                deliver_message.using(run_after=due).enqueue(message.pk)
                return str(Message.Status.RETRYING)
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.FAILED, error=error, transport=transport.name, next_attempt_at=None,
                claimed_at=None)
            message.status = Message.Status.FAILED
            message.error = error
            message.transport = transport.name
            _delivered(message, ok=False)
        return str(Message.Status.FAILED)
    with transaction.atomic():
        now = timezone.now()
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENT, sent_at=now, error="", transport=transport.name, next_attempt_at=None,
            claimed_at=None)
        message.status = Message.Status.SENT
        message.sent_at = now
        message.transport = transport.name
        _delivered(message, ok=True)
    return str(Message.Status.SENT)
