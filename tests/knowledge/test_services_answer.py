"""Answering a complaint from a knowledge-base article: the article goes to the customer in the
customer's language through the message transport and shows on the timeline; where the policy
answers a responsibility from the knowledge base (``responsibility.answer_from_knowledge_base``,
IPTV 无责投诉) the words are ``messages.no_fault_reply`` and the complaint is closed."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from kbkit import EN_BODY, ZH_BODY, article_in, published
from workkit import act, bring_to, register, state_of

from complaintdesk.complaints.display import timeline
from complaintdesk.complaints.models import Complaint, TimelineEntry
from complaintdesk.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.knowledge.models import ArticleAnswer
from complaintdesk.knowledge.services import article_create, complaint_answer_from_article
from complaintdesk.notify.models import Message
from complaintdesk.policy import rules
from orgkit import install_org, install_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def iptv(org: Any) -> Any:
    return install_org("iptv")


def _customer(language: str) -> dict[str, Any]:
    return {"title": "ms", "first_name": "Emily", "last_name": "Carter", "phone": "13812345678",
            "email": "emily@example.com", "address": "Shanghai", "language": language}


def test_a_no_fault_complaint_answered_from_an_article_is_closed_with_the_no_fault_reply(iptv: Any) -> None:
    complaint = register(iptv["agent"])
    article = published(iptv["specialist"])
    answer = complaint_answer_from_article(actor=iptv["agent"], number=complaint.number, article_id=article.pk,
                                           responsibility="no_fault")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED and complaint.outcome_reason == "no_fault"
    expected = rules.article_reply(iptv.policy, responsibility="no_fault", article_text=EN_BODY, language="en",
                                   number=complaint.number)
    assert expected.startswith("Regarding") and ".." not in expected
    assert answer.closed and answer.body == expected and answer.article_version == 1
    message = Message.objects.get(complaint=complaint, kind="article_answer")
    assert (message.channel, message.recipient, message.body, message.language) == (
        "sms", "+8613812345678", expected, "en")
    kinds = list(TimelineEntry.objects.filter(complaint=complaint).values_list("kind", flat=True).order_by("id"))
    assert kinds[-2:] == ["knowledge_answered", "status_close"]
    assert AuditEvent.objects.filter(action="knowledge.answered", complaint_number=complaint.number).count() == 1
    # the close reason reads as the policy's label, in each reader's language
    for language, label in (("en", "No-fault complaint"), ("zh-hans", "无责投诉（无需处理）")):
        with translation.override(language):
            texts = [row["text"] for row in timeline(complaint)]
        assert any(label in text and text.startswith(("Closed", "已结案")) for text in texts), texts
        assert any(article.title(language) in text for text in texts)
        # the channel it went out by, named for the reader
        assert any(article.title(language) in text and ("queued for SMS" in text or "将以短信发送" in text)
                   for text in texts), texts


def test_the_answer_goes_out_in_the_customers_language(iptv: Any) -> None:
    complaint = register(iptv["agent"], customer=_customer("zh-hans"))
    article = published(iptv["specialist"])
    answer = complaint_answer_from_article(actor=iptv["agent"], number=complaint.number, article_id=article.pk,
                                           responsibility="no_fault")
    assert answer.language == "zh-hans"
    assert answer.body == rules.article_reply(iptv.policy, responsibility="no_fault", article_text=ZH_BODY,
                                              language="zh-hans", number=complaint.number)
    assert "。。" not in answer.body
    assert Message.objects.get(kind="article_answer").language == "zh-hans"


def test_an_answer_without_a_no_fault_responsibility_sends_the_article_and_keeps_the_complaint_open(
        iptv: Any) -> None:
    complaint = register(iptv["agent"])
    article = published(iptv["specialist"])
    for responsibility in ("", "company"):
        answer = complaint_answer_from_article(actor=iptv["agent"], number=complaint.number, article_id=article.pk,
                                               responsibility=responsibility)
        assert answer.body == EN_BODY and not answer.closed
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REGISTERED
    assert Message.objects.filter(kind="article_answer").count() == 2


def test_where_the_policy_does_not_answer_from_the_knowledge_base_nothing_closes(org: Any) -> None:
    variant = install_variant("iptv", "kb-off", ("    answer_from_knowledge_base: true\n", ""))
    complaint = register(variant["agent"])
    article = published(variant["specialist"])
    answer = complaint_answer_from_article(actor=variant["agent"], number=complaint.number, article_id=article.pk,
                                           responsibility="no_fault")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REGISTERED and not answer.closed and answer.body == EN_BODY


def test_a_no_fault_close_without_an_answer_is_refused(iptv: Any) -> None:
    complaint = bring_to(iptv, register(iptv["agent"]), "in_progress")
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as caught:
        act(iptv["specialist"], complaint, "close", reason="no_fault")
    assert [p.field for p in caught.value.problems] == ["reason"]
    assert state_of(complaint) == before


def test_the_answer_is_refused_field_by_field_and_leaves_nothing(iptv: Any) -> None:
    complaint = register(iptv["agent"])
    draft = article_create(actor=iptv["specialist"], data=article_in(status="draft"))
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as caught:
        complaint_answer_from_article(actor=iptv["agent"], number=complaint.number, article_id=draft.pk,
                                      responsibility="nobody")
    assert {p.field for p in caught.value.problems} == {"article", "responsibility"}
    assert state_of(complaint) == before
    assert not Message.objects.filter(kind="article_answer").exists() and not ArticleAnswer.objects.exists()


def test_only_the_owner_or_a_supervisor_answers_and_a_finished_complaint_is_not_answered(iptv: Any) -> None:
    complaint = register(iptv["agent"])
    article = published(iptv["specialist"])
    with pytest.raises(PermissionDenied):
        complaint_answer_from_article(actor=iptv["quality"], number=complaint.number, article_id=article.pk)
    complaint_answer_from_article(actor=iptv["supervisor"], number=complaint.number, article_id=article.pk,
                                  responsibility="no_fault")
    with pytest.raises(InvalidTransition):
        complaint_answer_from_article(actor=iptv["supervisor"], number=complaint.number, article_id=article.pk)
    assert ArticleAnswer.objects.count() == 1
