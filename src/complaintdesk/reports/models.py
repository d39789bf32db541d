"""Scheduled reports: one run per report of the policy and period (generated once, under a unique
constraint), and one delivery per recipient (sent at most once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.units.models import Unit, root_unit_id


class ReportRun(models.Model):
    """A periodic report of the policy (``reports:``) generated for one period."""

    code = models.CharField(_("report"), max_length=48)
    policy_id = models.CharField(max_length=48, verbose_name=_("policy"))
    # head office: the whole tree; a unit with its own policy: that unit's figures, to its people
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", default=root_unit_id,
                             verbose_name=_("unit"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    due = models.DateField(_("due"))
    generated_at = models.DateTimeField(_("generated at"))
    workbook = models.BinaryField(verbose_name=_("workbook"))
    summary = models.JSONField(default=dict, blank=True, verbose_name=_("summary"))

    class Meta:
        ordering = ["-period_start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["policy_id", "code", "period_start", "unit"],
                                    name="report_run_once_per_unit"),
        ]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")

    def __str__(self) -> str:
        return f"{self.code} {self.period_start}–{self.period_end}"


class ReportDelivery(models.Model):
    """The report mailed to one recipient. ``sending`` is claimed under a row lock before the mail
    goes out, so two workers never send it twice; a failure is recorded and retried."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="deliveries",
                            verbose_name=_("report run"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("user"))
    email = models.EmailField(_("e-mail"))
    language = models.CharField(max_length=8, default="zh-hans", verbose_name=_("language"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    error = models.TextField(blank=True, verbose_name=_("error"))

    class Meta:
        ordering = ["run_id", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "email"], name="report_delivery_once")]
        indexes = [models.Index(fields=["state"], name="report_delivery_state")]
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")

    def __str__(self) -> str:
        return f"{self.run} → {self.email} ({self.state})"
