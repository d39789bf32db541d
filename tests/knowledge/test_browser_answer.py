"""In a real browser, in both languages: an agent finds an article in the knowledge base by a
Chinese substring, then answers a no-fault complaint from it on the complaint page; the complaint is
closed as the IPTV policy says, the customer gets the policy's no-fault reply in their language."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"closed": "Closed", "no_fault": "No-fault complaint", "title": "When the set-top box stutters"},
    "zh-hans": {"closed": "已结案", "no_fault": "无责投诉（无需处理）", "title": "机顶盒卡顿的处理"},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_no_fault_complaint_is_answered_from_an_article_and_closed(page_for: Any, language: str) -> None:
    from kbkit import EN_BODY, ZH_BODY, published
    from workkit import register

    from complaintdesk.complaints.models import Complaint
    from complaintdesk.notify.models import Message
    from orgkit import install_org

    iptv = install_org("iptv")
    article = published(iptv["specialist"])
    customer = {"title": "ms", "first_name": "Emily", "last_name": "Carter", "phone": "13812345678",
                "email": "emily@example.com", "address": "Shanghai", "language": language}
    complaint = register(iptv["agent"], customer=customer)
    text = TEXT[language]

    page = page_for("agent", language)
    page.click("[data-testid=nav-knowledge]")
    page.fill("[data-testid=knowledge-q]", "卡顿")
    page.click("[data-testid=knowledge-search-submit]")
    page.wait_for_url("**q=*")  # the search is a new page: read its results, not the old page's
    page.locator("[data-testid=knowledge-article]").first.wait_for()
    assert page.locator("[data-testid=knowledge-article]").all_inner_texts() == [text["title"]]

    page.goto(f"{page.base_url}/complaints/{complaint.number}/")
    page.fill("[data-testid=kb-find]", "重启")
    page.click("[data-testid=kb-find-submit]")
    page.select_option("[data-testid=kb-article]", str(article.pk))
    option = page.locator("[data-testid=kb-responsibility] option[value=no_fault]").inner_text()
    assert text["no_fault"] in option
    page.select_option("[data-testid=kb-responsibility]", "no_fault")
    page.click("[data-testid=kb-send]")
    page.wait_for_selector(".alert-success")
    assert page.locator("[data-testid=status]").inner_text().strip() == text["closed"]
    closed = page.locator("[data-testid=timeline] li[data-kind=status_close]").inner_text()
    assert text["closed"] in closed and text["no_fault"] in closed
    answered = page.locator("[data-testid=timeline] li[data-kind=knowledge_answered]").inner_text()
    assert text["title"] in answered
    assert page.locator("[data-testid=kb-answer-form]").count() == 0

    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.CLOSED
    message = Message.objects.get(complaint=complaint, kind="article_answer")
    assert message.language == language
    assert (ZH_BODY if language == "zh-hans" else EN_BODY) in message.body
