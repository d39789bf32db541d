"""The timeline reads as sentences for people in either language: how a message went out (短信 by
the SMS gateway, not "sms" through "http_sms") and which fields an amendment changed (电话、型号, not
"customer.phone, product.model")."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from complaintdesk.complaints.display import timeline_text
from complaintdesk.complaints.models import Complaint, TimelineEntry
from complaintdesk.complaints.schemas import ComplaintAmendIn, ComplaintIn, ProductIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.actions import complaint_accept
from complaintdesk.complaints.services.amend import complaint_amend
from complaintdesk.core.policies import policy_of
from complaintdesk.notify.models import Message
from complaintdesk.notify.services import message_deliver

pytestmark = pytest.mark.django_db


def _text(complaint: Complaint, kind: str, language: str) -> str:
    entry = TimelineEntry.objects.filter(complaint=complaint, kind=kind).latest("id")
    with translation.override(language):
        return timeline_text(entry, policy_of(complaint.policy_version))


def test_an_sms_acknowledgement_is_told_with_the_channel_and_transport_named(org: Any, registration: Any) -> None:
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann", "last_name": "王", "phone": "13812345678", "language": "zh-hans"})).to_input())
    message = Message.objects.get(complaint=complaint)
    assert message.channel == "sms"
    assert message_deliver(message_id=message.pk) == "sent"

    queued = _text(complaint, "message_queued", "zh-hans")
    assert queued.startswith("受理通知已排队，将以短信发送：“")
    assert "sms" not in queued
    sent = _text(complaint, "message_sent", "zh-hans")
    assert sent == "消息（受理通知）已以短信经控制台（演示：消息不离开本机）发送至 138****5678。"
    assert _text(complaint, "message_sent", "en") == (
        "Message (acknowledgement) delivered by SMS to 138****5678 through the console (demo: nothing leaves "
        "the machine).")


def test_an_email_through_the_mail_server_is_named_so(org: Any, registration: Any, smtp_server: Any) -> None:
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann",
                  "last_name": "Carter", "email": "emily@example.com", "language": "en"})).to_input())
    message = Message.objects.get(complaint=complaint)
    assert message.channel == "email"
    assert message_deliver(message_id=message.pk) == "sent"
    assert "以电子邮件经邮件服务器发送至" in _text(complaint, "message_sent", "zh-hans")
    assert "delivered by e-mail to" in _text(complaint, "message_sent", "en")
    assert "through the mail server." in _text(complaint, "message_sent", "en")


def test_an_amendment_names_the_fields_it_changed_by_their_labels(org: Any, registration: Any) -> None:
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration()).to_input())
    complaint_amend(actor=org["agent"], number=complaint.number, data=ComplaintAmendIn(
        customer={**registration()["customer"], "phone": "13912345678"},
        product=ProductIn(model="Find X5", imei="490154203237518"),
        reason="Customer complains that calls drop after the October update").to_input())
    zh = _text(complaint, "amended", "zh-hans")
    assert zh.startswith("已修改：") and "电话" in zh and "型号" in zh and "投诉原因" in zh
    assert "customer." not in zh and "product." not in zh and "reason" not in zh
    en = _text(complaint, "amended", "en")
    assert "customer." not in en and "product." not in en
    assert "phone" in en.lower() and "model" in en.lower()


def test_the_reasons_the_system_gives_are_read_in_the_readers_language(org: Any, registration: Any) -> None:
    """Accepting a complaint someone else registered makes the accepter its owner: the handover's
    reason was stored as text in the accepter's language; it is now read in the reader's."""
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration()).to_input())
    with translation.override("zh-hans"):  # the accepter works in Chinese
        complaint_accept(actor=org["specialist"], number=complaint.number)
    assert _text(complaint, "handover", "en").endswith("Reason: accepted the complaint")
    assert _text(complaint, "handover", "zh-hans").endswith("受理了投诉")
