"""Scheduled reports: one run per report of the policy and period (generated once, under a unique
constraint), and one delivery per recipient (sent at most once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.units.models import Unit, root_unit_id


class ReportRun(models.Model):
    """A periodic report of the policy (``reports:``) generated for one period."""

    code = models.CharField(_("report"), max_length=48)
    policy_id = models.CharField(max_length=48, verbose_name=_("policy"))
    # head office: the whole tree; a unit with its own policy: that unit's figures, to its people
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", default=root_unit_id,
                             verbose_name=_("unit"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    due = models.DateField(_("due"))
    generated_at = models.DateTimeField(_("generated at"))
    workbook = models.BinaryField(verbose_name=_("workbook"))
    summary = models.JSONField(default=dict, blank=True, verbose_name=_("summary"))

    class Meta:
        ordering = ["-period_start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["policy_id", "code", "period_start", "unit"],
                                    name="report_run_once_per_unit"),
        ]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")

    def __str__(self) -> str:
        return f"{self.code} {self.period_start}–{self.period_end}"


class ReportDelivery(models.Model):
    """The report mailed to one recipient. ``sending`` is claimed under a row lock before the mail
    goes out, so two workers never send it twice; a failure is recorded and retried."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="deliveries",
                            verbose_name=_("report run"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("user"))
    email = models.EmailField(_("e-mail"))
    language = models.CharField(max_length=8, default="zh-hans", verbose_name=_("language"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    error = models.TextField(blank=True, verbose_name=_("error"))

    class Meta:
        ordering = ["run_id", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "email"], name="report_delivery_once")]
        indexes = [models.Index(fields=["state"], name="report_delivery_state")]
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")

    def __str__(self) -> str:
        return f"{self.run} → {self.email} ({self.state})"


class SummaryLine(models.Model):
    """The unit, level, category, fact, value and numbers one line of the summary holds."""

    class Fact(models.TextChoices):
        REGISTERED = "registered"  # code: the channel; registered that day
        TARGET = "target"  # code: one target of the complaint
        REASON = "reason"  # code: the full reason path, codes joined by "/"
        ROOT_CAUSE = "root_cause"  # code: the full root-cause path ("" when not determined)
        MODEL = "model"  # code: the product model ("" when not given)
        DEPARTMENT = "department"  # code: a department with a work order (complaints, once each)
        VALIDITY = "validity"  # code: valid / invalid (judgements)
        FAULT = "fault"  # code: company / no_fault (judgements)
        REPEAT = "repeat"  # complaints linked to an earlier one they repeat
        FINISHED = "finished"  # code: the status; day of ``closed_at``
        CLOCK = "clock"  # code: the clock; day of ``due_at``
        WORK_ORDER = "work_order"  # code: the department; day of ``due_at``
        VISIT = "visit"  # code: the satisfaction; day the return visit was answered

    fact = models.CharField(verbose_name=_("figure"), max_length=16, choices=Fact.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    level = models.CharField(verbose_name=_("level"), max_length=48)
    category = models.CharField(verbose_name=_("category"), max_length=48)
    code = models.CharField(verbose_name=_("value"), max_length=400)
    count = models.IntegerField(verbose_name=_("count"), default=0)
    met = models.IntegerField(verbose_name=_("met"), default=0)
    breached = models.IntegerField(verbose_name=_("breached"), default=0)
    running = models.IntegerField(verbose_name=_("running"), default=0)
    paused = models.IntegerField(verbose_name=_("paused"), default=0)
    extended = models.IntegerField(verbose_name=_("extended"), default=0)
    score_sum = models.BigIntegerField(verbose_name=_("sum of scores"), default=0)
    scored = models.IntegerField(verbose_name=_("scored"), default=0)

    class Meta:
        abstract = True


class DayCount(SummaryLine):
    """One line of the daily summary the monthly report and the dashboard read (decision 0009):
    for one day in the policy's time zone, one unit, level and category of the complaints, how
    many complaints, clocks, work orders or return visits have the ``code`` of the ``fact``.

    The lines are recomputed from the source rows by the worker (``summary_refresh``) for days
    that are over; a day changed since (a mark written by the database's triggers) and the days
    not yet summarised are read live, so every figure equals a count of the source rows."""

    day = models.DateField(verbose_name=_("day"))

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        indexes = [models.Index(fields=["fact", "day"], name="day_count_fact_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.fact} {self.code}: {self.count}"


class MonthCount(SummaryLine):
    """The daily lines of one whole month summed over its days (decision 0009): written by the
    worker in the same transaction as the month's daily lines, once every day of the month is
    stored, so that it always equals the sum of the month's ``DayCount`` lines. A month's report
    reads these few lines instead of thirty days of daily ones."""

    month = models.DateField(verbose_name=_("month"))  # its first day

    class Meta:
        verbose_name = _("monthly count")
        verbose_name_plural = _("monthly counts")
        indexes = [models.Index(fields=["fact", "month"], name="month_count_fact_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.fact} {self.code}: {self.count}"


class SummaryMark(models.Model):
    """A moment whose day (in the policy's time zone) changed after it may have been summarised:
    written by database triggers on every table the summary counts (migration 0003), read as
    "this day is live" until the worker has recomputed it."""

    id = models.BigAutoField(verbose_name=_("ID"), primary_key=True)
    at = models.DateTimeField(verbose_name=_("marked at"))


    class Meta:
        verbose_name = _("summary mark")
        verbose_name_plural = _("summary marks")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class SummaryState(models.Model):
    """How far the daily summary goes: the days before ``until`` (in ``timezone``) are summarised."""

    timezone = models.CharField(verbose_name=_("time zone"), max_length=64)
    until = models.DateField(verbose_name=_("summarised until"), null=True, blank=True)
    refreshed_at = models.DateTimeField(verbose_name=_("refreshed at"), null=True, blank=True)


    class Meta:
        verbose_name = _("summary state")
        verbose_name_plural = _("summary states")

    def __str__(self) -> str:
        return f"{self.timezone} until {self.until}"


class ExportJob(models.Model):
    """A large export of a list or a queue, written to a file by the worker while the page shows
    its progress; the file is served only to the user who asked for it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.CASCADE, related_name="+")
    source = models.CharField(verbose_name=_("list"), max_length=64)  # "complaints" or "queue-<kind>"
    params = models.JSONField(verbose_name=_("filters"), default=dict, blank=True)  # the list's query parameters
    fmt = models.CharField(verbose_name=_("format"), max_length=4)
    language = models.CharField(verbose_name=_("language"), max_length=8, default="zh-hans")
    state = models.CharField(verbose_name=_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(verbose_name=_("rows in all"), default=0)
    done = models.PositiveIntegerField(verbose_name=_("rows written"), default=0)
    file_name = models.CharField(verbose_name=_("file name"), max_length=200, blank=True)
    error = models.TextField(verbose_name=_("error"), blank=True)
    created_at = models.DateTimeField(verbose_name=_("requested at"))
    finished_at = models.DateTimeField(verbose_name=_("finished at"), null=True, blank=True)
    # set when the worker deleted the file, COMPLAINTDESK_EXPORT_FILE_DAYS after it was written
    file_deleted_at = models.DateTimeField(verbose_name=_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source}.{self.fmt} ({self.state} {self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else min(99, self.done * 100 // self.total) if self.total else 0
