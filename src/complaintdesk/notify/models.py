"""Outbound messages to customers and staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.fields import EncryptedTextField


class Message(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")
        INTERNAL = "internal", _("Internal notice")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        RETRYING = "retrying", _("retrying")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        # handed to a transport that cannot recognise a repeat by a worker that died before it recorded
        # the answer: perhaps delivered, perhaps not; never sent again without a person deciding
        UNCERTAIN = "uncertain", _("uncertain")

    kind = models.CharField(_("kind"), max_length=48)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.CASCADE, related_name="messages",
            verbose_name=_("complaint")
    )
    recipient = EncryptedTextField(_("recipient"))  # a phone or an e-mail address: encrypted at rest
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
            verbose_name=_("recipient (user)")
    )
    language = models.CharField(max_length=8, default="zh-hans", verbose_name=_("language"))
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    # a staff notice's parameters; its subject and body are rendered from them in the reader's
    # language (notify.notices). Null for customer messages and for notices stored as text.
    params = models.JSONField(null=True, blank=True, verbose_name=_("parameters"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    transport = models.CharField(max_length=16, blank=True, verbose_name=_("transport"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    error = models.TextField(blank=True, verbose_name=_("error"))  # the raw detail, for logs and administrators
    # why the last attempt failed, as a code and its parameters (notify.failures renders it for people)
    failure = models.JSONField(default=dict, blank=True, verbose_name=_("failure"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    # retries: when the next attempt is due (after a failed one) and when a worker claimed the send
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed at"))
    # the attempt under way (a fresh id per claim) and when it was handed to the transport: committed
    # before the transport call, so that a retry knows the message may have left (notify.services)
    attempt_id = models.CharField(max_length=32, blank=True, verbose_name=_("attempt"))
    in_flight_at = models.DateTimeField(null=True, blank=True, verbose_name=_("handed to the transport at"))

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="message_status_created"),
            models.Index(fields=["recipient_user", "read_at"], name="message_inbox"),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.status})"


class NoticePreference(models.Model):
    """How one user receives one group of notices (notify.preferences.GROUPS): on the notices page
    (the default, stored by having no row), also by e-mail, or not at all."""

    class Choice(models.TextChoices):
        PAGE = "page", _("on the notices page")
        EMAIL = "email", _("also by e-mail")
        OFF = "off", _("off")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences",
                             verbose_name=_("user"))
    group = models.CharField(_("group of notices"), max_length=32)
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices, default=Choice.PAGE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="notice_preference_once")]
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.group} → {self.choice}"
