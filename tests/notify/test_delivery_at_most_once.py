"""Delivery at most once per message (notify.services.message_deliver): a worker killed after the
far side accepted a message and before the commit that records it. Over SMTP, which cannot
recognise a repeat, the retry after the lease does not send again: the message becomes uncertain,
the owner is told and may resend it with one click (audited). Over the HTTP SMS gateway, keyed by
the message id, the retry sends again with the same Idempotency-Key. A worker killed before the
hand-over is simply retried."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from complaintdesk.complaints.models import TimelineEntry
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.errors import Conflict, PermissionDenied
from complaintdesk.core.models import AuditEvent
from complaintdesk.notify import transports
from complaintdesk.notify.models import Message
from complaintdesk.notify.services import message_deliver
from httpsink import http_sink

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):  # stands for SIGKILL: no except Exception catches it
    """The worker process dies here."""


def _die_after(transport: type[Any], monkeypatch: Any) -> None:
    """The transport accepts the message, then the worker dies before the "sent" commit."""
    send: Callable[..., None] = transport.send

    def send_then_die(self: Any, message: Message, in_flight: Callable[[], None]) -> None:
        send(self, message, in_flight)
        raise WorkerKilled

    monkeypatch.setattr(transport, "send", send_then_die)


def _die_before_hand_over(transport: type[Any], monkeypatch: Any) -> None:
    def die(self: Any, message: Message, in_flight: Callable[[], None]) -> None:
        raise WorkerKilled

    monkeypatch.setattr(transport, "send", die)


def _after_the_lease(monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPLAINTDESK_TASK_LEASE_SECONDS", "0")


def _email_complaint(org: Any, registration: Any) -> Any:
    return complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann",
                  "last_name": "Carter", "email": "emily@example.com", "phone": "", "language": "en"})))


def test_smtp_killed_after_acceptance_is_not_sent_again_but_uncertain(org: Any, registration: Any,
                                                                       smtp_server: Any, monkeypatch: Any) -> None:
    complaint = _email_complaint(org, registration)
    message = Message.objects.get(complaint=complaint, channel="email")
    with monkeypatch.context() as dying:
        _die_after(transports.SmtpTransport, dying)
        with pytest.raises(WorkerKilled):
            message_deliver(message_id=message.pk)
    assert len(smtp_server.messages) == 1  # the server has it
    message.refresh_from_db()
    assert message.status == "sending" and message.in_flight_at is not None and message.attempt_id
    # within the lease the claim is the dead worker's: nobody touches it
    assert message_deliver(message_id=message.pk) == "sending"
    _after_the_lease(monkeypatch)
    assert message_deliver(message_id=message.pk) == "uncertain"
    assert message_deliver(message_id=message.pk) == "uncertain"  # and stays so
    assert len(smtp_server.messages) == 1  # acknowledgements doubled: 0
    message.refresh_from_db()
    assert message.status == "uncertain" and message.attempts == 1
    assert TimelineEntry.objects.filter(complaint=complaint, kind="message_uncertain").count() == 1
    notice = Message.objects.get(channel="internal", kind="message_uncertain")
    assert notice.recipient_user == complaint.owner and complaint.number in notice.body
    assert AuditEvent.objects.filter(action="message.uncertain").count() == 1


def test_killed_before_the_hand_over_is_sent_on_retry(org: Any, registration: Any, smtp_server: Any,
                                                      monkeypatch: Any) -> None:
    complaint = _email_complaint(org, registration)
    message = Message.objects.get(complaint=complaint, channel="email")
    with monkeypatch.context() as dying:
        _die_before_hand_over(transports.SmtpTransport, dying)
        with pytest.raises(WorkerKilled):
            message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "sending" and message.in_flight_at is None
    _after_the_lease(monkeypatch)
    assert message_deliver(message_id=message.pk) == "sent"
    assert len(smtp_server.messages) == 1


def test_an_idempotent_gateway_is_retried_with_the_same_key(org: Any, registration: Any, settings: Any,
                                                           monkeypatch: Any) -> None:
    with http_sink() as sink:
        settings.COMPLAINTDESK_TRANSPORTS = {"sms": "http_sms", "email": "console"}
        settings.COMPLAINTDESK_SMS_GATEWAY = {
            "URL": sink.url, "USER": "", "PASSWORD": "", "TOKEN": "t", "SENDER": "ACME",
            "TEMPLATE": '{"to": "{to}", "text": "{text}", "ref": "{id}"}', "TIMEOUT": "5"}
        complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
            customer={"first_name": "Ann",
                      "last_name": "Carter", "phone": "13812345678", "email": "", "language": "en"})))
        message = Message.objects.get(complaint=complaint, channel="sms")
        with monkeypatch.context() as dying:
            _die_after(transports.HttpSmsTransport, dying)
            with pytest.raises(WorkerKilled):
                message_deliver(message_id=message.pk)
        _after_the_lease(monkeypatch)
        assert message_deliver(message_id=message.pk) == "sent"
    assert len(sink.requests) == 2
    keys = {request.headers["idempotency-key"] for request in sink.requests}
    assert keys == {f"complaintdesk-message-{message.pk}"}  # the gateway drops the repeat


def _lose_connection_on(monkeypatch: Any, data: bytes | None) -> list[bytes]:
    """Break the SMTP connection when the client sends ``data`` (None: the message's content);
    return what was sent before."""
    import smtplib

    sent: list[bytes] = []
    original = smtplib.SMTP.send

    def send(self: Any, chunk: Any) -> None:
        raw = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
        is_content = raw not in (b".\r\n",) and not raw.upper().startswith((b"MAIL", b"RCPT", b"DATA", b"EHLO",
                                                                           b"HELO", b"QUIT", b"RSET", b"NOOP"))
        if (data is None and is_content) or raw == data:
            raise ConnectionResetError("connection reset by peer")
        sent.append(raw)
        original(self, chunk)

    monkeypatch.setattr(smtplib.SMTP, "send", send)
    return sent


def test_a_connection_lost_after_the_hand_over_is_uncertain(org: Any, registration: Any, smtp_server: Any,
                                                            monkeypatch: Any) -> None:
    complaint = _email_complaint(org, registration)
    message = Message.objects.get(complaint=complaint, channel="email")
    _lose_connection_on(monkeypatch, b".\r\n")  # the end-of-data line: the server may hold the message
    assert message_deliver(message_id=message.pk) == "uncertain"
    message.refresh_from_db()
    assert message.status == "uncertain" and "connection reset" in message.error


def test_a_connection_lost_while_the_content_is_sent_is_a_plain_retry(org: Any, registration: Any, smtp_server: Any,
                                                                      monkeypatch: Any) -> None:
    """Until the end-of-data line the server keeps nothing of the transaction: the message is not
    in flight, and the next attempt sends it (once)."""
    complaint = _email_complaint(org, registration)
    message = Message.objects.get(complaint=complaint, channel="email")
    with monkeypatch.context() as breaking:
        _lose_connection_on(breaking, None)
        message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status != "uncertain" and message.in_flight_at is None
    _after_the_lease(monkeypatch)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=None)
    assert message_deliver(message_id=message.pk) == "sent"
    assert sum(message.recipient in m.rcpt_tos for m in smtp_server.messages) == 1


def test_a_taken_over_attempt_does_not_send(org: Any, registration: Any, smtp_server: Any) -> None:
    complaint = _email_complaint(org, registration)
    message = Message.objects.get(complaint=complaint, channel="email")
    original = transports.SmtpTransport.send

    def slow(self: Any, msg: Message, in_flight: Callable[[], None]) -> None:
        # while this worker was stalled its claim expired and another worker took the message
        Message.objects.filter(pk=msg.pk).update(attempt_id="another-worker")
        original(self, msg, in_flight)

    transports.SmtpTransport.send = slow  # type: ignore[method-assign]
    try:
        assert message_deliver(message_id=message.pk) == "taken over"
    finally:
        transports.SmtpTransport.send = original  # type: ignore[method-assign]
    assert smtp_server.messages == []


def _uncertain(org: Any, registration: Any, smtp_server: Any, monkeypatch: Any) -> tuple[Any, Message]:
    complaint = _email_complaint(org, registration)
    message = Message.objects.get(complaint=complaint, channel="email")
    with monkeypatch.context() as dying:
        _die_after(transports.SmtpTransport, dying)
        with pytest.raises(WorkerKilled):
            message_deliver(message_id=message.pk)
    with monkeypatch.context() as later:
        _after_the_lease(later)
        assert message_deliver(message_id=message.pk) == "uncertain"
    return complaint, message


def test_the_owner_resends_an_uncertain_message_with_one_click(org: Any, registration: Any, smtp_server: Any,
                                                                monkeypatch: Any) -> None:
    from complaintdesk.complaints.services.messages import message_resend

    complaint, message = _uncertain(org, registration, smtp_server, monkeypatch)
    owner = complaint.owner
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(owner)
    page = client.get(reverse("complaint-detail", args=[complaint.number]))
    assert b'data-testid="message-resend"' in page.content
    response = client.post(reverse("complaint-message-resend", args=[complaint.number, message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 0 and message.in_flight_at is None
    assert AuditEvent.objects.filter(action="message.resend", actor=owner).count() == 1
    assert TimelineEntry.objects.filter(complaint=complaint, kind="message_resent").count() == 1
    assert message_deliver(message_id=message.pk) == "sent"
    assert len(smtp_server.messages) == 2  # sent again because a person decided to
    with pytest.raises(Conflict):  # a sent message is not resent
        message_resend(actor=owner, number=complaint.number, message_id=message.pk)


def test_only_the_owner_or_a_supervisor_resends(org: Any, registration: Any, smtp_server: Any,
                                               monkeypatch: Any) -> None:
    from complaintdesk.accounts.services import user_create
    from complaintdesk.complaints.services.messages import message_resend
    from complaintdesk.policy.schema import Role
    from orgkit import PASSWORD

    complaint, message = _uncertain(org, registration, smtp_server, monkeypatch)
    other = user_create(actor=None, username="agent2", password=PASSWORD, roles=[Role.AGENT])
    assert complaint.owner != other
    with pytest.raises(PermissionDenied):
        message_resend(actor=other, number=complaint.number, message_id=message.pk)
    message_resend(actor=org["supervisor"], number=complaint.number, message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "queued"
