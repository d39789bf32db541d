"""A complaint's transfer: who sent it, under which reference, and by when they want the answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Transfer(models.Model):
    class Source(models.TextChoices):
        REGULATOR = "regulator", _("Regulator")
        DEPARTMENT = "department", _("Another department")

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE, related_name="transfer",
                                     verbose_name=_("complaint"))
    source = models.CharField(_("transferred by"), max_length=12, choices=Source.choices)
    body = models.CharField(_("transferring body"), max_length=160)
    reference = models.CharField(_("transfer reference"), max_length=120, blank=True)
    received_at = models.DateTimeField(_("transfer received"))
    deadline = models.DateTimeField(_("their deadline"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [models.Index(fields=["reference"], name="transfer_reference")]

    def __str__(self) -> str:
        return f"{self.body} {self.reference}".strip()
