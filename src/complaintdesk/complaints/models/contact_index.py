"""The keyed blind index of complaints' and customers' contact data (see complaints/contact_index.py)."""

from __future__ import annotations

from django.db import models

from complaintdesk.complaints.models.complaint import Complaint, Customer


class ContactDigest(models.Model):
    """HMAC of one normalised phone, e-mail, IMEI or social-media account of a complaint.

    The key is outside the database; searching compares digests, so only an exact value finds the
    complaint and a prefix or a substring of a number never does."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contact_digests")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "digest"], name="contact_digest_unique")]
        indexes = [models.Index(fields=["digest"], name="contact_digest")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.digest[:8]}"


class CustomerDigest(models.Model):
    """HMAC of one normalised phone, e-mail or IMEI of a customer: how a registration finds the
    customer it belongs to (complaints/services/customers.py), by exact value only."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="digests")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "digest"], name="customer_digest_unique")]
        indexes = [models.Index(fields=["digest"], name="customer_digest")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.digest[:8]}"
