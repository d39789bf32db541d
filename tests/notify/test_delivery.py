"""Message delivery: the real worker process runs the task; e-mail goes through a real SMTP server."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.complaints.models import TimelineEntry
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.notify.models import Message
from complaintdesk.notify.services import message_deliver


def test_worker_process_delivers_the_acknowledgement(org_tx: Any, registration: Any, run_worker_process: Any) -> None:
    complaint = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()).to_input())
    message = Message.objects.get(complaint=complaint)
    assert message.status == "queued"
    result = run_worker_process()
    assert result.returncode == 0, result.stderr
    message.refresh_from_db()
    assert message.status == "sent" and message.transport == "console"
    assert complaint.number in result.stdout  # the console transport printed the SMS
    assert TimelineEntry.objects.filter(complaint=complaint, kind="message_sent").exists()


@pytest.mark.django_db
def test_email_acknowledgement_goes_through_smtp(org: Any, registration: Any, smtp_server: Any) -> None:
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann",
                  "last_name": "Carter", "email": "emily@example.com", "language": "en"})).to_input())
    message = Message.objects.get(complaint=complaint)
    assert message.channel == "email"
    assert message_deliver(message_id=message.pk) == "sent"
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["emily@example.com"]
    content = envelope.content.decode()
    assert complaint.number in content and "received" in content


@pytest.mark.django_db
def test_delivery_is_idempotent(org: Any, registration: Any, smtp_server: Any) -> None:
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann", "last_name": "Carter", "email": "emily@example.com"})).to_input())
    message = Message.objects.get(complaint=complaint)
    message_deliver(message_id=message.pk)
    message_deliver(message_id=message.pk)
    assert len(smtp_server.messages) == 1
    assert TimelineEntry.objects.filter(complaint=complaint, kind="message_sent").count() == 1


@pytest.mark.django_db
def test_failed_delivery_is_recorded_on_the_timeline(org: Any, registration: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_TRANSPORTS = {"sms": "console", "email": "smtp"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens there
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann", "last_name": "Carter", "email": "emily@example.com"})).to_input())
    settings.COMPLAINTDESK_DELIVERY_ATTEMPTS = 2
    message = Message.objects.get(complaint=complaint)
    assert message_deliver(message_id=message.pk) == "retrying"
    Message.objects.filter(pk=message.pk).update(next_attempt_at=None)  # the backoff has passed
    assert message_deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == "failed" and message.error and message.attempts == 2
    assert TimelineEntry.objects.filter(complaint=complaint, kind="message_failed").exists()


@pytest.mark.django_db
def test_a_rolled_back_registration_leaves_no_message_and_no_task(org: Any, registration: Any) -> None:
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.count()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        complaint_register(actor=org["agent"], data=ComplaintIn(**registration()).to_input())
        raise Abort
    assert Message.objects.count() == 0
    assert DBTaskResult.objects.count() == before
