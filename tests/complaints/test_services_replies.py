"""Written replies to the customer from the policy's templates, in the customer's language: the
acknowledgement at registration (``messages.acknowledgement``) and the result notice
(``messages.result_notice``, 处理结果告知书) when the complaint is resolved; the reply script
(``messages.reply_script``) is shown to the agent on the registration form."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation
from workkit import bring_to, register, resolve_fields

from complaintdesk.complaints.display import timeline
from complaintdesk.complaints.models import TimelineEntry
from complaintdesk.notify.models import Message
from complaintdesk.policy import rules
from orgkit import install_org

pytestmark = pytest.mark.django_db


def _customer(language: str) -> dict[str, Any]:
    return {"title": "ms", "first_name": "Emily", "last_name": "Carter", "phone": "13812345678",
            "email": "emily@example.com", "address": "Shanghai", "language": language}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_acknowledgement_is_worded_from_the_policy_in_the_customers_language(org: Any, language: str) -> None:
    complaint = register(org["agent"], customer=_customer(language))
    tz = ZoneInfo(org.policy.timezone)
    expected = rules.render_message(
        org.policy.messages.acknowledgement.get(language), number=complaint.number,
        received_at=rules.format_moment(complaint.received_at.astimezone(tz), language),
        reply_by=rules.format_moment(complaint.reply_due_at.astimezone(tz), language),
        organisation=org.policy.organisation.get(language))
    message = Message.objects.get(complaint=complaint, kind="acknowledgement")
    assert (message.body, message.language) == (expected, language)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_result_notice_goes_out_on_resolve_in_the_customers_language(org: Any, table_only: None,
                                                                        language: str) -> None:
    complaint = bring_to(org, register(org["agent"], customer=_customer(language)), "resolved")
    note = resolve_fields(org.policy)["note"]
    expected = rules.result_notice(org.policy, result=note, language=language, number=complaint.number,
                                   organisation=org.policy.organisation.get(language))
    assert ".." not in expected and ".。" not in expected
    message = Message.objects.get(complaint=complaint, kind="result_notice")
    assert (message.body, message.language, message.channel) == (expected, language, "sms")
    entry = TimelineEntry.objects.get(complaint=complaint, kind="result_notice")
    assert entry.data["message"] == message.pk
    with translation.override("en"):
        assert any(row["text"].startswith("Result notice queued for SMS") for row in timeline(complaint))
    # closing afterwards sends nothing more
    from workkit import act

    act(org["specialist"], complaint, "close")
    assert Message.objects.filter(complaint=complaint, kind="result_notice").count() == 1


def test_without_a_result_notice_in_the_policy_nothing_is_sent_on_resolve(org: Any, table_only: None) -> None:
    variant = install_org("shopping_mall")
    assert variant.policy.messages.result_notice is None
    complaint = bring_to(variant, register(variant["agent"]), "resolved")
    assert not Message.objects.filter(complaint=complaint, kind="result_notice").exists()
    assert not TimelineEntry.objects.filter(complaint=complaint, kind="result_notice").exists()


def test_a_customer_without_phone_or_email_gets_the_result_notice_through_the_case_origin(
        org: Any, table_only: None) -> None:
    customer = {**_customer("en"), "phone": "", "email": ""}
    channel = next(c for c in org.policy.channels if c.requires_origin)
    complaint = register(org["agent"], customer=customer, channel=channel.code, case_origin="Walk-in desk")
    complaint = bring_to(org, complaint, "resolved")
    assert not Message.objects.filter(complaint=complaint, kind="result_notice").exists()
    entry = TimelineEntry.objects.get(complaint=complaint, kind="result_notice")
    assert entry.data["channel"] == "" and resolve_fields(org.policy)["note"] in entry.data["text"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_reply_script_is_shown_on_the_registration_form(org: Any, language: str) -> None:
    hotline = install_org("hypermarket")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    client.force_login(hotline["agent"])
    page = client.get("/complaints/new/").content.decode()
    script = rules.render_message(hotline.policy.messages.reply_script.get(language),
                                  duty_manager=hotline["agent"].display_name())
    assert 'data-testid="reply-script"' in page
    before, _number, after = script.partition("{number}")
    assert before in page and after in page and "{number}" not in page


def test_no_reply_script_card_where_the_policy_has_none(org: Any) -> None:
    assert org.policy.messages.reply_script is None
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org["agent"])
    assert 'data-testid="reply-script"' not in client.get("/complaints/new/").content.decode()
