"""Handling plans (5W1H + how much) with their cost lines, approvals under the authority matrix,
delegations while an approver is away, the monthly budget ledger, petty-cash payouts with their
countersignature, and the legal step (consultation, advice, settlement agreement, outcome report)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.units.models import Unit, root_unit_id

USER = settings.AUTH_USER_MODEL


class Plan(models.Model):
    """A handling plan: what solution, who implements it, when, where (which platform), why, how,
    and how much (its cost lines). Each new plan of a complaint supersedes the current one."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        AUTHORISED = "authorised", _("Authorised within limit")
        REJECTED = "rejected", _("Rejected")
        REFUSED = "refused", _("Refused by the customer")
        SUPERSEDED = "superseded", _("Superseded by a new plan")
        CANCELLED = "cancelled", _("Cancelled")

    class Decision(models.TextChoices):
        NONE = "", _("not decided yet")
        ACCEPTED = "accepted", _("accepted by the customer")
        REFUSED = "refused", _("refused by the customer")

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="plans",
                                  verbose_name=_("complaint"))
    sequence = models.PositiveIntegerField(verbose_name=_("sequence"))
    tier = models.CharField(_("solution tier"), max_length=48, blank=True)
    what = models.TextField(_("what solution"))
    who = models.CharField(_("who implements it"), max_length=255)
    when = models.CharField(_("when"), max_length=255)
    where = models.CharField(_("where / which platform"), max_length=255)
    why = models.TextField(_("why"))
    how = models.TextField(_("how"))
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    budget_total = models.DecimalField(_("counted against the budget"), max_digits=12, decimal_places=2)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING)
    route = models.JSONField(_("approvers"), default=list, blank=True)
    route_reason = models.CharField(max_length=16, blank=True, verbose_name=_("route reason"))
    within_limit_of = models.CharField(_("authorised within the limit of"), max_length=16, blank=True)
    over_budget = models.BooleanField(_("exceeds the monthly budget"), default=False)
    emergency_reason = models.TextField(_("emergency reason"), blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    proposed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("proposed at"))
    implemented_at = models.DateTimeField(null=True, blank=True, verbose_name=_("implemented at"))
    implemented_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("implemented by"))
    implementation_note = models.TextField(blank=True, verbose_name=_("implementation note"))
    customer_decision = models.CharField(max_length=8, choices=Decision.choices, blank=True, default="",
                                         verbose_name=_("customer's decision"))
    customer_words = models.TextField(_("the customer's words"), blank=True)
    customer_channel = models.CharField(max_length=16, blank=True, verbose_name=_("customer's answer channel"))
    customer_decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("customer decided at"))
    customer_recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+", verbose_name=_("customer's decision recorded by"))
    reused_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("reused from"))
    search_text = models.TextField(blank=True, verbose_name=_("search text"))

    class Meta:
        ordering = ["complaint_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["complaint", "sequence"], name="plan_unique_sequence")]
        indexes = [models.Index(fields=["state", "created_at"], name="plan_state_created")]
        verbose_name = _("handling plan")
        verbose_name_plural = _("handling plans")

    def __str__(self) -> str:
        return f"{self.complaint_id}/P{self.sequence}"

    @property
    def live(self) -> bool:
        return self.state not in {self.State.SUPERSEDED, self.State.CANCELLED}

    @property
    def cleared(self) -> bool:
        """Approved, or authorised within its author's limit: the solution may be implemented."""
        return self.state in {self.State.APPROVED, self.State.AUTHORISED}


class CostLine(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan"))
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    kind = models.CharField(_("kind"), max_length=48)
    description = models.CharField(_("description"), max_length=255, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    counts_against_budget = models.BooleanField(default=True, verbose_name=_("counts against the budget"))

    class Meta:
        ordering = ["plan_id", "position", "id"]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"


class Approval(models.Model):
    """One approver's step on a plan. In a chain the later steps wait until the earlier ones are
    approved; each pending step has its own clock (subject ``approval:<id>``)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for an earlier step")
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("plan"))
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("complaint"))
    step = models.PositiveIntegerField(verbose_name=_("step"))
    role = models.CharField(_("role"), max_length=16)
    reason = models.CharField(max_length=16, blank=True, verbose_name=_("reason"))
    approver = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("approver"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.WAITING)
    requested_at = models.DateTimeField(null=True, blank=True, verbose_name=_("requested at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    on_behalf_of = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("on behalf of"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["plan_id", "step"]
        constraints = [models.UniqueConstraint(fields=["plan", "step"], name="approval_unique_step")]
        indexes = [
            models.Index(fields=["approver", "state"], name="approval_approver_state"),
            models.Index(fields=["state", "requested_at"], name="approval_state_requested"),
        ]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self) -> str:
        return f"{self.plan} step {self.step} ({self.role})"


class Delegation(models.Model):
    """While ``from_user`` is away, ``to_user`` decides their approvals (recorded on each decision)."""

    from_user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="delegations_given",
                                  verbose_name=_("approver"))
    to_user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="delegations_received",
                                verbose_name=_("delegate"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.TextField(_("reason for the delegation"))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["from_user", "ends_at"], name="delegation_from_ends"),
                   models.Index(fields=["to_user", "ends_at"], name="delegation_to_ends")]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return f"{self.from_user_id} → {self.to_user_id}"


class PettyCashPayout(models.Model):
    """A small payout made at once by the front line, with its voucher; countersigned afterwards."""

    class State(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting countersignature")
        COUNTERSIGNED = "countersigned", _("Countersigned")

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="petty_cash",
                                  verbose_name=_("complaint"))
    kind = models.CharField(_("kind"), max_length=48)
    description = models.CharField(_("description"), max_length=255)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    voucher_number = models.CharField(_("voucher number"), max_length=64, blank=True)
    paid_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("paid by"))
    paid_at = models.DateTimeField(verbose_name=_("paid at"))
    state = models.CharField(max_length=16, choices=State.choices, default=State.AWAITING, verbose_name=_("state"))
    countersigned_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("countersigned by"))
    countersigned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("countersigned at"))
    countersign_comment = models.TextField(blank=True, verbose_name=_("countersignature comment"))

    class Meta:
        ordering = ["paid_at", "id"]
        indexes = [models.Index(fields=["state", "paid_at"], name="pettycash_state_paid")]
        verbose_name = _("petty-cash payout")
        verbose_name_plural = _("petty-cash payouts")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.amount} {self.currency}"


class BudgetEntry(models.Model):
    """A cost recorded when it was approved (or paid from petty cash), in the month of that moment
    in the organisation's time zone. ``counts`` says whether it counts against the monthly budget
    (a kind the budget names, in the budget's currency). A plan refused or replaced afterwards
    reverses its entries."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("complaint"))
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="ledger",
                             verbose_name=_("plan"))
    line = models.ForeignKey(CostLine, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("cost line"))
    payout = models.ForeignKey(PettyCashPayout, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="ledger", verbose_name=_("payout"))
    # the unit whose budget the cost draws on: the nearest unit of the complaint's chain that owns a
    # policy version, else head office (resolutions.selectors.budget.budget_unit)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", default=root_unit_id,
                             verbose_name=_("budget of the unit"))
    kind = models.CharField(max_length=48, verbose_name=_("kind"))
    amount = models.DecimalField(max_digits=12, decimal_places=2, verbose_name=_("amount"))
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    counts = models.BooleanField(default=True, verbose_name=_("counts against the budget"))
    month = models.CharField(max_length=7, verbose_name=_("month"))
    at = models.DateTimeField(verbose_name=_("at"))
    approver = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("approver"))
    reversed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reversed at"))
    reversal_reason = models.CharField(max_length=32, blank=True, verbose_name=_("reversal reason"))

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["month", "counts"], name="budget_month_counts"),
                   models.Index(fields=["unit", "month"], name="budget_unit_month")]
        verbose_name = _("budget entry")
        verbose_name_plural = _("budget entries")

    def __str__(self) -> str:
        return f"{self.month} {self.kind} {self.amount} {self.currency}"


class LegalConsultation(models.Model):
    """The legal consultation form (用户投诉法务咨询单). An urgent one may be phoned first: it is
    recorded at once and its form filed afterwards, against a clock."""

    class State(models.TextChoices):
        PHONED = "phoned", _("Phoned; form to be filed")
        FILED = "filed", _("Form filed")

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE,
                                  related_name="legal_consultations", verbose_name=_("complaint"))
    state = models.CharField(max_length=8, choices=State.choices, verbose_name=_("state"))
    fields = models.JSONField(default=dict, blank=True, verbose_name=_("form fields"))
    phoned = models.BooleanField(default=False, verbose_name=_("phoned first"))
    phone_note = models.TextField(blank=True, verbose_name=_("phone note"))
    phoned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("phoned at"))
    filed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("filed at"))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(verbose_name=_("requested at"))
    advice = models.TextField(blank=True, verbose_name=_("advice"))
    company_at_fault = models.BooleanField(null=True, verbose_name=_("company at fault"))
    advised_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("advised by"))
    advised_at = models.DateTimeField(null=True, blank=True, verbose_name=_("advised at"))

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("legal consultation")
        verbose_name_plural = _("legal consultations")

    def __str__(self) -> str:
        return f"{self.complaint_id} legal {self.pk}"


class SettlementAgreement(models.Model):
    """A settlement with the customer: written (the signed document attached) or oral (its terms)."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="agreements",
                                  verbose_name=_("complaint"))
    consultation = models.ForeignKey(LegalConsultation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="agreements", verbose_name=_("consultation"))
    kind = models.CharField(_("kind"), max_length=48)
    written = models.BooleanField(default=True, verbose_name=_("written agreement"))
    terms = models.TextField(_("terms"))
    file = models.FileField(upload_to="agreements/%Y/%m/", blank=True, verbose_name=_("file"))
    file_name = models.CharField(max_length=255, blank=True, verbose_name=_("file name"))
    content_type = models.CharField(max_length=100, blank=True, verbose_name=_("content type"))
    size = models.PositiveIntegerField(default=0, verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("SHA-256"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"))
    filed_with_legal_at = models.DateTimeField(null=True, blank=True, verbose_name=_("filed with legal at"))

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("settlement agreement")
        verbose_name_plural = _("settlement agreements")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"


class LegalReport(models.Model):
    """The final outcome reported to legal after closing (signed agreements filed with it)."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="legal_reports",
                                  verbose_name=_("complaint"))
    text = models.TextField(_("outcome"))
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by"))
    reported_at = models.DateTimeField(verbose_name=_("reported at"))

    class Meta:
        ordering = ["reported_at", "id"]
        verbose_name = _("outcome report to legal")
        verbose_name_plural = _("outcome reports to legal")

    def __str__(self) -> str:
        return f"{self.complaint_id} report {self.reported_at:%Y-%m-%d}"
