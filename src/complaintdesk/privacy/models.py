"""Legal holds, erasures done and retention runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalHold(models.Model):
    """While a hold is in force on a complaint, neither a privacy request nor retention erases its
    customer's data (a lawsuit, a regulator's inquiry)."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="legal_holds",
                                  verbose_name=_("complaint"))
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("placed by"))
    placed_at = models.DateTimeField(_("placed at"))
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("released by"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.TextField(_("reason for the release"), blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"hold {self.pk} on {self.complaint_id}"


class Erasure(models.Model):
    """One complaint whose customer's personal data was erased, by a request or by retention."""

    class Cause(models.TextChoices):
        REQUEST = "request", _("Customer's request")
        RETENTION = "retention", _("Retention period over")

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE, related_name="erasure",
                                     verbose_name=_("complaint"))
    cause = models.CharField(_("cause"), max_length=12, choices=Cause.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+", verbose_name=_("erased by"))
    at = models.DateTimeField(_("erased at"))
    counts = models.JSONField(_("what was erased"), default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"erasure of {self.complaint_id}"


class RetentionRun(models.Model):
    """What retention would erase, reported first (dry run), executed after the grace period if
    still due and not held."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed (dry run)")
        EXECUTED = "executed", _("Executed")
        SUPERSEDED = "superseded", _("Superseded")

    created_at = models.DateTimeField(_("reported at"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PROPOSED)
    items = models.JSONField(_("complaints due"), default=list)  # [{"complaint", "number", "rule", "due"}]
    due = models.PositiveIntegerField(_("complaints due"), default=0)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    erased = models.PositiveIntegerField(_("complaints erased"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"retention {self.created_at:%Y-%m-%d} ({self.state}, {len(self.items)})"
