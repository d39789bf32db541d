"""Writes of the knowledge base: writing and editing articles (each save a new version) and
answering a complaint from an article, which closes a no-fault complaint as the policy says
(``responsibility.answer_from_knowledge_base`` with ``messages.no_fault_reply``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.lifecycle import (
    Transition,
    lock_complaint,
    require_owner_or_supervisor,
    transition,
)
from complaintdesk.complaints.services.replies import message_values, reply_send
from complaintdesk.core.errors import InvalidTransition, NotFound, PermissionDenied, Problems, StaleVersion
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.knowledge.inputs import ArticleInput
from complaintdesk.knowledge.models import Article, ArticleAnswer, ArticleVersion
from complaintdesk.knowledge.selectors import may_edit, may_read
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy

TITLE_MAX = 200
TAGS_MAX = 12
TAG_MAX = 40
TEXT_FIELDS = ("title_zh", "title_en", "body_zh", "body_en")
VERSIONED = (*TEXT_FIELDS, "category", "tags", "status")


def _clean(data: ArticleInput, problems: Problems) -> dict[str, Any]:
    """The article's fields from the request, every problem named by its field."""
    values: dict[str, Any] = {name: str(getattr(data, name) or "").strip() for name in TEXT_FIELDS}
    for name in ("title_zh", "title_en"):
        if len(values[name]) > TITLE_MAX:
            problems.add(name, _("Keep the title within %(max)d characters.") % {"max": TITLE_MAX})
    status = (data.status or "").strip() or Article.Status.DRAFT
    if status not in Article.Status.values:
        problems.add("status", _("Choose the status: draft or published."))
    values["status"] = status
    if status == Article.Status.PUBLISHED:
        for name, message in (("title_zh", _("A published article needs its title in Chinese.")),
                              ("title_en", _("A published article needs its title in English.")),
                              ("body_zh", _("A published article needs its text in Chinese.")),
                              ("body_en", _("A published article needs its text in English."))):
            if not values[name]:
                problems.add(name, message)
    elif not values["title_zh"] and not values["title_en"]:
        problems.add("title_zh", _("Give the article a title."))
    category = (data.category or "").strip()
    if category:
        _version, policy = active_policy()
        codes = [item.code for item in policy.categories]
        if category not in codes:
            problems.add("category", _("Choose a category of the policy or none."))
    values["category"] = category
    tags: list[str] = []
    for tag in data.tags or []:
        text = str(tag).strip()
        if text and text not in tags:
            tags.append(text)
    if len(tags) > TAGS_MAX or any(len(tag) > TAG_MAX for tag in tags):
        problems.add("tags", _("Give at most %(count)d tags of at most %(max)d characters each.")
                     % {"count": TAGS_MAX, "max": TAG_MAX})
    values["tags"] = tags
    return values


def _search_text(values: dict[str, Any]) -> str:
    return rules.normalise_text("\n".join([*(values[name] for name in TEXT_FIELDS), *values["tags"]]))


def _keep_version(article: Article, actor: Any, now: datetime) -> None:
    ArticleVersion.objects.create(article=article, version=article.version, edited_by=actor, edited_at=now,
                                  **{name: getattr(article, name) for name in VERSIONED})


@transaction.atomic
def article_create(*, actor: Any, data: ArticleInput, now: datetime | None = None) -> Article:
    """Write a new article (version 1), as a draft or published."""
    if not may_edit(actor):
        raise PermissionDenied(_("You may not edit the knowledge base."))
    now = now or timezone.now()
    problems = Problems()
    values = _clean(data, problems)
    problems.raise_if_any()
    article = Article.objects.create(author=actor, created_at=now, updated_by=actor, updated_at=now,
                                     search_text=_search_text(values), **values)
    _keep_version(article, actor, now)
    record(actor=actor, action="knowledge.article_created", obj=article, after={**values, "version": 1}, at=now)
    return article


@transaction.atomic
def article_update(*, actor: Any, article_id: int, data: ArticleInput, now: datetime | None = None) -> Article:
    """Edit an article: the changed fields become a new version (the old text is kept). ``data.version``
    is the version the editor saw; an article changed since is refused (409)."""
    if not may_edit(actor):
        raise PermissionDenied(_("You may not edit the knowledge base."))
    now = now or timezone.now()
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None:
        raise NotFound(_("There is no article %(id)s.") % {"id": article_id})
    if data.version is not None and data.version != article.version:
        raise StaleVersion(_("The article was changed by someone else (now version %(version)d); reload it.")
                           % {"version": article.version})
    problems = Problems()
    values = _clean(data, problems)
    problems.raise_if_any()
    changed = {name: value for name, value in values.items() if getattr(article, name) != value}
    if not changed:
        return article
    before = {name: getattr(article, name) for name in changed}
    for name, value in changed.items():
        setattr(article, name, value)
    article.version += 1
    article.updated_by = actor
    article.updated_at = now
    article.search_text = _search_text(values)
    article.save()
    _keep_version(article, actor, now)
    record(actor=actor, action="knowledge.article_updated", obj=article, before=before,
           after={**changed, "version": article.version}, at=now)
    return article


def _answerable(policy: Policy, complaint: Complaint, article_id: int, responsibility: str) -> Article:
    """The published article to send, or every problem of the request at once."""
    article = Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED).first()
    problems = Problems()
    if article is None:
        problems.add("article", _("Choose a published article of the knowledge base."))
    elif not article.body(complaint.language):
        problems.add("article", _("The article has no text in the customer's language; add it first."))
    if responsibility and rules.responsibility_of(policy, responsibility) is None:
        problems.add("responsibility", _("Choose the responsibility from the policy's list: %(codes)s.")
                     % {"codes": ", ".join(item.label.get(complaint.language) for item in policy.responsibility)
                        or "-"})
    problems.raise_if_any()
    if article is None:  # reported above; this tells the type checker
        raise NotFound(_("Choose a published article of the knowledge base."))
    return article


@transaction.atomic
def complaint_answer_from_article(*, actor: Any, number: str, article_id: int, responsibility: str = "",
                                  now: datetime | None = None) -> ArticleAnswer:
    """Send a published article to the complaint's customer in the customer's language, recorded on
    the timeline. When ``responsibility`` is one the policy answers from the knowledge base (no fault,
    ``rules.answered_and_closed``), the text is the policy's ``messages.no_fault_reply`` with the
    article as ``{result}`` and the complaint is closed with that responsibility as its reason."""
    now = now or timezone.now()
    if not may_read(actor):
        raise PermissionDenied(_("You may not read the knowledge base."))
    complaint = lock_complaint(actor, number)
    require_owner_or_supervisor(actor, complaint)
    if not complaint.is_open:
        raise InvalidTransition(_("The complaint is finished; it is not answered any more."))
    policy = policy_of(complaint.policy_version)
    responsibility = responsibility.strip()
    article = _answerable(policy, complaint, article_id, responsibility)
    language = complaint.language
    closes = rules.answered_and_closed(policy, responsibility)
    body = rules.article_reply(policy, responsibility=responsibility, article_text=article.body(language),
                               language=language, **message_values(policy, complaint))
    with translation.override(language):
        subject = gettext("About your complaint %(number)s") % {"number": complaint.number}
    message = reply_send(actor=actor, complaint=complaint, kind="article_answer", body=body, subject=subject)
    answer = ArticleAnswer.objects.create(complaint=complaint, article=article, article_version=article.version,
                                          responsibility=responsibility, closed=closes, language=language,
                                          body=body, message=message, sent_by=actor, sent_at=now)
    channel = message.channel if message is not None else ""
    record(actor=actor, action="knowledge.answered", obj=answer, complaint=complaint,
           after={"article": article.pk, "version": article.version, "responsibility": responsibility,
                  "closes": closes, "channel": channel},
           timeline=on_timeline("knowledge_answered", article=article.pk, version=article.version,
                                title_zh=article.title("zh-hans"), title_en=article.title("en"),
                                responsibility=responsibility, channel=channel, text=body, closes=closes),
           at=now)
    if closes:
        transition(complaint, Transition(action="close", actor=actor, at=now, reason=responsibility, note=body))
    return answer


def guard_close(complaint: Complaint, policy: Policy, change: Transition, problems: Problems) -> None:
    """lifecycle.guard("close"): a complaint is closed for a no-fault responsibility only once it
    was answered from the knowledge base for that responsibility."""
    if change.reason not in rules.knowledge_close_reasons(policy):
        return
    if not ArticleAnswer.objects.filter(complaint=complaint, responsibility=change.reason, closed=True).exists():
        problems.add("reason", _("A no-fault complaint is closed by answering it from a knowledge-base article."))
