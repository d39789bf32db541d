"""Records kept for safety: the answers to POST requests sent with an ``Idempotency-Key``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first answer to a POST with a given key, from a given caller, kept for 24 hours."""

    caller = models.CharField(max_length=64,
                              verbose_name=_("caller"))  # SHA-256 of the bearer token, or "user:<id>" for a session
    key = models.CharField(max_length=255, verbose_name=_("key"))
    fingerprint = models.CharField(max_length=64, verbose_name=_("fingerprint"))  # SHA-256 of method, path and body
    status = models.PositiveSmallIntegerField(verbose_name=_("status"))
    content_type = models.CharField(max_length=120, blank=True, verbose_name=_("content type"))
    headers = models.JSONField(default=dict, blank=True, verbose_name=_("headers"))
    body = models.BinaryField(blank=True, verbose_name=_("body"))
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="idempotency_caller_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")

    def __str__(self) -> str:
        return f"{self.key} → {self.status}"
