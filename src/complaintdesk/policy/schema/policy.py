"""The policy itself, with retention, reports, messages and lookups."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from complaintdesk.policy.schema.base import (
    CalendarSpec,
    Code,
    Duration,
    NumberFormat,
    Role,
    Strict,
    Text,
)
from complaintdesk.policy.schema.clocks import (
    Clock,
)
from complaintdesk.policy.schema.followup import (
    Judgement,
    ReturnVisit,
    Unreachable,
)
from complaintdesk.policy.schema.intake import (
    BOUND_FIELDS,
    Category,
    Channel,
    Department,
    Flag,
    Level,
    Option,
    Reasons,
    Target,
    Trigger,
)
from complaintdesk.policy.schema.money import (
    ApprovalMatrix,
    Budget,
    CostKind,
    Legal,
    MajorTeam,
    PettyCash,
    SolutionTier,
)
from complaintdesk.policy.schema.quality import BatchAlerts


class RetentionRule(Strict):
    """How long a record is kept. ``applies_to: complaint`` makes the worker erase the customer's
    personal data of complaints that ended longer than ``keep`` ago (after a dry-run report; the
    complaint itself stays for the statistics); other records (paper forms, recordings kept
    elsewhere) are listed on the privacy page's retention rules with their location."""

    record: Code
    label: Text
    keep: Duration | Literal["long_term"]
    location: Text | None = None
    applies_to: Literal["complaint"] | None = None


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


MAIL_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                          r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


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
    to: list[Role] = Field(default_factory=list, description="who receives it")
    emails: list[str] = Field(default_factory=list, max_length=20,
                              description="e-mail addresses outside the system that receive it too")
    dimensions: list[ReportDimension] = Field(default_factory=list)
    for_each: Literal["region", "branch", "store", "dealer"] | None = Field(
        default=None,
        description=("generated for each active unit of this kind instead of once for the whole tree: each "
                     "with that unit's figures, mailed to the holders of ``to`` there (003: each regional "
                     "manager gets the customer files of the region's dealers)"),
    )
    source: str | None = None

    @field_validator("emails")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        """A plain address each (``name@example.com``), never twice."""
        seen: set[str] = set()
        for address in value:
            if len(address) > 254 or not MAIL_ADDRESS.fullmatch(address):
                raise ValueError(f"not an e-mail address: {address!r} (write it as name@example.com)")
            if address.lower() in seen:
                raise ValueError(f"e-mail address listed twice: {address!r}")
            seen.add(address.lower())
        return value

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
    close_reasons: list[RejectReason] = Field(
        default_factory=list,
        description=("reasons for which the owner or a supervisor closes an open complaint without resolving it, "
                     "recording how it was handled (002 hotline 五.2(4): 回复客户时客户已欠费或停机;"
                     "可记录处理情况并结单)"),
    )
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
    retention: list[RetentionRule] = Field(default_factory=list)
    reports: list[Report] = Field(default_factory=list)
    batch_alerts: BatchAlerts | None = None
    responsibility: list[Responsibility] = Field(default_factory=list)
    work_order_priority: Literal["normal", "high"] = Field(
        default="normal",
        description="priority of complaint work orders over the departments' other work orders",
    )
    close_by: list[Role] = Field(
        default_factory=list,
        description=("roles that confirm the closing of every complaint: only they close one (empty: the owner "
                     "or a supervisor); a satisfied return visit leaves it resolved and asks them "
                     "(QR-QMD-AD-005 5.6: the general manager confirms the closing of every complaint)"),
    )
    handled_by: Role | None = Field(
        default=None,
        description=("the role that handles every complaint from its registration: whoever registers it (an agent, "
                     "the portal, the mail door) hands it at once to the holder of this role at the nearest unit "
                     "up the complaint's chain with the fewest open complaints, and the front line does not "
                     "accept it (002 hotline 四: 请第一时间将工单提交部门主管;交由部门主管来处理); empty: the "
                     "person who registers it owns it"),
    )
    plan_required: bool = Field(
        default=False,
        description=("a complaint is resolved only once a solution plan was approved (or authorised within limit) "
                     "and then implemented (002 scenic 1.2, 4.3: 方案审批 → 方案实施 → 反馈); off: a plan is needed "
                     "only where the complaint has costs"),
    )
    full_name: bool = Field(
        default=False,
        description=("the customer's first and last name are both recorded, or a note says why one is missing "
                     "(000 1.1(1): \"should write note if customer is unwilling to provide first or last name\"); "
                     "off: a name or a note"),
    )
    customer_profile: list[str] = Field(
        default_factory=list,
        description="customer and product fields every complaint's customer archive must hold",
    )
    publication: Publication | None = None
    messages: Messages
    fixed: list[str] = Field(
        default_factory=list,
        description="dotted paths of rules that units below may not loosen (docs/policy.md, Unit policies)",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("handled_by")
    @classmethod
    def _owning_role(cls, value: Role | None) -> Role | None:
        owning = (Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD)
        if value is not None and value not in owning:
            raise ValueError(f"{value.value!r} may not own complaints; one of {', '.join(r.value for r in owning)}")
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
