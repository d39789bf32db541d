"""Clocks: each policy deadline of a complaint as a row with its due time in an indexed column.

``next_fire_at`` is the next moment the sweep must look at the clock (its warning time, then its
due time); the sweep reads ``next_fire_at <= now`` from the index, so its cost grows with what is
due, not with what is open. A firing is recorded in :class:`ClockFiring` under a unique constraint,
so a warning or a breach fires at most once even with several workers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Clock(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        STOPPED = "stopped", _("stopped")
        CANCELLED = "cancelled", _("cancelled")

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="clocks",
                                  verbose_name=_("complaint"))
    code = models.CharField(max_length=48, verbose_name=_("deadline"))
    subject = models.CharField(max_length=64, blank=True, help_text="e.g. work_order:12 for per-object clocks",
                               verbose_name=_("subject"))
    cycle = models.PositiveIntegerField(default=1, verbose_name=_("cycle"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING, verbose_name=_("status"))
    started_at = models.DateTimeField(verbose_name=_("started at"))
    due_at = models.DateTimeField(db_index=True, verbose_name=_("due at"))
    warn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("warn at"))
    next_fire_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next firing at"))
    provisional = models.BooleanField(default=False, verbose_name=_("provisional"))
    paused_since = models.DateTimeField(null=True, blank=True, verbose_name=_("paused since"))
    pause_reason = models.CharField(max_length=32, blank=True, verbose_name=_("pause reason"))
    pauses = models.JSONField(default=list, blank=True, verbose_name=_("pauses"))
    extensions = models.JSONField(default=list, blank=True, verbose_name=_("extensions"))
    warned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("warned at"))
    breached_at = models.DateTimeField(null=True, blank=True, verbose_name=_("breached at"))
    stopped_at = models.DateTimeField(null=True, blank=True, verbose_name=_("stopped at"))

    class Meta:
        indexes = [
            models.Index(fields=["next_fire_at"], name="clock_next_fire",
                         condition=models.Q(next_fire_at__isnull=False)),
            # per complaint: "has an overdue running clock" (queues) looks a complaint's clocks up here
            models.Index(fields=["complaint", "status", "due_at"], name="clock_complaint_status_due"),
            models.Index(fields=["status", "due_at"], name="clock_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "code", "subject", "cycle"], name="clock_unique_cycle"),
        ]
        verbose_name = _("deadline clock")
        verbose_name_plural = _("deadline clocks")

    def __str__(self) -> str:
        return f"{self.code}{'/' + self.subject if self.subject else ''} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.RUNNING, self.Status.PAUSED}


class ClockFiring(models.Model):
    class Kind(models.TextChoices):
        WARNING = "warning", _("warning")
        BREACH = "breach", _("breach")

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="firings", verbose_name=_("clock"))
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("kind"))
    at = models.DateTimeField(verbose_name=_("at"))
    worker = models.CharField(max_length=64, blank=True, verbose_name=_("worker"))
    actions = models.JSONField(default=list, blank=True, verbose_name=_("actions"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clock", "kind"], name="clock_fires_once")]
        verbose_name = _("clock firing")
        verbose_name_plural = _("clock firings")

    def __str__(self) -> str:
        return f"{self.clock_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
