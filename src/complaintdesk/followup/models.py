"""Return visits (回访) with their calls and survey links; judgements of complaints about staff and
the staff member's appeal with its review and second-review answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnVisit(models.Model):
    """One round of asking the customer whether they are satisfied, due after the complaint is
    resolved (or after a dealer answered an unsatisfied customer's work order)."""

    class State(models.TextChoices):
        OPEN = "open", _("Visit due")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Result(models.TextChoices):
        ANSWERED = "answered", _("Customer answered")
        CALLBACK_FAILED = "callback_failed", _("Callback failed")
        NO_VISIT_NEEDED = "no_visit_needed", _("No return visit needed")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        SURVEY = "survey", _("Survey link")

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="return_visits",
                                  verbose_name=_("complaint"))
    cycle = models.PositiveIntegerField(default=1, verbose_name=_("cycle"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("due since"))
    due_at = models.DateTimeField(_("due"))
    due_provisional = models.BooleanField(default=False, verbose_name=_("due time provisional"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="return_visits", verbose_name=_("assigned to"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("assigned at"))
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    channel = models.CharField(_("answered by"), max_length=8, choices=Channel.choices, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=48, blank=True)
    score = models.IntegerField(_("score"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    note = models.TextField(_("note"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("completed by"))
    work_order = models.ForeignKey("complaints.WorkOrder", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="return_visits", verbose_name=_("work order"))
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("previous visit"))

    class Meta:
        ordering = ["complaint_id", "cycle"]
        constraints = [models.UniqueConstraint(fields=["complaint", "cycle"], name="return_visit_cycle")]
        indexes = [
            models.Index(fields=["state", "due_at"], name="return_visit_queue"),
            models.Index(fields=["assigned_to", "state"], name="return_visit_mine"),
            models.Index(fields=["work_order"], name="return_visit_work_order"),
        ]
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.cycle} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ReturnVisitCall(models.Model):
    """A call of the return visit: the contact attempt (purpose return_visit) it made."""

    visit = models.ForeignKey(ReturnVisit, on_delete=models.CASCADE, related_name="calls",
                              verbose_name=_("return visit"))
    contact = models.OneToOneField("complaints.ContactAttempt", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("contact attempt"))

    class Meta:
        ordering = ["contact__at", "id"]
        verbose_name = _("return-visit call")
        verbose_name_plural = _("return-visit calls")

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.contact_id}"


class SurveyLink(models.Model):
    """A signed, expiring link to the one-page survey, sent to the customer; usable once."""

    visit = models.ForeignKey(ReturnVisit, on_delete=models.CASCADE, related_name="survey_links",
                              verbose_name=_("return visit"))
    nonce = models.CharField(max_length=32, unique=True, verbose_name=_("nonce"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    channel = models.CharField(max_length=8, verbose_name=_("channel"))
    message = models.ForeignKey("notify.Message", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("message"))
    used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("used at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")

    def __str__(self) -> str:
        return f"survey {self.pk} of visit {self.visit_id}"


class Judgement(models.Model):
    """Whether a complaint about a member of staff is valid, the category, the company's
    responsibility and the staff member concerned; an appeal's final result replaces it."""

    class Validity(models.TextChoices):
        VALID = "valid", _("Valid")
        INVALID = "invalid", _("Invalid")

    class AppealState(models.TextChoices):
        NONE = "", _("No appeal")
        FILED = "filed", _("Appeal awaiting review")
        SECOND_REVIEW = "second_review", _("Appeal awaiting the second review")
        ANSWERED = "answered", _("Appeal answered")

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE, related_name="judgement",
                                     verbose_name=_("complaint"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judgements",
                              verbose_name=_("staff member concerned"))
    validity = models.CharField(_("validity"), max_length=8, choices=Validity.choices)
    category = models.CharField(_("category"), max_length=48)
    company_at_fault = models.BooleanField(_("company at fault"))
    note = models.TextField(_("reasoning"), blank=True)
    consequence = models.JSONField(_("consequence"), default=dict, blank=True)
    staff_pays = models.BooleanField(_("staff member bears the compensation"), default=False)
    compensation = models.DecimalField(_("compensation borne by the staff member"), max_digits=12, decimal_places=2,
                                       null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, verbose_name=_("currency"))
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("judged by"))
    judged_at = models.DateTimeField(verbose_name=_("judged at"))
    appeal_deadline = models.DateTimeField(_("appeal deadline"))
    appeal_deadline_provisional = models.BooleanField(default=False, verbose_name=_("appeal deadline provisional"))
    appeal_state = models.CharField(_("appeal"), max_length=16, choices=AppealState.choices, blank=True)
    revised_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revised at"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))

    class Meta:
        ordering = ["-judged_at", "-id"]
        indexes = [
            models.Index(fields=["staff", "validity", "judged_at"], name="judgement_staff"),
            models.Index(fields=["appeal_state"], name="judgement_appeal_state"),
        ]
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.validity}/{self.category}"

    def result(self) -> dict[str, object]:
        return {"validity": self.validity, "category": self.category, "company_at_fault": self.company_at_fault}


class Appeal(models.Model):
    """The judged staff member's appeal: the supervisor's review and, when it differs from the
    judgement, the second reviewers' answers. The original judgement stays here."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("Judgement upheld")
        CHANGED = "changed", _("Judgement changed")

    judgement = models.OneToOneField(Judgement, on_delete=models.CASCADE, related_name="appeal",
                                     verbose_name=_("judgement"))
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("appellant"))
    filed_at = models.DateTimeField(verbose_name=_("filed at"))
    grounds = models.TextField(_("grounds"))
    original = models.JSONField(default=dict, verbose_name=_("original result"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_decision = models.CharField(max_length=8, choices=Decision.choices, blank=True,
                                       verbose_name=_("review decision"))
    review_result = models.JSONField(default=dict, blank=True, verbose_name=_("review result"))
    review_note = models.TextField(blank=True, verbose_name=_("review note"))
    second_review_due_at = models.DateTimeField(null=True, blank=True, verbose_name=_("second review due at"))
    second_review_provisional = models.BooleanField(default=False, verbose_name=_("second review due time provisional"))
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    final = models.JSONField(default=dict, blank=True, verbose_name=_("final"))
    changed = models.BooleanField(default=False, verbose_name=_("changed"))

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal on judgement {self.judgement_id}"


class AppealAnswer(models.Model):
    """A second reviewer's answer (department manager, branch contact…): one per role."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="answers", verbose_name=_("appeal"))
    role = models.CharField(max_length=16, verbose_name=_("role"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(verbose_name=_("at"))
    decision = models.CharField(max_length=8, choices=Appeal.Decision.choices, verbose_name=_("decision"))
    result = models.JSONField(default=dict, verbose_name=_("result"))
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["appeal", "role"], name="appeal_answer_per_role")]
        verbose_name = _("appeal answer")
        verbose_name_plural = _("appeal answers")

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.role}: {self.decision}"
