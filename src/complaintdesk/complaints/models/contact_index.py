"""The keyed blind index of complaints' and customers' contact data (see complaints/contact_index.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models.complaint import Complaint, Customer


class ContactDigest(models.Model):
    """HMAC of one normalised phone, e-mail, IMEI or social-media account of a complaint.

    The key is outside the database; searching compares digests, so only an exact value finds the
    complaint and a prefix or a substring of a number never does."""

    # no index of its own: the unique constraint's index begins with it
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contact_digests",
                                  verbose_name=_("complaint"), db_index=False)
    digest = models.CharField(max_length=64, verbose_name=_("digest"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "digest"], name="contact_digest_unique")]
        indexes = [models.Index(fields=["digest"], name="contact_digest")]
        verbose_name = _("contact digest")
        verbose_name_plural = _("contact digests")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.digest[:8]}"


class CustomerDigest(models.Model):
    """HMAC of one normalised phone, e-mail or IMEI of a customer: how a registration finds the
    customer it belongs to (complaints/services/customers.py), by exact value only."""

    # no index of its own: the unique constraint's index begins with it
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="digests",
                                 db_index=False)
    digest = models.CharField(verbose_name=_("digest"), max_length=64)

    class Meta:
        verbose_name = _("customer index entry")
        verbose_name_plural = _("customer index entries")
        constraints = [models.UniqueConstraint(fields=["customer", "digest"], name="customer_digest_unique")]
        indexes = [models.Index(fields=["digest"], name="customer_digest")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.digest[:8]}"
