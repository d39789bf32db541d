"""Pydantic models of the policy language.

A policy states, for one organisation, everything the application must not hard-code: channels,
levels and the triggers that suggest them, complaint targets and their priority, categories with
their required facts, the reason taxonomy, the complaint-number format, departments, clocks
(deadlines and what happens when they are missed), solution tiers, the approval-authority matrix,
the monthly budget, petty cash, return-visit rules, the unreachable-customer path, judgement and
appeals, the legal step, retention and the wording the customer sees.

Every model forbids unknown keys, so a misspelt key is an error with its line number rather than a
silently ignored rule. Cross-references (a trigger naming a level, a clock naming a category…) are
checked by :func:`complaintdesk.policy.load.check_references` after the shape is valid.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=48)]


class Role(StrEnum):
    """The fixed roles of DOMAIN.md §2. A policy may rename them (``role_titles``)."""

    AGENT = "agent"
    SPECIALIST = "specialist"
    HANDLER = "handler"
    SUPERVISOR = "supervisor"
    QC_MANAGER = "qc_manager"
    CS_HEAD = "cs_head"
    VP = "vp"
    GM = "gm"
    LEGAL = "legal"
    QUALITY = "quality"
    ADMIN = "admin"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A string in both languages of the product."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.zh if language.lower().startswith("zh") else self.en


class Unit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    WORKING_MINUTES = "working_minutes"
    YEARS = "years"


_UNIT_SUFFIXES = {
    "m": Unit.MINUTES,
    "min": Unit.MINUTES,
    "h": Unit.HOURS,
    "d": Unit.CALENDAR_DAYS,
    "wd": Unit.WORKING_DAYS,
    "wh": Unit.WORKING_HOURS,
    "wm": Unit.WORKING_MINUTES,
    "y": Unit.YEARS,
}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*([a-z]+)\s*$")


class Duration(Strict):
    """An amount of time. In YAML write ``24h``, ``3wd`` (working days), ``2wh`` (working hours),
    ``30m``, ``7d`` (calendar days), ``2y``; or ``{amount: 3, unit: working_days}``."""

    amount: int = Field(ge=0)
    unit: Unit

    @model_validator(mode="before")
    @classmethod
    def _parse_short(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _DURATION_RE.match(value)
            if not match or match.group(2) not in _UNIT_SUFFIXES:
                raise ValueError(
                    f"invalid duration {value!r}: write a whole number and a unit, one of "
                    "m, h, d, wd (working days), wh (working hours), wm, y — e.g. 24h or 3wd"
                )
            return {"amount": int(match.group(1)), "unit": _UNIT_SUFFIXES[match.group(2)]}
        return value

    def __str__(self) -> str:
        short = {v: k for k, v in _UNIT_SUFFIXES.items() if k != "min"}
        return f"{self.amount}{short[self.unit]}"

    @property
    def is_working(self) -> bool:
        return self.unit in {Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.WORKING_MINUTES}


class Period(Strict):
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start >= self.end:
            raise ValueError(f"working period {self.start}-{self.end}: start must be before end")
        return self


class CalendarSpec(Strict):
    """Which days are working days and when the working day runs."""

    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")
    subdivision: str | None = None
    working_hours: list[Period] = Field(
        default_factory=lambda: [
            Period(start="09:00", end="12:00"),
            Period(start="13:00", end="18:00"),
        ],
        min_length=1,
    )

    @model_validator(mode="after")
    def _no_overlap(self) -> CalendarSpec:
        periods = sorted(self.working_hours, key=lambda p: p.start)
        for before, after in itertools.pairwise(periods):
            if after.start < before.end:
                raise ValueError(f"working periods {before.start}-{before.end} and {after.start}-{after.end} overlap")
        return self


class NumberFormat(Strict):
    """Complaint numbers: ``pattern`` may use ``{prefix}``, ``{date:%Y%m%d}`` and ``{seq:04d}``."""

    prefix: str = Field(pattern=r"^[A-Z0-9]{1,8}$")
    pattern: str = "{prefix}-{date:%Y%m%d}-{seq:04d}"
    reset: Literal["daily", "monthly", "yearly", "never"] = "daily"

    @field_validator("pattern")
    @classmethod
    def _has_seq(cls, value: str) -> str:
        if "{seq" not in value:
            raise ValueError("the number pattern must contain {seq…} so that numbers are unique")
        return value


class ChannelKind(StrEnum):
    PHONE = "phone"
    WALK_IN = "walk_in"
    LETTER = "letter"
    COMMENT_CARD = "comment_card"
    EMAIL = "email"
    WEB = "web"
    APP = "app"
    SOCIAL = "social"
    REGULATOR = "regulator"
    MEDIA = "media"
    INTERNAL = "internal"
    DEALER = "dealer"
    CALL_CENTRE = "call_centre"


class Channel(Strict):
    code: Code
    kind: ChannelKind
    label: Text
    requires_origin: bool = Field(
        default=False,
        description=("the case origin (e.g. the social-media account, the regulator's case number) must be recorded"),
    )
    origin_label: Text | None = None
    flags: list[Code] = Field(default_factory=list, description="flags set on every complaint from this door")
    collect_within: Duration | None = Field(
        default=None,
        description=(
            "a door that is emptied rather than answered (opinion box, letters): it is opened and "
            "its complaints registered within this time"
        ),
    )


class Flag(Strict):
    code: Code
    label: Text


class Level(Strict):
    code: Code
    rank: int = Field(ge=1, description="higher is more severe")
    label: Text
    definition: Text
    color: Literal["secondary", "info", "primary", "success", "warning", "orange", "danger", "dark"] = "secondary"
    supervisor: Role | None = Field(default=None, description="role that supervises complaints at this level")
    major: bool = Field(default=False, description="opens the major-complaint team")
    compensation_limit: Decimal | None = Field(
        default=None, ge=0, description="the level supervisor may compensate up to this amount"
    )


class Keywords(Strict):
    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.zh, *self.en]


class Trigger(Strict):
    """Suggests ``level`` when any of its conditions holds."""

    code: Code
    level: Code
    label: Text
    keywords: Keywords = Field(default_factory=Keywords)
    flags: list[Code] = Field(default_factory=list)
    channels: list[Code] = Field(default_factory=list)
    categories: list[Code] = Field(default_factory=list)
    min_units: int | None = Field(default=None, ge=2, description="many-unit (batch) complaints")
    special_identities: list[Code] = Field(
        default_factory=list,
        description="the customer has one of these special identities (celebrity, pregnant …)",
    )

    @model_validator(mode="after")
    def _has_condition(self) -> Trigger:
        if not (
            self.keywords.all()
            or self.flags
            or self.channels
            or self.categories
            or self.min_units
            or self.special_identities
        ):
            raise ValueError(
                f"trigger {self.code!r} has no condition "
                "(keywords, flags, channels, categories, min_units, special_identities)"
            )
        return self


class Target(Strict):
    code: Code
    priority: int = Field(ge=1, description="1 is the highest priority")
    label: Text
    description: Text | None = None


class FactType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    DATE = "date"
    DATETIME = "datetime"
    NUMBER = "number"
    MONEY = "money"
    IMEI = "imei"
    PHONE = "phone"
    CHOICE = "choice"
    BOOLEAN = "boolean"


BOUND_FIELDS = {
    "product.model",
    "product.imei",
    "product.build_number",
    "product.purchase_date",
    "product.place_of_purchase",
    "product.lot_number",
    "customer.address",
    "customer.emotion",
    "customer.special_identity",
    "customer.phone",
    "customer.name",
}


class Option(Strict):
    code: Code
    label: Text


class Fact(Strict):
    """A fact the category requires. ``field`` binds it to a customer or product field, so that the
    value entered there satisfies it."""

    code: Code
    type: FactType = FactType.TEXT
    label: Text
    help: Text | None = None
    required: bool = True
    note_allowed: bool = Field(default=True, description="a 'why missing' note may replace the value")
    options: list[Option] = Field(default_factory=list)
    field: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.type == FactType.CHOICE and not self.options:
            raise ValueError(f"fact {self.code!r} is a choice but has no options")
        if self.type != FactType.CHOICE and self.options:
            raise ValueError(f"fact {self.code!r} has options but its type is {self.type.value}")
        if self.field is not None and self.field not in BOUND_FIELDS:
            raise ValueError(
                f"fact {self.code!r}: unknown field {self.field!r}; one of {', '.join(sorted(BOUND_FIELDS))}"
            )
        return self


class Category(Strict):
    code: Code
    group: str = Field(min_length=1, max_length=16, description="e.g. A, B, C in the phone maker's table")
    label: Text
    description: Text | None = None
    target: Code | None = Field(default=None, description="the target this category usually concerns")
    about_staff: bool = Field(default=False, description="complaint about a member of staff (judgement)")
    facts: list[Fact] = Field(default_factory=list)
    department: Code | None = Field(
        default=None,
        description="the department complaints of this category go to (batch quality → quality)",
    )


class ReasonNode(Strict):
    """One node of the reason taxonomy. ``department`` names the body responsible for this reason
    (and, unless a deeper node names another, for every reason below it): a complaint with this
    root cause is routed there."""

    code: Code
    label: Text
    department: Code | None = None
    children: list[ReasonNode] = Field(default_factory=list)


class Reasons(Strict):
    """Reason taxonomy: the agent picks ``intake_depth`` levels at registration; the handler
    confirms the root cause at ``root_cause_depth``."""

    intake_depth: int = Field(default=1, ge=1, le=4)
    root_cause_depth: int = Field(default=1, ge=1, le=5)
    tree: list[ReasonNode] = Field(min_length=1)

    @model_validator(mode="after")
    def _depths(self) -> Reasons:
        if self.root_cause_depth < self.intake_depth:
            raise ValueError("root_cause_depth must be at least intake_depth")
        return self


class Department(Strict):
    code: Code
    kind: str = Field(min_length=1, max_length=32)
    label: Text
    work_order_due: Duration
    urgent_due: Duration | None = None


class ActionKind(StrEnum):
    NOTIFY = "notify"
    RAISE_LEVEL = "raise_level"
    REASSIGN = "reassign"
    OPEN_MAJOR_TEAM = "open_major_team"
    CLOSE = "close"


class Action(Strict):
    """What a warning or a breach does. ``notify`` names recipients: ``owner``,
    ``level_supervisor``, ``department`` or a role code; ``raise_level`` names a level or ``next``;
    ``reassign`` names a role; ``close`` closes with ``reason``."""

    do: ActionKind
    to: list[str] = Field(default_factory=list)
    level: str | None = None
    reason: Code | None = None


class ClockEvent(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    STARTED = "started"
    ACKNOWLEDGED = "acknowledged"
    CUSTOMER_REPLIED = "customer_replied"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"
    INVESTIGATED = "investigated"
    PROGRESS_LOGGED = "progress_logged"
    WORK_ORDER_DISPATCHED = "work_order_dispatched"
    WORK_ORDER_REPLIED = "work_order_replied"
    ESCALATED_TO_HQ = "escalated_to_hq"
    PLAN_SUBMITTED = "plan_submitted"
    PLAN_APPROVED = "plan_approved"
    SOLUTION_PROPOSED = "solution_proposed"
    SOLUTION_IMPLEMENTED = "solution_implemented"
    APPROVAL_REQUESTED = "approval_requested"
    APPROVAL_DECIDED = "approval_decided"
    MAJOR_OPENED = "major_opened"
    MAJOR_SOLVED = "major_solved"
    LEGAL_REQUESTED = "legal_requested"
    LEGAL_PHONED = "legal_phoned"
    LEGAL_FILED = "legal_filed"
    LEGAL_REPORTED = "legal_reported"
    PETTY_CASH_PAID = "petty_cash_paid"
    COUNTERSIGNED = "countersigned"
    UNREACHABLE_SMS_SENT = "unreachable_sms_sent"
    CUSTOMER_CONTACTED = "customer_contacted"
    RETURN_VISIT_DONE = "return_visit_done"
    JUDGED = "judged"
    APPEAL_FILED = "appeal_filed"
    APPEAL_REVIEWED = "appeal_reviewed"
    APPEAL_ANSWERED = "appeal_answered"
    VIOLATION_REPORTED = "violation_reported"


class PauseCondition(StrEnum):
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    EXTERNAL_APPRAISAL = "external_appraisal"


class Applies(Strict):
    """Restricts a clock to some complaints; an empty list means no restriction."""

    levels: list[Code] = Field(default_factory=list)
    categories: list[Code] = Field(default_factory=list)
    channels: list[Code] = Field(default_factory=list)
    channel_kinds: list[ChannelKind] = Field(default_factory=list)
    flags: list[Code] = Field(default_factory=list)
    tiers: list[Code] = Field(default_factory=list)
    urgent: bool | None = None
    legal: bool | None = Field(
        default=None,
        description="only complaints on which the legal department was consulted (true) or not (false)",
    )


class Extension(Strict):
    approver: Role
    max_steps: int = Field(default=1, ge=1)
    max_total: Duration | None = None
    notify_customer: bool = True
    report_in_advance: bool = True


class Clock(Strict):
    code: Code
    label: Text
    starts: ClockEvent
    stops: list[ClockEvent] = Field(min_length=1)
    duration: Duration
    applies: Applies = Field(default_factory=Applies)
    customer_deadline: bool = Field(default=False, description="the customer's own deadline wins when earlier")
    repeats: bool = Field(
        default=False,
        description="restarts after each stop while the complaint is open (daily update)",
    )
    pauses_on: list[PauseCondition] = Field(default_factory=list)
    restarts_on: list[ClockEvent] = Field(default_factory=list, description="new facts restart the clock")
    warn_before: Duration | None = None
    on_warning: list[Action] = Field(default_factory=list)
    on_breach: list[Action] = Field(default_factory=list)
    extension: Extension | None = None
    promise: bool = Field(default=False, description="its due time is the reply time promised to the customer")
    source: str | None = Field(default=None, description="where the rule comes from (seed, article)")


class SolutionTier(Strict):
    code: Code
    rank: int = Field(ge=1)
    label: Text
    description: Text | None = None
    approver: Role | None = Field(default=None, description="this tier always needs this approver")
    condition: Text | None = None


class CostKind(Strict):
    code: Code
    label: Text
    counts_against_budget: bool = True


class AuthorityLimit(Strict):
    up_to: Decimal | None = Field(default=None, ge=0, description="inclusive; none = no upper limit")
    role: Role


class ApprovalMatrix(Strict):
    """Who may approve what amount: the first limit whose ``up_to`` is at least the amount.
    With ``chain: true`` every holder from the first limit above the author's own up to that one
    approves in turn."""

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    limits: list[AuthorityLimit] = Field(min_length=1)
    chain: bool = False
    decision_within: Duration | None = None

    @field_validator("limits")
    @classmethod
    def _ascending(cls, limits: list[AuthorityLimit]) -> list[AuthorityLimit]:
        if any(limit.up_to is None for limit in limits[:-1]):
            raise ValueError("only the last approval limit may be without an upper bound")
        bounded = [limit.up_to for limit in limits if limit.up_to is not None]
        for before, after in itertools.pairwise(bounded):
            if after <= before:
                raise ValueError(
                    "approval limits must be listed in strictly ascending order of up_to "
                    f"({after} comes after {before})"
                )
        roles = [limit.role for limit in limits]
        for role in roles:
            if roles.count(role) > 1:
                raise ValueError(f"role {role.value!r} is listed more than once in the limits")
        return limits


class PettyCash(Strict):
    """Small payouts made at once by the front line: each payer up to the smaller of ``limit`` and
    their own authority in the approval matrix, with a voucher, countersigned afterwards."""

    limit: Decimal = Field(ge=0)
    payer_roles: list[Role] = Field(min_length=1)
    countersign_role: Role
    countersign_within: Duration
    voucher_required: bool = True
    kinds: list[Code] = Field(
        default_factory=list,
        description="cost kinds that may be paid from petty cash; empty = every cost kind",
    )


class Budget(Strict):
    monthly: Decimal = Field(gt=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    kinds: list[Code] = Field(min_length=1)
    over_budget_escalate_to: Role
    report_by_day: int | None = Field(default=None, ge=1, le=28)


class SatisfactionOutcome(StrEnum):
    CLOSE = "close"
    REOPEN = "reopen"
    DIFFICULT = "difficult"
    DEALER = "dealer"


class ScalePoint(Strict):
    code: Code
    label: Text
    score: int | None = None
    reason_required: bool = False
    outcome: SatisfactionOutcome = SatisfactionOutcome.CLOSE


class CallbackFailed(Strict):
    attempts: int = Field(ge=1)
    distinct_days: int = Field(ge=1)


class ReturnVisit(Strict):
    coverage: Literal["all", "optional"] = "all"
    due: Duration
    assign: Literal["manual", "auto"] = "manual"
    assigner: Role = Role.SUPERVISOR
    visitor: Role = Role.AGENT
    scale: list[ScalePoint] = Field(min_length=2)
    callback_failed: CallbackFailed
    no_visit_needed: bool = True
    survey_link_valid: Duration = Field(default_factory=lambda: Duration(amount=7, unit=Unit.CALENDAR_DAYS))
    follow_up: Duration | None = Field(default=None, description="a later follow-up visit (securities: 1–2 months)")
    dealer_department: Code | None = Field(
        default=None,
        description="the department an unsatisfied customer goes back to (scale points with outcome: dealer)",
    )
    difficult_department: Code | None = Field(
        default=None,
        description="the department that takes the second handling of a difficult customer (outcome: difficult)",
    )
    difficult_flag: Code | None = Field(
        default=None, description="the flag set on a complaint sent down the difficult-customer path"
    )


class Unreachable(Strict):
    attempts_before_sms: int = Field(default=1, ge=1)
    close_after: Duration
    close_reason: Code = "unreachable"
    reopen_on_contact: bool = Field(
        default=True,
        description="a later contact from the customer reopens the closed complaint",
    )


class Judgement(Strict):
    valid: list[Option] = Field(min_length=1)
    invalid: list[Option] = Field(min_length=1)
    consequences: dict[Code, Text] = Field(default_factory=dict)
    appeal_within: Duration
    review_role: Role = Role.SUPERVISOR
    second_review_roles: list[Role] = Field(default_factory=list)
    second_review_within: Duration
    staff_pays: list[Code] = Field(
        default_factory=list,
        description="valid judgements for which the staff member bears the compensation",
    )
    judge_roles: list[Role] = Field(
        default_factory=lambda: [Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD],
        min_length=1,
        description="roles that judge complaints about staff",
    )


class AgreementKind(Option):
    """A kind of settlement agreement; a written one is attached as a file, an oral one is recorded
    by its terms."""

    written: bool = True


class Legal(Strict):
    consultation_fields: list[Fact] = Field(min_length=1)
    urgent_filing_within: Duration
    outcome_report_within: Duration
    agreement_kinds: list[AgreementKind] = Field(default_factory=list)
    documents: list[Option] = Field(
        default_factory=list,
        description="documents to prepare when the organisation is sued (court summons)",
    )


class MajorTeam(Strict):
    members: list[Role] = Field(min_length=1)
    chair: Role
    clock: Code
    departments: list[Code] = Field(default_factory=list, description="departments that send a member to the team")
    after_tiers: list[Code] = Field(
        default_factory=list,
        description=(
            "solution tiers that must have failed first: the team opens for a complaint these "
            "tiers could not resolve (a trigger only suggests the major level)"
        ),
    )


class RetentionRule(Strict):
    record: Code
    label: Text
    keep: Duration | Literal["long_term"]
    location: Text | None = None


class Messages(Strict):
    """Wording the customer sees. Placeholders: {number} {received_at} {reply_by} {organisation}
    {result} {new_time} {reason} {duty_manager} {link}."""

    acknowledgement: Text
    unreachable_sms: Text | None = None
    result_notice: Text | None = None
    extension_notice: Text | None = None
    reply_script: Text | None = None
    survey_invitation: Text | None = None
    no_fault_reply: Text | None = Field(
        default=None,
        description="answer to a no-fault complaint, from the knowledge base's standard wording",
    )


class Responsibility(Strict):
    """Who is at fault (DOMAIN §5 "responsibility"). A no-fault complaint is answered from the
    knowledge base (``answer_from_knowledge_base``) instead of being worked."""

    code: Code
    label: Text
    description: Text | None = None
    company_at_fault: bool = True
    answer_from_knowledge_base: bool = False


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
ReportEvery = Literal[
    "day",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "month",
    "quarter",
    "half_year",
    "year",
]
ReportDimension = Literal[
    "count",
    "category",
    "level",
    "target",
    "channel",
    "department",
    "reason",
    "root_cause",
    "validity",
    "responsibility",
    "satisfaction",
    "cost",
    "budget",
    "staff",
    "store",
    "dealer",
    "region",
    "customer_files",
]


ReportPeriodName = Literal["daily", "weekly", "monthly", "quarterly", "half_yearly", "yearly"]
_PERIOD_NAMES: dict[str, ReportPeriodName] = {
    "month": "monthly",
    "quarter": "quarterly",
    "half_year": "half_yearly",
    "year": "yearly",
}


class Report(Strict):
    """A periodic summary someone must deliver.

    ``every`` says how often and when: ``day`` (daily, due the next day), a weekday (weekly, due
    on that weekday for the week before it: ``every: monday``), ``month`` (the default),
    ``quarter``, ``half_year`` or ``year`` — due by day ``by_day`` of the month after the period
    (``{code: monthly_summary, by_day: 5}``), or on the period's last day when ``by_day`` is
    omitted.
    """

    code: Code
    label: Text
    every: ReportEvery = "month"
    by_day: int | None = Field(default=None, ge=1, le=28)
    by: Role | None = Field(default=None, description="who compiles it")
    to: list[Role] = Field(default_factory=list, description="who receives it")
    recipient: Text | None = Field(default=None, description="a recipient outside the roles")
    dimensions: list[ReportDimension] = Field(default_factory=list)
    source: str | None = None

    @model_validator(mode="after")
    def _by_day_needs_period(self) -> Report:
        if self.by_day is not None and self.every not in {"month", "quarter", "half_year", "year"}:
            raise ValueError(f"report {self.code!r}: by_day only applies to monthly or longer periods")
        return self

    @property
    def period(self) -> ReportPeriodName:
        if self.every == "day":
            return "daily"
        if self.every in WEEKDAYS:
            return "weekly"
        return _PERIOD_NAMES[self.every]


class Publication(Strict):
    """Handling results are published (scenic area: 投诉处理结果公示)."""

    where: Text
    within: Duration | None = None
    anonymised: bool = True


class RejectReason(Strict):
    code: Code
    label: Text


MatchKey = Literal["phone", "imei", "email"]


def _default_match() -> list[MatchKey]:
    return ["phone", "imei"]


class Repeat(Strict):
    window_days: int = Field(ge=1)
    match: list[MatchKey] = Field(default_factory=_default_match)


class Policy(Strict):
    """One organisation's complaint rules."""

    id: Code
    version: str = Field(pattern=r"^[0-9A-Za-z.\-]{1,32}$")
    name: Text
    organisation: Text
    seed: str | None = None
    language: Literal["zh-hans", "en"] = "zh-hans"
    timezone: str = "Asia/Shanghai"
    calendar: CalendarSpec = Field(default_factory=CalendarSpec)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    currencies: list[str] = Field(default_factory=lambda: ["CNY"])
    role_titles: dict[Role, Text] = Field(default_factory=dict)
    number: NumberFormat
    channels: list[Channel] = Field(min_length=1)
    flags: list[Flag] = Field(default_factory=list)
    special_identities: list[Option] = Field(default_factory=list)
    emotions: list[Option] = Field(default_factory=list)
    levels: list[Level] = Field(min_length=1)
    default_level: Code
    triggers: list[Trigger] = Field(default_factory=list)
    targets: list[Target] = Field(min_length=1)
    categories: list[Category] = Field(min_length=1)
    reasons: Reasons
    repeat: Repeat
    reject_reasons: list[RejectReason] = Field(min_length=1)
    departments: list[Department] = Field(default_factory=list)
    clocks: list[Clock] = Field(default_factory=list)
    solution_tiers: list[SolutionTier] = Field(default_factory=list)
    cost_kinds: list[CostKind] = Field(default_factory=list)
    approval: ApprovalMatrix | None = None
    petty_cash: PettyCash | None = None
    budget: Budget | None = None
    return_visit: ReturnVisit | None = None
    unreachable: Unreachable | None = None
    judgement: Judgement | None = None
    legal: Legal | None = None
    major_team: MajorTeam | None = None
    required_documents: list[Option] = Field(default_factory=list, description="documents a report must carry (dealer)")
    retention: list[RetentionRule] = Field(default_factory=list)
    reports: list[Report] = Field(default_factory=list)
    responsibility: list[Responsibility] = Field(default_factory=list)
    work_order_priority: Literal["normal", "high"] = Field(
        default="normal",
        description="priority of complaint work orders over the departments' other work orders",
    )
    customer_profile: list[str] = Field(
        default_factory=list,
        description="customer and product fields every complaint's customer archive must hold",
    )
    publication: Publication | None = None
    accountability: list[Option] = Field(
        default_factory=list,
        description="handling faults staff are held accountable for (mistakes, delay …)",
    )
    messages: Messages

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("customer_profile")
    @classmethod
    def _bound_fields(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in BOUND_FIELDS:
                raise ValueError(f"unknown field {name!r}; one of {', '.join(sorted(BOUND_FIELDS))}")
        return value

    # --- lookups -------------------------------------------------------------------------------

    def level(self, code: str) -> Level:
        return _find(self.levels, code, "level")

    def channel(self, code: str) -> Channel:
        return _find(self.channels, code, "channel")

    def category(self, code: str) -> Category:
        return _find(self.categories, code, "category")

    def target(self, code: str) -> Target:
        return _find(self.targets, code, "target")

    def department(self, code: str) -> Department:
        return _find(self.departments, code, "department")

    def clock(self, code: str) -> Clock:
        return _find(self.clocks, code, "clock")

    def tier(self, code: str) -> SolutionTier:
        return _find(self.solution_tiers, code, "solution tier")

    def levels_by_rank(self) -> list[Level]:
        return sorted(self.levels, key=lambda level: level.rank)

    def role_title(self, role: str, language: str) -> str | None:
        text = self.role_titles.get(Role(role)) if role in Role._value2member_map_ else None
        return text.get(language) if text else None


class UnknownCode(KeyError):
    def __init__(self, kind: str, code: str) -> None:
        super().__init__(code)
        self.kind = kind
        self.code = code

    def __str__(self) -> str:
        return f"unknown {self.kind} {self.code!r}"


class _Coded(Protocol):
    @property
    def code(self) -> str: ...


_T = TypeVar("_T", bound=_Coded)


def _find(items: Sequence[_T], code: str, kind: str) -> _T:
    for item in items:
        if item.code == code:
            return item
    raise UnknownCode(kind, code)
