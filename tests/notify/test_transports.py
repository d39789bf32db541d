"""Messages out: the SMS gateway adapter against a real HTTP receiver on loopback, retries with
backoff, the final failure told to the owner, at most one send per message, templates in the
customer's language, and the e-mail Message-ID keyed by the message id."""

from __future__ import annotations

import json
from typing import Any

import pytest

from complaintdesk.complaints.models import TimelineEntry
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.notify.models import Message
from complaintdesk.notify.services import message_deliver, retry_delay
from httpsink import http_sink


@pytest.fixture
def gateway(settings: Any) -> Any:
    def configure(url: str, **extra: str) -> None:
        settings.COMPLAINTDESK_TRANSPORTS = {"sms": "http_sms", "email": "console"}
        settings.COMPLAINTDESK_SMS_GATEWAY = {
            "URL": url, "USER": "acme", "PASSWORD": "s3cret", "TOKEN": "", "SENDER": "ACME",
            "TEMPLATE": '{"account": "{sender}", "messages": [{"to": "{to}", "content": "{text}", "ref": "{id}"}]}',
            "TIMEOUT": "5", **extra}

    return configure


def _sms_complaint(org: Any, registration: Any, language: str = "en") -> Any:
    customer = {"first_name": "Ann", "last_name": "Carter", "phone": "13812345678", "email": "", "language": language}
    return complaint_register(actor=org["agent"], data=ComplaintIn(**registration(customer=customer)).to_input())


@pytest.mark.django_db
def test_sms_goes_through_the_http_gateway_with_credentials_and_key(org: Any, registration: Any,
                                                                   gateway: Any) -> None:
    with http_sink() as sink:
        gateway(sink.url)
        complaint = _sms_complaint(org, registration)
        message = Message.objects.get(complaint=complaint, channel="sms")
        assert message_deliver(message_id=message.pk) == "sent"
    assert len(sink.requests) == 1
    request = sink.requests[0]
    body = json.loads(request.body)
    assert body["account"] == "ACME"
    assert body["messages"][0]["to"] == "+8613812345678"
    assert complaint.number in body["messages"][0]["content"]
    assert body["messages"][0]["ref"] == f"complaintdesk-message-{message.pk}"
    assert request.headers["idempotency-key"] == f"complaintdesk-message-{message.pk}"
    assert request.headers["authorization"] == "Basic YWNtZTpzM2NyZXQ="  # acme:s3cret
    message.refresh_from_db()
    assert message.status == "sent" and message.transport == "http_sms"
    assert TimelineEntry.objects.filter(complaint=complaint, kind="message_sent").exists()


@pytest.mark.django_db
def test_the_message_is_the_policy_template_in_the_customers_language(org: Any, registration: Any,
                                                                     gateway: Any) -> None:
    with http_sink() as sink:
        gateway(sink.url, TOKEN="tok-1")
        complaint = _sms_complaint(org, registration, language="zh-hans")
        message_deliver(message_id=Message.objects.get(complaint=complaint).pk)
    content = json.loads(sink.requests[0].body)["messages"][0]["content"]
    assert content.startswith("您好，我们已收到您的投诉") and complaint.number in content
    assert sink.requests[0].headers["authorization"] == "Bearer tok-1"


@pytest.mark.django_db
def test_a_sent_message_is_never_sent_again(org: Any, registration: Any, gateway: Any) -> None:
    with http_sink() as sink:
        gateway(sink.url)
        complaint = _sms_complaint(org, registration)
        message = Message.objects.get(complaint=complaint)
        assert message_deliver(message_id=message.pk) == "sent"
        assert message_deliver(message_id=message.pk) == "sent"
    assert len(sink.requests) == 1


@pytest.mark.django_db
def test_a_message_claimed_by_another_worker_is_not_sent_twice(org: Any, registration: Any, gateway: Any) -> None:
    from django.utils import timezone

    with http_sink() as sink:
        gateway(sink.url)
        complaint = _sms_complaint(org, registration)
        message = Message.objects.get(complaint=complaint)
        Message.objects.filter(pk=message.pk).update(status="sending", claimed_at=timezone.now())
        assert message_deliver(message_id=message.pk) == "sending"
    assert sink.requests == []


@pytest.mark.django_db
def test_a_refusing_gateway_is_retried_with_backoff_then_the_owner_is_told(org: Any, registration: Any,
                                                                          gateway: Any, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.COMPLAINTDESK_DELIVERY_ATTEMPTS = 3
    settings.COMPLAINTDESK_DELIVERY_BACKOFF = 30
    with http_sink(statuses=[503, 503, 503]) as sink:
        gateway(sink.url)
        complaint = _sms_complaint(org, registration)
        message = Message.objects.get(complaint=complaint)
        tasks_before = DBTaskResult.objects.count()
        assert message_deliver(message_id=message.pk) == "retrying"
        message.refresh_from_db()
        assert message.status == "retrying" and "503" in message.error
        retry = DBTaskResult.objects.order_by("-enqueued_at").first()
        assert DBTaskResult.objects.count() == tasks_before + 1
        assert retry is not None and retry.run_after >= message.next_attempt_at
        # a run before the backoff has passed does nothing
        assert message_deliver(message_id=message.pk) == "retrying"
        assert len(sink.requests) == 1
        for _attempt in range(2):
            Message.objects.filter(pk=message.pk).update(next_attempt_at=None)
            outcome = message_deliver(message_id=message.pk)
        assert outcome == "failed"
    assert len(sink.requests) == 3
    assert len({r.headers["idempotency-key"] for r in sink.requests}) == 1  # the same key on every attempt
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 3
    assert TimelineEntry.objects.filter(complaint=complaint, kind="message_failed").count() == 1
    notice = Message.objects.get(channel="internal", kind="message_failed")
    assert notice.recipient_user == complaint.owner
    assert complaint.number in notice.body and "3 attempts" in notice.body


def test_backoff_doubles_and_is_capped() -> None:
    assert [retry_delay(n, 30).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(20, 30).total_seconds() == 3600


@pytest.mark.django_db
def test_an_unreachable_gateway_is_retried(org: Any, registration: Any, gateway: Any) -> None:
    gateway("http://127.0.0.1:1/sms")
    complaint = _sms_complaint(org, registration)
    message = Message.objects.get(complaint=complaint)
    assert message_deliver(message_id=message.pk) == "retrying"
    message.refresh_from_db()
    assert "unreachable" in message.error


@pytest.mark.django_db
def test_email_message_id_is_keyed_by_the_message(org: Any, registration: Any, smtp_server: Any) -> None:
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann",
                  "last_name": "Carter", "email": "emily@example.com", "language": "en"})).to_input())
    message = Message.objects.get(complaint=complaint)
    message_deliver(message_id=message.pk)
    content = smtp_server.messages[0].content.decode()
    assert f"Message-ID: <complaintdesk-message-{message.pk}@localhost>" in content


@pytest.mark.django_db
def test_automatic_mail_is_marked_so_that_vacation_responders_stay_silent(org: Any, registration: Any,
                                                                          smtp_server: Any) -> None:
    """RFC 3834: without Auto-Submitted a customer's vacation responder answered the acknowledgement,
    and a staff member's answered every notice, both to the complaint address that takes mail in."""
    import email
    import email.policy

    from complaintdesk.notify.services import message_queue

    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann",
                  "last_name": "Carter", "email": "emily@example.com", "language": "en"})).to_input())
    acknowledgement = Message.objects.get(complaint=complaint, kind="acknowledgement")
    notice = message_queue(actor=None, kind="clock_breach", channel="email", recipient="lead@example.com",
                           body="A deadline passed.", language="en", subject="Deadline passed",
                           recipient_user=org["supervisor"])
    written = message_queue(actor=org["agent"], kind="result_notice", channel="email", recipient="emily@example.com",
                            body="We replaced your phone.", language="en", subject="Result", complaint=complaint)
    for message in (acknowledgement, notice, written):
        assert message_deliver(message_id=message.pk) == "sent"
    sent = {parsed["To"]: parsed for parsed in (email.message_from_bytes(m.content, policy=email.policy.default)
                                                for m in smtp_server.messages) if parsed["Subject"] != "Result"}
    result = next(email.message_from_bytes(m.content, policy=email.policy.default) for m in smtp_server.messages
                  if b"Subject: Result" in m.content)
    assert sent["emily@example.com"]["Auto-Submitted"] == "auto-replied"
    assert sent["lead@example.com"]["Auto-Submitted"] == "auto-generated"
    assert result["Auto-Submitted"] is None  # what the staff send the customer is answered like any mail


@pytest.mark.django_db
def test_a_sender_with_a_name_gives_a_well_formed_message_id(org: Any, registration: Any, smtp_server: Any,
                                                             settings: Any) -> None:
    """COMPLAINTDESK_MAIL_FROM="投诉中心 <ts@example.com>" made the Message-ID <…@example.com>>."""
    import email
    import email.policy

    settings.DEFAULT_FROM_EMAIL = "投诉中心 <ts@example.com>"
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann",
                  "last_name": "Carter", "email": "emily@example.com", "language": "en"})).to_input())
    message = Message.objects.get(complaint=complaint)
    assert message_deliver(message_id=message.pk) == "sent"
    content = smtp_server.messages[0].content
    assert f"\nMessage-ID: <complaintdesk-message-{message.pk}@example.com>\r\n".encode() in content
    sent = email.message_from_bytes(content, policy=email.policy.default)
    assert sent["From"].addresses[0].display_name == "投诉中心"
    assert sent["From"].addresses[0].addr_spec == "ts@example.com"


@pytest.mark.django_db
def test_a_gateway_redirect_is_a_failed_attempt_not_a_sent_message(org: Any, registration: Any,
                                                                    gateway: Any) -> None:
    """urllib followed a 302 to the POST with a GET without the message, and its 200 made it "sent"."""
    with http_sink(statuses=[302]) as sink:
        gateway(sink.url)
        message = Message.objects.get(complaint=_sms_complaint(org, registration))
        assert message_deliver(message_id=message.pk) == "retrying"
        message.refresh_from_db()
        assert "302" in message.error
        assert [r.path for r in sink.requests] == ["/hook"]  # never a GET of /moved


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "subject"), [("en", "A message about your complaint"),
                                                   ("zh-hans", "关于您投诉的消息")])
def test_an_e_mail_queued_without_a_subject_never_shows_its_internal_kind(
        org: Any, registration: Any, smtp_server: Any, language: str, subject: str) -> None:
    """The extension notice and the survey invitation go by e-mail without a subject, and the
    customer read "extension_notice" / "survey_invitation" in the subject line."""
    import email
    import email.policy

    from complaintdesk.notify.services import message_queue

    for kind in ("extension_notice", "survey_invitation"):
        message = message_queue(actor=org["agent"], kind=kind, channel="email", recipient="emily@example.com",
                                body="…", language=language)
        assert message_deliver(message_id=message.pk) == "sent"
    subjects = [str(email.message_from_bytes(m.content, policy=email.policy.default)["Subject"])
                for m in smtp_server.messages]
    assert subjects == [subject, subject]


@pytest.mark.django_db
def test_a_failure_is_told_in_the_readers_language_and_the_raw_answer_kept(org: Any, registration: Any,
                                                                           gateway: Any, settings: Any) -> None:
    """The timeline and the owner's notice showed the transport's raw text ("SMS gateway answered
    503: {}") in English to every reader; now they say what failed in the reader's language, and the
    raw answer stays on the message for administrators."""
    from django.utils import translation

    from complaintdesk.complaints.display import timeline_text
    from complaintdesk.core.policies import policy_of
    from complaintdesk.notify.notices import notice_render

    settings.COMPLAINTDESK_DELIVERY_ATTEMPTS = 1
    with http_sink(statuses=[503]) as sink:
        gateway(sink.url)
        complaint = _sms_complaint(org, registration)
        message = Message.objects.get(complaint=complaint)
        assert message_deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.error.startswith("SMS gateway answered 503")  # the raw detail, for administrators
    assert message.failure == {"reason": "gateway_refused", "code": 503}
    entry = TimelineEntry.objects.get(complaint=complaint, kind="message_failed")
    policy = policy_of(complaint.policy_version)
    with translation.override("en"):
        english = timeline_text(entry, policy)
    with translation.override("zh-hans"):
        chinese = timeline_text(entry, policy)
    assert english.endswith("failed: the SMS gateway refused the message (HTTP status 503)")
    assert chinese.endswith("短信网关拒收了该消息（HTTP 状态 503）") and "answered" not in chinese
    notice = Message.objects.get(channel="internal", kind="message_failed")
    body_zh = notice_render(notice.kind, notice.params, "zh-hans")[1]
    body_en = notice_render(notice.kind, notice.params, "en")[1]
    assert "短信网关拒收了该消息（HTTP 状态 503）" in body_zh and "answered" not in body_zh
    assert "(the SMS gateway refused the message (HTTP status 503))" in body_en


@pytest.mark.django_db
def test_an_unreachable_gateway_is_told_in_the_readers_language(org: Any, registration: Any, gateway: Any,
                                                                settings: Any) -> None:
    from django.utils import translation

    from complaintdesk.complaints.display import timeline_text
    from complaintdesk.core.policies import policy_of

    settings.COMPLAINTDESK_DELIVERY_ATTEMPTS = 1
    gateway("http://127.0.0.1:1/sms")
    complaint = _sms_complaint(org, registration)
    assert message_deliver(message_id=Message.objects.get(complaint=complaint).pk) == "failed"
    entry = TimelineEntry.objects.get(complaint=complaint, kind="message_failed")
    with translation.override("zh-hans"):
        assert timeline_text(entry, policy_of(complaint.policy_version)).endswith("无法连接短信网关")
