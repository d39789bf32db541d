"""Queue and deliver messages. Queuing happens inside the caller's transaction (the task row is
written with the change it belongs to); delivery is idempotent."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complaintdesk.notify.models import Message
from complaintdesk.notify.transports import DeliveryUncertain, TransportError, transport_for
from complaintdesk.task_lease import lease_seconds

logger = logging.getLogger(__name__)

# What happens when a transport has answered, registered by the apps above (the complaints app puts
# the delivery on the complaint's timeline, starts the acknowledged clock and tells the owner of a
# failed or uncertain message). Each hook runs inside the transaction that records the outcome:
# hook(message=...), the outcome in ``message.status`` (sent, failed or uncertain).
DeliveryHook = Callable[..., None]
DELIVERY_HOOKS: list[DeliveryHook] = []


def delivery_hook(hook: DeliveryHook) -> DeliveryHook:
    """Register a function called once a message was sent, failed, or became uncertain."""
    if hook not in DELIVERY_HOOKS:
        DELIVERY_HOOKS.append(hook)
    return hook


def _delivered(message: Message) -> None:
    for hook in DELIVERY_HOOKS:
        hook(message=message)


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
    """Record a message and enqueue its delivery task in the current transaction. A staff notice
    (channel ``internal``) leaves nothing to deliver: it is the row itself, stored as sent
    (:func:`internal_sent`), with no task."""
    from complaintdesk.notify.tasks import deliver_message  # cycle: the task module imports message_deliver

    now = timezone.now()
    message = Message.objects.create(
        kind=kind, channel=channel, recipient=recipient, body=body, language=language, subject=subject,
        complaint=complaint, recipient_user=recipient_user, params=params, created_at=now,
        **(internal_sent(now) if channel == Message.Channel.INTERNAL else {}),
    )
    if channel != Message.Channel.INTERNAL:
        deliver_message.enqueue(message.pk)
    return message


def internal_sent(now: Any) -> dict[str, Any]:
    """The fields of a staff notice as stored: sent when written, by the internal transport, in one
    attempt. Its delivery task used to do just this (``InternalTransport`` sends nothing; the delivery
    hooks ignore internal notices) at the cost of a task row and three transactions of the worker."""
    return {"status": Message.Status.SENT, "sent_at": now, "attempts": 1, "transport": "internal"}


def notices_mark_read(*, user: Any, now: Any, ids: list[int] | None = None) -> int:
    """Mark the user's internal notices read (all, or the given ones)."""
    qs = Message.objects.filter(recipient_user=user, channel=Message.Channel.INTERNAL, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=now)


def retry_delay(attempt: int, base: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped at one hour."""
    return timedelta(seconds=min(3600, base * 2 ** max(0, attempt - 1)))


def claim_lease() -> timedelta:
    """A claim older than the task lease belongs to a worker that died mid-send: the lease is what
    made its task run again (complaintdesk.task_lease; a live worker's heartbeat keeps renewing it)."""
    return timedelta(seconds=lease_seconds())


class AttemptTakenOver(Exception):
    """This worker's claim was taken over while it was not looking: it must not send."""


def _mark_in_flight(message: Message, attempt: str) -> None:
    """Commit "handed to the transport" for this attempt, before the far side may hold the message."""
    if not Message.objects.filter(pk=message.pk, attempt_id=attempt, status=Message.Status.SENDING).update(
            in_flight_at=timezone.now()):
        raise AttemptTakenOver(f"message {message.pk}: attempt {attempt} was taken over")


def _record(message: Message, attempt: str, status: str, **fields: Any) -> bool:
    """Write the attempt's outcome if the attempt is still this one's; True if it was."""
    done = Message.objects.filter(pk=message.pk, attempt_id=attempt).update(status=status, claimed_at=None, **fields)
    for name, value in {"status": status, **fields}.items():
        setattr(message, name, value)
    return bool(done)


def message_deliver(*, message_id: int) -> str:
    """Send a queued message, at most once.

    1. Claim it (``sending``, a fresh attempt id) in a short transaction.
    2. The transport runs outside any transaction (a slow server never holds a database lock). Just
       before the far side may hold the message it calls back, and the attempt is committed as *in
       flight*.
    3. Record the outcome: ``sent``; ``retrying`` with the next attempt enqueued after a backoff; or,
       once the attempts (``COMPLAINTDESK_DELIVERY_ATTEMPTS``) are spent, ``failed``.

    A worker killed between 2 and 3 leaves the message ``sending`` and in flight. When the task
    lease brings it back, an idempotent transport (the HTTP SMS gateway, keyed by the message id)
    sends it again — the gateway drops the repeat; any other transport (SMTP) does not: the
    message becomes ``uncertain`` and the complaint's owner is told, who may resend it with one
    click (``complaints.services.messages.message_resend``). A killed worker that had not reached
    the hand-over is simply retried."""
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return "missing"
        if message.status in {Message.Status.SENT, Message.Status.FAILED, Message.Status.UNCERTAIN}:
            return str(message.status)
        if message.status == Message.Status.SENDING and message.claimed_at and now - message.claimed_at < claim_lease():
            return str(message.status)
        if message.status == Message.Status.RETRYING and message.next_attempt_at and message.next_attempt_at > now:
            return str(message.status)  # a stray early run; the scheduled one will send
        transport = transport_for(message.channel)
        if message.status == Message.Status.SENDING and message.in_flight_at is not None and not transport.idempotent:
            _record(message, message.attempt_id, Message.Status.UNCERTAIN, transport=transport.name,
                    error=f"worker stopped after handing the message to {transport.name}", next_attempt_at=None,
                    failure={"reason": "worker_stopped"})
            _delivered(message)
            return str(Message.Status.UNCERTAIN)
        message.attempts += 1
        attempt = uuid.uuid4().hex
        Message.objects.filter(pk=message.pk).update(attempts=message.attempts, status=Message.Status.SENDING,
                                                     claimed_at=now, attempt_id=attempt, in_flight_at=None)
    try:
        transport.send(message, lambda: _mark_in_flight(message, attempt))
    except AttemptTakenOver:
        logger.warning("message %s: another worker took the send over; not sent here", message.pk)
        return "taken over"
    except DeliveryUncertain as exc:
        logger.warning("message %s attempt %s uncertain: %s", message.pk, message.attempts, exc)
        with transaction.atomic():
            if _record(message, attempt, Message.Status.UNCERTAIN, error=str(exc)[:2000], transport=transport.name,
                       next_attempt_at=None, failure=exc.failure()):
                _delivered(message)
        return str(Message.Status.UNCERTAIN)
    except Exception as exc:  # recorded on the message; retried, then failed on the timeline
        logger.warning("message %s attempt %s failed: %s", message.pk, message.attempts, exc)
        error = str(exc)[:2000]
        failure = exc.failure() if isinstance(exc, TransportError) else {"reason": "error"}
        with transaction.atomic():
            if message.attempts < settings.COMPLAINTDESK_DELIVERY_ATTEMPTS:
                from complaintdesk.notify.tasks import deliver_message  # cycle: tasks imports this module

                due = timezone.now() + retry_delay(message.attempts, settings.COMPLAINTDESK_DELIVERY_BACKOFF)
                if _record(message, attempt, Message.Status.RETRYING, error=error, transport=transport.name,
                           next_attempt_at=due, failure=failure):
                    deliver_message.using(run_after=due).enqueue(message.pk)
                return str(Message.Status.RETRYING)
            if _record(message, attempt, Message.Status.FAILED, error=error, transport=transport.name,
                       next_attempt_at=None, failure=failure):
                _delivered(message)
        return str(Message.Status.FAILED)
    with transaction.atomic():
        if _record(message, attempt, Message.Status.SENT, sent_at=timezone.now(), error="", transport=transport.name,
                   next_attempt_at=None, failure={}):
            _delivered(message)
    return str(Message.Status.SENT)


def message_requeue(*, message: Message) -> Message:
    """Queue an uncertain or failed message again, as a fresh message with a fresh count of attempts
    (the caller, a service of the app that owns the message's subject, checks who may and records
    it). Runs in the caller's transaction."""
    from complaintdesk.notify.tasks import deliver_message  # cycle: the task module imports message_deliver

    Message.objects.filter(pk=message.pk).update(status=Message.Status.QUEUED, attempts=0, attempt_id="",
                                                 in_flight_at=None, claimed_at=None, next_attempt_at=None,
                                                 error="", failure={})
    message.refresh_from_db()
    deliver_message.enqueue(message.pk)
    return message
