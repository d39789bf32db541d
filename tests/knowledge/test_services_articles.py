"""Knowledge-base articles through the services: bilingual, every edit a version, audited, refused
field by field, searched by Chinese substring like complaints, read and written per capability."""

from __future__ import annotations

from typing import Any

import pytest
from kbkit import EN_BODY, article_in, published

from complaintdesk.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.knowledge.models import Article, ArticleVersion
from complaintdesk.knowledge.selectors import article_get, article_list
from complaintdesk.knowledge.services import article_create, article_update

pytestmark = pytest.mark.django_db


def test_an_article_is_written_and_each_edit_is_a_new_version(org: Any) -> None:
    article = published(org["specialist"])
    assert article.version == 1 and article.author == org["specialist"]
    changed = article_update(actor=org["supervisor"], article_id=article.pk, data=article_in(
        body_en=EN_BODY + " Updated.", version=1))
    assert changed.version == 2 and changed.updated_by == org["supervisor"]
    versions = list(ArticleVersion.objects.filter(article=article).order_by("version"))
    assert [(v.version, v.body_en) for v in versions] == [(1, EN_BODY), (2, EN_BODY + " Updated.")]
    events = list(AuditEvent.objects.filter(action__startswith="knowledge.article").order_by("id"))
    assert [e.action for e in events] == ["knowledge.article_created", "knowledge.article_updated"]
    assert events[1].before == {"body_en": EN_BODY} and events[1].after["version"] == 2
    # saving the same text again is no new version
    same = article_update(actor=org["supervisor"], article_id=article.pk, data=article_in(
        body_en=EN_BODY + " Updated."))
    assert same.version == 2 and ArticleVersion.objects.filter(article=article).count() == 2


def test_an_edit_of_a_version_changed_since_is_refused(org: Any) -> None:
    article = published(org["specialist"])
    article_update(actor=org["specialist"], article_id=article.pk, data=article_in(title_en="Stutter", version=1))
    with pytest.raises(StaleVersion):
        article_update(actor=org["supervisor"], article_id=article.pk, data=article_in(title_en="Lag", version=1))
    assert Article.objects.get(pk=article.pk).title_en == "Stutter"


def test_a_published_article_needs_both_languages_and_every_problem_names_its_field(org: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        article_create(actor=org["specialist"], data=article_in(title_en="", body_en="", category="no_such",
                                                                status="published", tags=["x" * 41]))
    assert {p.field for p in caught.value.problems} == {"title_en", "body_en", "category", "tags"}
    with pytest.raises(ValidationFailed) as caught:
        article_create(actor=org["specialist"], data=article_in(status="archived"))
    assert [p.field for p in caught.value.problems] == ["status"]
    assert not Article.objects.exists() and not AuditEvent.objects.filter(action__startswith="knowledge").exists()
    draft = article_create(actor=org["specialist"], data=article_in(title_en="", body_en="", status="draft"))
    assert draft.status == "draft"


def test_search_finds_chinese_substrings_and_either_language_like_the_complaint_search(org: Any) -> None:
    wanted = published(org["specialist"])
    published(org["specialist"], title_zh="退款时间", title_en="Refund times", body_zh="退款在七个工作日内到账。",
              body_en="Refunds arrive within seven working days.", tags=["退款"])
    reader = org["agent"]

    def found(query: str) -> list[int]:
        return [a.pk for a in article_list(reader, query=query)]

    assert found("重启") == [wanted.pk]  # two characters inside a Chinese sentence
    assert found("SET-TOP") == [wanted.pk]  # case ignored
    assert found("ＲＥＳＴＡＲＴ") == [wanted.pk]  # full-width letters, as typed on a Chinese keyboard
    assert found("到账") != [wanted.pk] and len(found("到账")) == 1
    assert found("不存在的词") == []


def test_readers_see_published_articles_and_only_editors_write_or_see_drafts(org: Any) -> None:
    shown = published(org["specialist"])
    draft = article_create(actor=org["specialist"], data=article_in(status="draft", title_zh="草稿"))
    assert [a.pk for a in article_list(org["agent"])] == [shown.pk]
    assert {a.pk for a in article_list(org["specialist"])} == {shown.pk, draft.pk}
    assert [a.pk for a in article_list(org["specialist"], status="draft")] == [draft.pk]
    with pytest.raises(Exception, match="no article"):
        article_get(org["agent"], draft.pk)
    for role in ("agent", "handler", "vp"):
        with pytest.raises(PermissionDenied):
            article_create(actor=org[role], data=article_in())
        with pytest.raises(PermissionDenied):
            article_update(actor=org[role], article_id=shown.pk, data=article_in(title_en="Changed"))
    assert Article.objects.get(pk=shown.pk).version == 1
