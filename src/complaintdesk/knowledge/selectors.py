"""Reads of the knowledge base, scoped by capability: readers see published articles, editors see
drafts too. Search is a substring search over both languages, as for complaints."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import can
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import NotFound, PermissionDenied
from complaintdesk.knowledge.models import Article, ArticleAnswer
from complaintdesk.policy.rules import normalise_text


def may_read(user: Any) -> bool:
    return can(user, "knowledge.read")


def may_edit(user: Any) -> bool:
    return can(user, "knowledge.edit")


def article_list(user: Any, *, query: str = "", category: str = "", status: str = "") -> QuerySet[Article]:
    """The articles the user may read, newest edit first; ``query`` is found anywhere in either
    language's title, text or tags (case and full-width letters ignored, like the complaint search)."""
    if not may_read(user):
        raise PermissionDenied(_("You may not read the knowledge base."))
    qs = Article.objects.select_related("author", "updated_by")
    if not may_edit(user):
        qs = qs.filter(status=Article.Status.PUBLISHED)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category__in=[category, ""])
    if query.strip():
        qs = qs.filter(search_text__contains=normalise_text(query.strip()))
    return qs.order_by("-updated_at", "-pk")


def article_get(user: Any, article_id: int) -> Article:
    """One article the user may read (a draft only for editors); 404 otherwise."""
    article = article_list(user).filter(pk=article_id).first()
    if article is None:
        raise NotFound(_("There is no article %(id)s.") % {"id": article_id})
    return article


def answers_of(complaint: Complaint) -> list[ArticleAnswer]:
    """The articles sent to this complaint's customer, oldest first."""
    return list(ArticleAnswer.objects.filter(complaint=complaint).select_related("article", "sent_by")
                .order_by("sent_at", "pk"))
