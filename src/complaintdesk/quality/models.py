"""Batch quality alert groups: complaints about one product model and category that passed the
policy's ``batch_alerts`` threshold, and what the quality department decided about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaintdesk.complaints.models import Complaint


class AlertGroup(models.Model):
    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("alert group", "Open")
        CLOSED = "closed", pgettext_lazy("alert group", "Closed")

    product_model = models.CharField(_("product model"), max_length=80)
    category = models.CharField(_("category"), max_length=64)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    threshold = models.PositiveIntegerField(_("threshold"))
    within_days = models.PositiveIntegerField(_("window in days"))
    complaints: models.ManyToManyField[Complaint, AlertMember] = models.ManyToManyField(
        Complaint, related_name="alert_groups", through="AlertMember", verbose_name=_("complaints"))
    opened_at = models.DateTimeField(_("opened at"))
    corrective_action = models.TextField(_("corrective action"), blank=True)
    corrective_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("corrective action by"))
    corrective_at = models.DateTimeField(null=True, blank=True, verbose_name=_("corrective action at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("closed by"))
    closing_note = models.TextField(blank=True, verbose_name=_("closing note"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))

    class Meta:
        ordering = ("-opened_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("product_model", "category"), condition=Q(state="open"),
                                    name="quality_one_open_group_per_model_category"),
        ]
        verbose_name = _("batch alert group")
        verbose_name_plural = _("batch alert groups")

    def __str__(self) -> str:
        return f"Q{self.pk}"


class AlertMember(models.Model):
    group = models.ForeignKey(AlertGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group"))
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+", verbose_name=_("complaint"))
    joined_at = models.DateTimeField(verbose_name=_("joined at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=("group", "complaint"), name="quality_member_once")]
        verbose_name = _("alert group member")
        verbose_name_plural = _("alert group members")

    def __str__(self) -> str:
        return f"Q{self.group_id}:{self.complaint_id}"


class Containment(models.Model):
    """One containment decision (isolate stock, stop shipment, recall)."""

    class Kind(models.TextChoices):
        ISOLATE_STOCK = "isolate_stock", _("Isolate stock")
        STOP_SHIPMENT = "stop_shipment", _("Stop shipment")
        RECALL = "recall", _("Recall")

    group = models.ForeignKey(AlertGroup, on_delete=models.CASCADE, related_name="containments",
                              verbose_name=_("group"))
    kind = models.CharField(_("containment"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(verbose_name=_("decided at"))

    class Meta:
        ordering = ("decided_at", "id")
        verbose_name = _("containment decision")
        verbose_name_plural = _("containment decisions")

    def __str__(self) -> str:
        return f"Q{self.group_id}:{self.kind}"
