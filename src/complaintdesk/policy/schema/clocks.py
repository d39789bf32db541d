"""Clocks: the events that start and stop them, what they apply to, their actions."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from complaintdesk.policy.schema.base import (
    Code,
    Duration,
    Role,
    Strict,
    Text,
)
from complaintdesk.policy.schema.intake import (
    ChannelKind,
)


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
    URGENCY_RAISED = "urgency_raised"
    # a regulator or another department's transfer was recorded; a clock it starts is due at the
    # transferring body's own deadline when the transfer names one (its duration applies otherwise)
    TRANSFERRED = "transferred"


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
    without_flags: list[Code] = Field(
        default_factory=list,
        description=("not on complaints with any of these flags when the clock starts (insurer: a 12378 transfer "
                     "without a violation is accepted within a working day; one with a violation is reported "
                     "to group audit instead)"),
    )
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


class Clock(Strict):
    code: Code
    label: Text
    starts: ClockEvent
    stops: list[ClockEvent] = Field(min_length=1)
    duration: Duration
    not_before: Duration | None = Field(
        default=None,
        description="earliest-start window: the act that meets the clock is refused before this time after "
        "the start (a follow-up visit one to two months after handling: not_before 1mo, duration 2mo)",
    )
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

    @model_validator(mode="after")
    def _plain_warning(self) -> Clock:
        for name, value in (("warn_before", self.warn_before),):
            if value is not None and not value.is_plain:
                raise ValueError(f"{name} is an amount of time (e.g. 2h or 1wd), not a cut-off or a day of the month")
        if self.repeats and self.not_before is not None:
            raise ValueError("a repeating clock has no earliest-start window (not_before)")
        return self


