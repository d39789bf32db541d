"""Files customers attach, and the one-time codes that open a complaint on the portal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerFile(models.Model):
    """A photo or PDF the customer sent. The file lives under the attachment directory (outside the
    static files and outside any served directory); only the customer holding a code for the
    complaint and staff who may see the complaint download it."""

    class Kind(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        WEBP = "webp", "WebP"
        PDF = "pdf", "PDF"

    class Source(models.TextChoices):
        SUBMISSION = "submission", _("with the complaint")
        TRACKING = "tracking", _("added later by the customer")

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="customer_files",
                                  verbose_name=_("complaint"))
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    path = models.CharField(max_length=255, unique=True, verbose_name=_("path"))
    source = models.CharField(max_length=12, choices=Source.choices, verbose_name=_("source"))
    uploaded_at = models.DateTimeField(verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("customer file")
        verbose_name_plural = _("customer files")

    def __str__(self) -> str:
        return self.name

    @property
    def content_type(self) -> str:
        return {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "pdf": "application/pdf"}[self.kind]


class AccessCode(models.Model):
    """A one-time code sent to the customer's phone (or e-mail) to open one complaint. Only a keyed
    hash of the code is stored; it expires and allows a limited number of attempts."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("complaint"))
    channel = models.CharField(max_length=8, verbose_name=_("channel"))
    code_hash = models.CharField(max_length=64, verbose_name=_("code hash"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("used at"))

    class Meta:
        indexes = [models.Index(fields=["complaint", "created_at"], name="accesscode_complaint_created")]
        verbose_name = _("access code")
        verbose_name_plural = _("access codes")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.channel} until {self.expires_at:%Y-%m-%d %H:%M}"


class RateCount(models.Model):
    """Portal requests counted for one client address (or one phone or e-mail) in one hour window. The
    counts live in the database so that every web worker and every node counts the same requests; the
    key holds the kind, a hash of the value and the window's number, never the address or phone."""

    key = models.CharField(max_length=80, unique=True, verbose_name=_("key"))
    count = models.PositiveIntegerField(default=0, verbose_name=_("count"))
    expires_at = models.DateTimeField(db_index=True, verbose_name=_("expires at"))

    class Meta:
        verbose_name = _("portal request count")
        verbose_name_plural = _("portal request counts")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
