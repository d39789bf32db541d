"""Input and output shapes of return visits, surveys, judgements and appeals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from complaintdesk.complaints.schemas import In


class ReturnVisitIn(In):
    """One call of the return visit, or its result.

    ``outcome``: a call outcome (reached, no_answer, busy, switched_off, wrong_number, refused) or
    the result ``callback_failed`` (only after the policy's calls on that many different days) or
    ``no_visit_needed`` (with ``reason``). With ``reached`` give ``satisfaction`` (a code of the
    policy's scale) and, where the policy requires it, ``reason`` (the customer's words)."""

    outcome: str
    at: str = Field("", description="when the call was made (YYYY-MM-DD HH:MM, organisation's time zone); "
                                    "default now; never in the future")
    satisfaction: str | int = Field("", description="a code of the policy's scale, or its score")
    reason: str = ""
    note: str = ""


class AssignIn(In):
    to: str = Field(description="username of the agent who makes the return visit")


class SurveyAnswerIn(In):
    satisfaction: str | int
    reason: str = ""


class JudgementIn(In):
    validity: str = Field("", description="valid | invalid (may be left out: the category names it)")
    category: str = Field(description="a code of the policy's judgement.valid or judgement.invalid")
    company_at_fault: bool | None = None
    responsibility: str = Field("", description="instead of company_at_fault: company (at fault) or no_fault, or "
                                                "a code of the policy's responsibility list")
    staff: str = Field(description="username of the member of staff the complaint is about")
    note: str = ""
    compensation: str = Field("", description="compensation borne by the staff member (policy staff_pays)")


class AppealIn(In):
    grounds: str = Field("", description="why the staff member disagrees")
    reason: str = Field("", description="the same as grounds")


class AppealDecisionIn(In):
    """``decision``: upheld (the judgement stands) or changed (to validity/category/company_at_fault)."""

    decision: str
    validity: str = ""
    category: str = ""
    company_at_fault: bool | None = None
    note: str = ""


class LabelOut(Schema):
    code: str
    label: str


class SatisfactionOut(LabelOut):
    score: int | None


class CallOut(Schema):
    at: datetime
    outcome: str
    outcome_label: str
    note: str
    by: str


class CallbackProgressOut(Schema):
    calls: int
    days: int
    required_calls: int
    required_days: int
    calls_needed: int
    days_needed: int
    callback_failed_allowed: bool


class VisitWorkOrderOut(Schema):
    number: str
    status: str
    department: str
    reply: str
    replied_at: datetime | None


class SurveyLinkOut(Schema):
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    channel: str


class ReturnVisitOut(Schema):
    id: int
    complaint: str
    cycle: int
    state: str
    state_label: str
    opened_at: datetime
    due_at: datetime
    due_provisional: bool
    overdue: bool
    assigned_to: str | None
    assigned_to_name: str
    result: str
    result_label: str
    channel: str
    satisfaction: SatisfactionOut | None
    outcome: str
    reason: str
    note: str
    completed_at: datetime | None
    completed_by: str | None
    calls: list[CallOut]
    progress: CallbackProgressOut | None
    work_order: VisitWorkOrderOut | None
    after_dealer: bool
    survey_links: list[SurveyLinkOut]


class SurveyLinkSentOut(Schema):
    visit: int
    channel: str
    expires_at: datetime


class SurveyQuestionOut(Schema):
    complaint: str
    organisation: str
    language: str
    expires_at: datetime
    scale: list[dict[str, Any]]


class ResultOut(Schema):
    validity: str
    category: LabelOut
    company_at_fault: bool
    text: str


class AnswerOut(Schema):
    role: str
    by: str
    at: datetime
    decision: str
    result: ResultOut
    note: str


class AppealOut(Schema):
    appellant: str
    filed_at: datetime
    grounds: str
    original: ResultOut
    reviewer: str | None
    reviewed_at: datetime | None
    review_decision: str
    review_result: ResultOut | None
    review_note: str
    second_review_due_at: datetime | None
    second_review_overdue: bool
    answers: list[AnswerOut]
    pending_roles: list[str]
    answered_at: datetime | None
    final: ResultOut | None
    changed: bool


class JudgementOut(Schema):
    id: int
    complaint: str
    staff: str
    staff_name: str
    validity: str
    validity_label: str
    category: LabelOut
    company_at_fault: bool
    note: str
    consequence: str
    staff_pays: bool
    compensation: Decimal | None
    currency: str
    judged_by: str
    judged_at: datetime
    appeal_deadline: datetime
    appeal_deadline_provisional: bool
    appeal_state: str
    appeal_state_label: str
    revised_at: datetime | None
    text: str
    can_appeal: bool
    appeal: AppealOut | None


class StatisticsRowOut(Schema):
    staff: str
    staff_name: str
    category: LabelOut
    count: int
