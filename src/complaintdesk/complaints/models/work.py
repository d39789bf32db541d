"""Work on a complaint: ownership changes, work orders to departments, daily progress with proof,
and contact attempts with the customer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models.complaint import Complaint


class OwnershipChange(models.Model):
    """First-person responsibility: every change of owner, with who, whom and why."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="ownership_changes")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")
    reason = models.TextField(_("reason"))
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.from_user_id} → {self.to_user_id}"


class WorkOrder(models.Model):
    """A request to a department (service centre, dealer, NOC…) with its own deadline."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint work order")
        INFORMATION = "information", _("Request for information")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        FOLLOWED_UP = "followed_up", _("Followed up")
        CANCELLED = "cancelled", _("Cancelled")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="work_orders")
    number = models.CharField(_("number"), max_length=56, unique=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="work_orders",
                                   verbose_name=_("department"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPLAINT)
    urgent = models.BooleanField(_("urgent"), default=False)
    request = models.TextField(_("what is asked"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(_("due"))
    due_provisional = models.BooleanField(default=False)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.TextField(_("owner's follow-up"), blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["department", "status", "due_at"], name="workorder_inbox")]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")

    def __str__(self) -> str:
        return self.number


class ProgressEntry(models.Model):
    """A dated handling entry: what was verified, what was done, the next step — or the reason why
    nothing could be recorded that day."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="progress")
    day = models.DateField(_("day"))
    verified = models.TextField(_("verification of the recorded description"), blank=True)
    description_true = models.BooleanField(_("the recorded description is true"), null=True)
    done = models.TextField(_("what was done"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    no_update_reason = models.TextField(_("reason for no update"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["day", "created_at", "id"]
        indexes = [models.Index(fields=["complaint", "day"], name="progress_complaint_day")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.day}"


class Attachment(models.Model):
    """Proof attached to a progress entry or a work-order reply; stored outside static files."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    progress = models.ForeignKey(ProgressEntry, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="attachments")
    work_order = models.ForeignKey(WorkOrder, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class ContactAttempt(models.Model):
    """One attempt to reach the customer (handling or return visit) and its outcome."""

    class Purpose(models.TextChoices):
        HANDLING = "handling", _("Handling")
        RETURN_VISIT = "return_visit", _("Return visit")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("Busy")
        SWITCHED_OFF = "switched_off", _("Switched off")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        REFUSED = "refused", _("Refused to talk")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contact_attempts")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.HANDLING)
    at = models.DateTimeField(_("time of the attempt"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.at:%Y-%m-%d %H:%M} {self.outcome}"
