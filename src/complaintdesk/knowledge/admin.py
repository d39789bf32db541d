"""The knowledge base in the admin: articles with their versions (read-only history); the answers
sent are shown, never edited (they are on the complaints' timelines and in the audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from complaintdesk.knowledge.models import Article, ArticleAnswer, ArticleVersion


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
    list_display = ("id", "title_zh", "title_en", "category", "status", "version", "updated_at")
    list_filter = ("status", "category")
    search_fields = ("title_zh", "title_en", "search_text")
    readonly_fields = ("version", "author", "created_at", "updated_by", "updated_at")
    inlines = (ArticleVersionInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # articles are written on the knowledge-base page or the API, where each save is a version
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ArticleAnswer)
class ArticleAnswerAdmin(admin.ModelAdmin[ArticleAnswer]):
    list_display = ("complaint", "article", "article_version", "responsibility", "closed", "sent_by", "sent_at")
    list_filter = ("closed",)
    readonly_fields = ("complaint", "article", "article_version", "responsibility", "closed", "language", "body",
                       "message", "sent_by", "sent_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
