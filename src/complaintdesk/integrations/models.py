"""Webhook endpoints and their deliveries (docs/integrations.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEndpoint(models.Model):
    """A receiver an administrator registered, with the events it wants and its signing secret."""

    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(max_length=80, verbose_name=_("secret"))
    events = models.JSONField(default=list, verbose_name=_("events"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    updated_at = models.DateTimeField(verbose_name=_("updated at"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"


class WebhookDelivery(models.Model):
    """One event for one endpoint: the payload as sent (signed anew per attempt) and every attempt."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RETRYING = "retrying", _("retrying")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("endpoint"))
    event = models.CharField(max_length=48, verbose_name=_("event"))
    payload = models.JSONField(verbose_name=_("payload"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    log = models.JSONField(default=list, verbose_name=_("log"))  # [{"at", "status", "error", "ms"}] per attempt
    created_at = models.DateTimeField(verbose_name=_("created at"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["endpoint", "-id"], name="webhook_delivery_endpoint")]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"


class InboundMail(models.Model):
    """Every mail the complaint address received and what became of it. The Message-ID (or the
    digest of the mail without one) is unique, so a mail delivered twice is acted on once."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("new complaint")
        REPLY = "reply", _("reply on a complaint")
        AUTO_REPLY = "auto_reply", _("automatic reply, ignored")
        BOUNCE = "bounce", _("bounce, ignored")
        REFUSED = "refused", _("refused")

    key = models.CharField(max_length=255, unique=True, verbose_name=_("key"))
    sender = models.CharField(max_length=255, blank=True, verbose_name=_("sender"))
    subject = models.CharField(max_length=255, blank=True, verbose_name=_("subject"))
    received_at = models.DateTimeField(verbose_name=_("received at"))
    outcome = models.CharField(max_length=12, choices=Outcome.choices, verbose_name=_("outcome"))
    complaint = models.ForeignKey("complaints.Complaint", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("complaint"))
    problems = models.JSONField(default=list, verbose_name=_("problems"))  # [{"field", "message"}] when refused
    attachments = models.JSONField(default=list, verbose_name=_("attachments"))  # [{"name", "kept", "reason"}]
    size = models.PositiveIntegerField(default=0, verbose_name=_("size"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("inbound mail")
        verbose_name_plural = _("inbound mail")

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject} ({self.outcome})"


class ImportJob(models.Model):
    """A register uploaded on the import page, imported by the worker while the page shows its
    progress (integrations/import_jobs.py). The uploaded file is kept under ``<var>/imports/`` until
    the import ends and then deleted; the report of refused rows stays, served only to the
    administrator who uploaded the file."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being imported")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("uploaded by"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("owner of the imported complaints"))
    file_name = models.CharField(_("file"), max_length=200)  # as uploaded
    upload = models.CharField(_("stored upload"), max_length=80, blank=True)  # under <var>/imports/, until the end
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    dry_run = models.BooleanField(_("check only"), default=False)
    # import the file even though the same file was imported before (integrations/import_once.py)
    again = models.BooleanField(_("import again"), default=False)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("rows in the file"), default=0)  # 0: a workbook that does not say
    done = models.PositiveIntegerField(_("rows checked"), default=0)
    imported = models.PositiveIntegerField(_("rows imported"), default=0)
    refused = models.PositiveIntegerField(_("rows refused"), default=0)
    first_number = models.CharField(_("first number"), max_length=64, blank=True)
    last_number = models.CharField(_("last number"), max_length=64, blank=True)
    last_row = models.PositiveIntegerField(_("last row written"), default=0)  # the file's row number
    report = models.CharField(_("report of refused rows"), max_length=80, blank=True)  # under <var>/imports/
    # the report is deleted COMPLAINTDESK_IMPORT_REPORT_DAYS after the import (it holds personal data)
    report_deleted_at = models.DateTimeField(_("report deleted at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state} {self.done}/{self.total})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def rate(self) -> float:
        return (self.imported + self.refused) / self.seconds if self.seconds else 0.0


class ImportedFile(models.Model):
    """A register whose rows were imported, by the command or the page, known by the SHA-256 of its
    content, so that importing the same file a second time (every complaint registered twice) is
    refused unless asked for (integrations/import_once.py). Written in the import's first batch and
    brought up to date in each batch's transaction: an import that stopped half-way is known too."""

    digest = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    file_name = models.CharField(_("file"), max_length=200)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("imported by"))
    started_at = models.DateTimeField(_("imported at"))
    imported = models.PositiveIntegerField(_("rows imported"), default=0)
    first_number = models.CharField(_("first number"), max_length=64, blank=True)
    last_number = models.CharField(_("last number"), max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported})"
