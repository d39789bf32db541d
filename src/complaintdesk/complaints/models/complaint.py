"""Customers, products, complaints and their timelines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.fields import EncryptedTextField
from complaintdesk.core.models import PolicyVersion
from complaintdesk.core.names import full_name
from complaintdesk.units.models import Unit, root_unit_id


class Customer(models.Model):
    class Title(models.TextChoices):
        MR = "mr", _("Mr.")
        MS = "ms", _("Ms.")
        NONE = "", _("(not given)")

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ENTERPRISE = "enterprise", _("Enterprise")

    title = models.CharField(_("title"), max_length=4, choices=Title.choices, blank=True)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    name_note = models.CharField(_("why the name is missing"), max_length=255, blank=True)
    kind = models.CharField(_("customer type"), max_length=12, choices=Kind.choices,
                            default=Kind.INDIVIDUAL)
    company = models.CharField(_("company"), max_length=160, blank=True)
    # contact data is encrypted at rest (core/crypto.py) and found through the blind index
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    social_account = EncryptedTextField(_("social-media account"), blank=True)
    address = EncryptedTextField(_("location / postal address"), blank=True)
    special_identity = models.CharField(_("special identity"), max_length=48, blank=True)
    emotion = models.CharField(_("emotion"), max_length=48, blank=True)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self) -> str:
        """"王晓梅" (family name first) for a Chinese name, "Mei Wang" for a Western one."""
        return full_name(self.first_name, self.last_name) or str(_("(name not given)"))


# the statuses a complaint ends in, in the order the lists' "open" filter writes them (the partial
# indexes below repeat it: PostgreSQL uses a partial index when the query's condition is the same)
FINISHED_STATUSES = ("closed", "rejected", "withdrawn")
SOURCE_NUMBER_LENGTH = 64  # a complaint's number in the system it comes from


class Product(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="products",
                                 verbose_name=_("customer"))
    model = models.CharField(_("model"), max_length=80, blank=True)
    imei = EncryptedTextField(_("IMEI"), blank=True)
    build_number = models.CharField(_("build number"), max_length=80, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    purchase_date_approximate = models.BooleanField(_("purchase date is approximate"), default=False)
    place_of_purchase = models.CharField(_("place of purchase"), max_length=160, blank=True)
    lot_number = models.CharField(_("lot / batch number"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.model or "-"


class Complaint(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # unique by a constraint in Meta: unique=True would give it a second, LIKE index on PostgreSQL
    # (varchar_pattern_ops) that no query uses (the search reads the number in search_text's trigram
    # index) and every complaint wrote
    number = models.CharField(_("number"), max_length=48)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("policy version"))
    # the organisation unit that received the complaint (head office, a store, a dealer); every read
    # is narrowed to the reader's units (complaintdesk.units.scope)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="complaints", default=root_unit_id,
                             verbose_name=_("organisation unit"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="complaints",
                                 verbose_name=_("customer"))
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="complaints", verbose_name=_("product"))
    channel = models.CharField(_("channel"), max_length=48)
    case_origin = models.CharField(_("case origin"), max_length=255, blank=True)
    # the complaint's number in the system it comes from (an imported register, a CRM ticket): found by
    # search, shown on its page, and a second complaint with the same one at the same unit is refused
    source_number = models.CharField(_("number in the earlier system"), max_length=SOURCE_NUMBER_LENGTH, blank=True,
                                     default="")
    category = models.CharField(_("category"), max_length=48)  # indexed in Meta: no LIKE index beside it
    level = models.CharField(_("level"), max_length=48)
    suggested_level = models.CharField(_("suggested level"), max_length=48)
    level_override_reason = models.TextField(_("reason for overriding the level"), blank=True)
    triggers = models.JSONField(_("matched triggers"), default=list, blank=True)
    targets = models.JSONField(_("targets"), default=list)
    primary_target = models.CharField(_("primary target"), max_length=48, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    reason_codes = models.JSONField(_("reason"), default=list, blank=True)
    root_cause = models.JSONField(_("root cause"), default=list, blank=True)
    reason = models.TextField(_("complaint reason"))
    description = models.TextField(_("issue description"))
    customer_request = models.TextField(_("customer request"))
    requested_deadline = models.DateTimeField(_("customer's deadline"), null=True, blank=True)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    missing_notes = models.JSONField(_("why-missing notes"), default=dict, blank=True)
    missing_facts = models.JSONField(_("missing facts"), default=list, blank=True)
    complete = models.BooleanField(_("complete"), default=False)
    earlier_case_ids = models.JSONField(_("earlier case IDs"), default=list, blank=True)
    repair_ids = models.JSONField(_("repair IDs"), default=list, blank=True)
    units = models.PositiveIntegerField(_("units concerned"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.REGISTERED)
    # no index of its own: complaint_owner_status and complaint_owner_registered begin with it
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_complaints",
                              verbose_name=_("owner"), db_index=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))
    received_at = models.DateTimeField(_("received at"))
    registered_at = models.DateTimeField(_("registered at"))
    reply_due_at = models.DateTimeField(_("promised reply"), null=True, blank=True)
    reply_due_provisional = models.BooleanField(default=False, verbose_name=_("reply due time provisional"))
    language = models.CharField(_("customer's language"), max_length=8, default="zh-hans")
    repeats = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="repeated_by",
                                     verbose_name=_("earlier complaints repeated"))
    # lifecycle attributes (not states): waiting, escalation, outcome of the final transition
    waiting_on = models.CharField(_("waiting on"), max_length=32, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True, verbose_name=_("waiting since"))
    major_opened_at = models.DateTimeField(_("major-complaint team opened"), null=True, blank=True)
    major_solved_at = models.DateTimeField(_("major-complaint team's solution agreed"), null=True, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    outcome_reason = models.CharField(_("reason of the outcome"), max_length=48, blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    withdrawn_by = models.CharField(_("withdrawn by"), max_length=160, blank=True)
    missed_update_days = models.PositiveIntegerField(_("days without a progress entry"), default=0)
    corrective_action = models.TextField(_("corrective and preventive action"), blank=True)
    search_text = models.TextField(blank=True, verbose_name=_("search text"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    updated_at = models.DateTimeField(verbose_name=_("updated at"))

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["status", "level"], name="complaint_status_level"),
            models.Index(fields=["category"], name="complaint_category"),
            models.Index(fields=["owner", "status"], name="complaint_owner_status"),
            models.Index(fields=["registered_at"], name="complaint_registered"),
            # the queues list newest first within an owner, a level or a status and stop at a page:
            # these indexes let the database walk them in order instead of sorting every match
            models.Index(fields=["owner", "registered_at"], name="complaint_owner_registered"),
            models.Index(fields=["level", "registered_at"], name="complaint_level_registered"),
            models.Index(fields=["status", "registered_at"], name="complaint_status_registered"),
            models.Index(fields=["reply_due_at"], name="complaint_reply_due"),
            # the open complaints (a few per cent of them at a million) newest first, overall, by owner
            # and by level: the queues and the "open" list walk these small partial indexes instead of
            # skipping the finished complaints in the ones above (the condition is the one
            # selectors.listing writes for "open": exclude(status__in=FINISHED_STATUSES))
            models.Index(fields=["registered_at", "id"], name="complaint_open_registered",
                         condition=~models.Q(status__in=FINISHED_STATUSES)),
            models.Index(fields=["owner", "registered_at", "id"], name="complaint_open_owner",
                         condition=~models.Q(status__in=FINISHED_STATUSES)),
            models.Index(fields=["level", "registered_at", "id"], name="complaint_open_level",
                         condition=~models.Q(status__in=FINISHED_STATUSES)),
            # a complaint sent twice is found by its number in the system it came from (few complaints
            # have one: the index holds only those)
            models.Index(fields=["source_number", "unit"], name="complaint_source_number",
                         condition=~models.Q(source_number="")),
        ]
        constraints = [models.UniqueConstraint(fields=["number"], name="complaint_number_unique")]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in {self.Status.CLOSED, self.Status.REJECTED, self.Status.WITHDRAWN}


class TimelineEntry(models.Model):
    """What happened to a complaint, in order; shown on its detail page."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="timeline",
                                  verbose_name=_("complaint"), db_index=False)  # timeline_complaint_at begins with it
    at = models.DateTimeField(verbose_name=_("at"))
    kind = models.CharField(max_length=48, verbose_name=_("kind"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("actor"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "at"], name="timeline_complaint_at")]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"
