"""The knowledge base: bilingual articles staff search and send to customers, every edit kept as a
version, and each answer sent from an article to a complaint's customer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    category = models.CharField(_("complaint category"), max_length=48, blank=True)  # a policy category code
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("written by"))
    created_at = models.DateTimeField(_("written at"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("last edited by"))
    updated_at = models.DateTimeField(_("last edited at"))
    # both languages' title, text and tags, normalised (rules.normalise_text) for substring search
    search_text = models.TextField(verbose_name=_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("knowledge-base article")
        verbose_name_plural = _("knowledge-base articles")
        indexes = [models.Index(fields=["status", "category"], name="article_status_category")]

    def __str__(self) -> str:
        return self.title_zh or self.title_en

    def title(self, language: str) -> str:
        chinese = language.lower().startswith("zh")
        return (self.title_zh if chinese else self.title_en) or self.title_zh or self.title_en

    def body(self, language: str) -> str:
        """The text in ``language`` only (no fallback: a customer gets their own language)."""
        return self.body_zh if language.lower().startswith("zh") else self.body_en


class ArticleVersion(models.Model):
    """An article as it was after each save: who changed it, when, and the text then."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    category = models.CharField(_("complaint category"), max_length=48, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Article.Status.choices)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("edited by"))
    edited_at = models.DateTimeField(_("edited at"))

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-version"]
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="article_version_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version}"


class ArticleAnswer(models.Model):
    """An article sent to a complaint's customer: the version sent, the responsibility judged (a
    no-fault one closes the complaint, as the policy says) and the message that carried it."""

    complaint = models.ForeignKey("complaints.Complaint", verbose_name=_("complaint"),
                                  on_delete=models.CASCADE, related_name="article_answers")
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="answers")
    article_version = models.PositiveIntegerField(_("article version"))
    responsibility = models.CharField(_("responsibility"), max_length=48, blank=True)
    closed = models.BooleanField(_("closed the complaint"), default=False)
    language = models.CharField(_("language"), max_length=8)
    body = models.TextField(_("text sent"))
    message = models.ForeignKey("notify.Message", verbose_name=_("message"),
                                on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("sent by"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("answer from the knowledge base")
        verbose_name_plural = _("answers from the knowledge base")
        indexes = [models.Index(fields=["complaint", "sent_at"], name="article_answer_complaint")]

    def __str__(self) -> str:
        return f"{self.complaint_id} ← {self.article_id}"
