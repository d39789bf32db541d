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
        "complaints.Complaint", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    recipient = EncryptedTextField(_("recipient"))  # a phone or an e-mail address: encrypted at rest
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=8, default="zh-hans")
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    # a staff notice's parameters; its subject and body are rendered from them in the reader's
    # language (notify.notices). Null for customer messages and for notices stored as text.
    params = models.JSONField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    transport = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # retries: when the next attempt is due (after a failed one) and when a worker claimed the send
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # the attempt under way (a fresh id per claim) and when it was handed to the transport: committed
    # before the transport call, so that a retry knows the message may have left (notify.services)
    attempt_id = models.CharField(max_length=32, blank=True)
    in_flight_at = models.DateTimeField(null=True, blank=True)

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
