"""The knowledge base in the admin names categories and responsibilities as the policy does, in the
administrator's language, not by their codes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from kbkit import published
from workkit import register

from complaintdesk.knowledge.services import complaint_answer_from_article
from orgkit import install_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "category", "responsibility"),
                         [("zh-hans", "{zh}", "无责投诉（无需处理）"), ("en", "{en}", "No-fault complaint")])
def test_the_admin_lists_labels_not_codes(org: Any, language: str, category: str, responsibility: str) -> None:
    iptv = install_org("iptv")
    first = iptv.policy.categories[0]
    article = published(iptv["specialist"], category=first.code)
    complaint = register(iptv["agent"])
    complaint_answer_from_article(actor=iptv["agent"], number=complaint.number, article_id=article.pk,
                                  responsibility="no_fault")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    iptv["admin"].language = language
    iptv["admin"].save(update_fields=["language"])
    client.force_login(iptv["admin"])
    label = category.format(zh=first.label.zh, en=first.label.en)
    articles = client.get("/admin/knowledge/article/")
    assert articles.status_code == 200
    assert f">{label}<" in articles.content.decode()
    assert f">{first.code}<" not in articles.content.decode()
    filtered = client.get(f"/admin/knowledge/article/?category={first.code}").content.decode()
    assert article.title_zh in filtered and f'href="?category={first.code}"' in filtered
    assert article.title_zh not in client.get("/admin/knowledge/article/?category=none").content.decode()
    answers = client.get("/admin/knowledge/articleanswer/").content.decode()
    assert f">{responsibility}<" in answers and ">no_fault<" not in answers
