"""Work on a complaint: ownership changes, work orders to departments, daily progress with proof,
and contact attempts with the customer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models.complaint import Complaint


class OwnershipChange(models.Model):
    """First-person responsibility: every change of owner, with who, whom and why."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="ownership_changes",
                                  verbose_name=_("complaint"))
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("previous owner"))
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("new owner"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(verbose_name=_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ownership change")
        verbose_name_plural = _("ownership changes")

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

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="work_orders",
                                  verbose_name=_("complaint"))
    number = models.CharField(_("number"), max_length=56, unique=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="work_orders",
                                   verbose_name=_("department"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPLAINT)
    urgent = models.BooleanField(_("urgent"), default=False)
    request = models.TextField(_("what is asked"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    due_at = models.DateTimeField(_("due"))
    due_provisional = models.BooleanField(default=False, verbose_name=_("due time provisional"))
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("replied by"))
    replied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("replied at"))
    follow_up = models.TextField(_("owner's follow-up"), blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True, verbose_name=_("followed up at"))

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

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="progress",
                                  verbose_name=_("complaint"))
    day = models.DateField(_("day"))
    verified = models.TextField(_("verification of the recorded description"), blank=True)
    description_true = models.BooleanField(_("the recorded description is true"), null=True)
    done = models.TextField(_("what was done"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    no_update_reason = models.TextField(_("reason for no update"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        ordering = ["day", "created_at", "id"]
        indexes = [models.Index(fields=["complaint", "day"], name="progress_complaint_day")]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.day}"


class Attachment(models.Model):
    """Proof attached to a progress entry or a work-order reply; stored outside static files."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments",
                                  verbose_name=_("complaint"))
    progress = models.ForeignKey(ProgressEntry, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="attachments", verbose_name=_("progress entry"))
    work_order = models.ForeignKey(WorkOrder, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="attachments", verbose_name=_("work order"))
    file = models.FileField(upload_to="attachments/%Y/%m/", verbose_name=_("file"))
    name = models.CharField(max_length=255, verbose_name=_("name"))
    content_type = models.CharField(max_length=100, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

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

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contact_attempts",
                                  verbose_name=_("complaint"))
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.HANDLING,
                               verbose_name=_("purpose"))
    at = models.DateTimeField(_("time of the attempt"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.at:%Y-%m-%d %H:%M} {self.outcome}"
