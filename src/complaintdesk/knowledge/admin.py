"""The knowledge base in the admin: articles with their versions (read-only history); the answers
sent are shown, never edited (they are on the complaints' timelines and in the audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.display import label_of
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.knowledge.models import Article, ArticleAnswer, ArticleVersion


def _label(items: Any, code: str) -> str:
    """The label of the policy's item ``code`` in the reader's language ("—" for none)."""
    return label_of(items, code) if code else "—"


class CategoryFilter(admin.SimpleListFilter):
    """Articles by complaint category, each named as the policy in force names it."""

    title = _("complaint category")
    parameter_name = "category"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        used = set(Article.objects.exclude(category="").values_list("category", flat=True).distinct())
        categories = active_policy()[1].categories
        return [(code, _label(categories, code)) for code in sorted(used)]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(category=self.value()) if self.value() else queryset


class ArticleVersionInline(admin.TabularInline[ArticleVersion, Article]):
    model = ArticleVersion
    extra = 0
    can_delete = False
    fields = ("version", "status", "title_zh", "title_en", "edited_by", "edited_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    list_display = ("id", "title_zh", "title_en", "category_label", "status", "version", "updated_at")
    list_filter = ("status", CategoryFilter)
    search_fields = ("title_zh", "title_en", "search_text")
    readonly_fields = ("version", "author", "created_at", "updated_by", "updated_at")
    inlines = (ArticleVersionInline,)

    @admin.display(description=_("complaint category"), ordering="category")
    def category_label(self, obj: Article) -> str:
        """The category as the policy in force names it, not its code."""
        return _label(active_policy()[1].categories, obj.category)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # articles are written on the knowledge-base page or the API, where each save is a version
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ArticleAnswer)
class ArticleAnswerAdmin(admin.ModelAdmin[ArticleAnswer]):
    list_display = ("complaint", "article", "article_version", "responsibility_label", "closed", "sent_by",
                    "sent_at")
    list_filter = ("closed",)
    list_select_related = ("complaint__policy_version", "article", "sent_by")
    readonly_fields = ("complaint", "article", "article_version", "responsibility_label", "closed", "language", "body",
                       "message", "sent_by", "sent_at")

    @admin.display(description=_("responsibility"))
    def responsibility_label(self, obj: ArticleAnswer) -> str:
        """The responsibility as the complaint's policy names it, not its code."""
        return _label(policy_of(obj.complaint.policy_version).responsibility, obj.responsibility)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
