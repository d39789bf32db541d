"""The one notice sender: a notice is stored as its kind and parameters and read in the reader's
language, whatever language it was written in; notices stored as text still show."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone, translation

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.notify.models import Message
from complaintdesk.notify.notices import NOTICES, local_moment, notice_register, notice_send, notice_view


def _complaint(org: Any, registration: Any) -> Complaint:
    return complaint_register(actor=org["agent"], data=ComplaintIn(**registration()).to_input())


def _set_language(user: Any, language: str) -> Any:
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.mark.django_db
def test_a_notice_written_in_chinese_reads_in_english(org: Any, registration: Any) -> None:
    complaint = _complaint(org, registration)
    owner = _set_language(org["specialist"], "zh-hans")
    due = datetime(2026, 6, 15, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
    with transaction.atomic():
        sent = notice_send(users=[owner, owner, None], complaint=complaint, kind="work_order", order="WO-7",
                           due=local_moment(due, "Asia/Shanghai"))
    assert sent == 1  # each user once, None skipped
    message = Message.objects.get(kind="work_order", recipient_user=owner)
    assert message.language == "zh-hans"
    assert message.subject == "新工单"  # what a transport would send, in the recipient's language
    assert "2026年6月15日 10:30" in message.body
    english = notice_view(message, "en")
    assert english.subject == "New work order"
    assert english.body == f"Work order WO-7 for complaint {complaint.number} is due at 2026-06-15 10:30."
    assert english.complaint == complaint.number and english.read is False
    chinese = notice_view(message, "zh-hans")
    assert chinese.subject == "新工单" and "2026年6月15日 10:30" in chinese.body and "WO-7" in chinese.body


@pytest.mark.django_db
def test_a_notice_written_in_english_reads_in_chinese(org: Any, registration: Any) -> None:
    complaint = _complaint(org, registration)
    supervisor = _set_language(org["supervisor"], "en")
    level = org.policy.levels[-1]
    with transaction.atomic():
        notice_send(users=[supervisor], complaint=complaint, kind="escalated", level=level.label)
    message = Message.objects.get(kind="escalated", recipient_user=supervisor)
    assert message.body == (f"Complaint {complaint.number} was escalated to {level.label.en}; "
                            "you supervise this level.")
    chinese = notice_view(message, "zh-hans")
    assert chinese.subject == "投诉已升级"
    assert complaint.number in chinese.body and level.label.zh in chinese.body and level.label.en not in chinese.body


@pytest.mark.django_db
def test_lazy_translations_and_callables_are_kept_in_both_languages(org: Any, registration: Any) -> None:
    from django.utils.translation import gettext_lazy

    complaint = _complaint(org, registration)
    owner = org["specialist"]
    with transaction.atomic():
        notice_send(users=[owner], complaint=complaint, kind="return_visit_blocked",
                    problems=[gettext_lazy("Complaint")])
        notice_send(users=[owner], complaint=complaint, kind="appeal_answered",
                    result=lambda language: "有效" if language.startswith("zh") else "valid")
    blocked = Message.objects.get(kind="return_visit_blocked")
    assert blocked.params is not None and blocked.params["problems"] == [{"zh": "投诉", "en": "Complaint"}]
    assert notice_view(blocked, "en").body.endswith("could not be closed: Complaint")
    assert notice_view(blocked, "zh-hans").body.endswith("投诉")
    answered = Message.objects.get(kind="appeal_answered")
    assert notice_view(answered, "en").body.endswith("is answered: valid.")
    assert "有效" in notice_view(answered, "zh-hans").body


@pytest.mark.django_db
def test_a_notice_stored_as_text_still_shows(org: Any) -> None:
    """Notices written before kinds and parameters were kept show their stored text."""
    user = org["specialist"]
    old = Message.objects.create(kind="handover", channel="internal", recipient=user.username, recipient_user=user,
                                 language="zh-hans", subject="投诉已移交给您", body="您现在负责投诉 X。",
                                 created_at=timezone.now())
    view = notice_view(old, "en")
    assert (view.subject, view.body) == ("投诉已移交给您", "您现在负责投诉 X。")
    unknown = Message.objects.create(kind="retired_kind", channel="internal", recipient=user.username,
                                     recipient_user=user, language="en", subject="Old", body="Old text",
                                     params={"number": "X"}, created_at=timezone.now())
    assert notice_view(unknown, "zh-hans").body == "Old text"


@pytest.mark.django_db
def test_an_unregistered_kind_is_refused_and_nothing_is_written(org: Any) -> None:
    with pytest.raises(ValueError, match="no registered text"), transaction.atomic():
        notice_send(users=[org["specialist"]], kind="nobody_registered_this")
    assert not Message.objects.exists()


def test_a_kind_cannot_be_registered_twice_with_another_text() -> None:
    existing = NOTICES["handover"]
    notice_register("handover", subject=existing.subject, body=existing.body)  # the same text again is fine
    with pytest.raises(ValueError, match="already registered"):
        notice_register("handover", subject="Other", body="Other")
    assert NOTICES["handover"] == existing


def test_every_registered_notice_renders_in_both_languages() -> None:
    """Each app's texts are complete: every placeholder is named and both catalogues translate them."""
    for kind, text in NOTICES.items():
        for language in ("zh-hans", "en"):
            with translation.override(language):
                subject, body = str(text.subject), str(text.body)
            assert subject and body, kind
            if language == "zh-hans":
                assert any("\u4e00" <= ch <= "\u9fff" for ch in subject + body), f"{kind} is not translated"


@pytest.mark.django_db
def test_the_api_and_the_page_show_notices_in_the_readers_language(org: Any, registration: Any, api: Any,
                                                                    client: Any) -> None:
    complaint = _complaint(org, registration)
    agent = _set_language(org["agent"], "zh-hans")
    with transaction.atomic():
        notice_send(users=[agent], complaint=complaint, kind="handover")
    english = api("agent", language="en").get("/notifications")
    assert english.status_code == 200
    assert [(n["kind"], n["subject"], n["complaint"], n["read"]) for n in english.json()] == [
        ("handover", "Complaint handed over to you", complaint.number, False)]
    chinese = api("agent", language="zh-hans").get("/notifications?unread=true").json()
    assert chinese[0]["subject"] == "投诉已移交给您" and complaint.number in chinese[0]["body"]
    client.force_login(agent)
    page = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Complaint handed over to you" in page.content.decode()
    assert api("agent").get("/notifications?unread=true").json() == []  # the page marked it read
