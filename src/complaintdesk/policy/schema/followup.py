"""Return visits, the unreachable customer, judgement and appeals."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from complaintdesk.policy.schema.base import (
    Code,
    Duration,
    Role,
    Strict,
    Text,
    Unit,
)
from complaintdesk.policy.schema.intake import (
    Option,
)


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


