"""Input and output shapes of the resolutions API. Inputs are lenient (amounts may come as text or
numbers): the services validate every field against the policy and report every problem at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import AliasChoices

from complaintdesk.complaints.schemas import In


class CostLineIn(In):
    kind: str = ""
    amount: Any = Field(None, description="a decimal amount ≥ 0 with at most two decimals, e.g. \"2500.00\"")
    currency: str = Field("", description="one of the policy's currencies; default the approval matrix's")
    description: str = ""


class PlanIn(In):
    """A handling plan: 5W1H and how much."""

    tier: str = Field("", description="a solution tier code of the policy's catalogue",
                      validation_alias=AliasChoices("tier", "solution_tier"))
    what: str = ""
    who: str = ""
    when: str = ""
    where: str = Field("", description="where, or on which platform")
    why: str = ""
    how: str = ""
    lines: list[CostLineIn] = Field(default_factory=list, description="the cost lines (also accepted as cost_lines)",
                                    validation_alias=AliasChoices("lines", "cost_lines", "costs"))
    emergency_reason: str = Field("", description="required when the plan would exceed the monthly budget")
    reuse_of: int | None = Field(None, description="the id of a precedent plan this one reuses")


class DecisionIn(In):
    decision: str = Field(..., description="approve | reject")
    comment: str = ""


class CustomerDecisionIn(In):
    decision: str = Field(..., description="accepted | refused")
    words: str = Field("", description="the customer's own words (required for a refusal)")
    channel: str = Field("phone", description="phone | in_person | email | letter | sms")


class NoteIn(In):
    note: str = ""


class DelegationIn(In):
    to: str = Field(..., description="username of the delegate")
    until: str = Field(..., description="end, ISO date-time (organisation's time zone if no offset)")
    start: str = Field("", description="start, default now")
    reason: str = ""
    from_user: str = Field("", description="administrators only: the approver who is away")


class PettyCashIn(In):
    kind: str = ""
    amount: Any = None
    description: str = ""
    voucher_number: str = ""
    currency: str = ""


class CountersignIn(In):
    comment: str = ""


class LegalIn(In):
    fields: dict[str, Any] = Field(default_factory=dict, description="the policy's consultation form fields")
    phoned: bool = Field(False, description="urgent: legal was phoned first; the form is filed afterwards")
    phone_note: str = ""


class LegalFileIn(In):
    fields: dict[str, Any] = Field(default_factory=dict)


class AdviceIn(In):
    advice: str = ""
    company_at_fault: bool | None = None


class ReportIn(In):
    text: str = ""


class PersonOut(Schema):
    username: str
    name: str


class CodeLabel(Schema):
    code: str
    label: str


class TierOut(Schema):
    code: str
    label: str
    rank: int | None = None
    approver: CodeLabel | None = None
    condition: str = ""


class ApprovalOut(Schema):
    id: int
    plan_id: int
    plan: int
    complaint: str
    step: int
    role: CodeLabel
    reason: CodeLabel
    approver: PersonOut
    state: str
    state_label: str
    requested_at: datetime | None
    decided_at: datetime | None
    decided_by: PersonOut | None
    on_behalf_of: PersonOut | None
    comment: str
    due_at: datetime | None
    total: str | None = None
    currency: str | None = None
    author: PersonOut | None = None
    tier: TierOut | None = None
    what: str | None = None
    over_budget: bool | None = None
    emergency_reason: str | None = None


class CostLineOut(Schema):
    kind: CodeLabel
    description: str
    amount: str
    currency: str
    counts_against_budget: bool


class CustomerDecisionOut(Schema):
    decision: str | None
    decision_label: str
    words: str
    channel: str | None
    at: datetime | None
    recorded_by: PersonOut | None


class PlanOut(Schema):
    id: int
    complaint: str
    sequence: int
    tier: TierOut | None
    what: str
    who: str
    when: str
    where: str
    why: str
    how: str
    currency: str
    total: str
    budget_total: str
    state: str
    state_label: str
    cleared: bool
    within_limit_of: CodeLabel | None
    route: list[CodeLabel]
    route_reason: CodeLabel
    over_budget: bool
    emergency_reason: str
    author: PersonOut
    created_at: datetime
    decided_at: datetime | None
    proposed_at: datetime | None
    implemented_at: datetime | None
    implementation_note: str
    customer: CustomerDecisionOut
    reused_from: int | None
    lines: list[CostLineOut]
    approvals: list[ApprovalOut]


class StepOut(Schema):
    role: CodeLabel
    reason: CodeLabel
    approver: PersonOut | None
    delegate: PersonOut | None


class PositionOut(Schema):
    month: str
    monthly: str
    currency: str
    spend: str
    commitments: str
    left: str
    over: bool
    used_percent: int
    escalate_to: str


class PreviewOut(Schema):
    """What submitting this plan would do: its route, the budget after it, and its problems."""

    total: str
    currency: str
    earlier: str = Field(description="spent on the complaint before this plan (implemented plans, petty cash); "
                                     "the approval limits count it with the plan's total")
    budget_total: str
    authorised_within_limit: bool
    within_limit_of: CodeLabel | None
    steps: list[StepOut]
    budget: PositionOut | None
    budget_after: str | None
    over_budget: bool
    escalate_to: CodeLabel | None
    problems: list[dict[str, str]]


class BudgetKindOut(Schema):
    kind: CodeLabel
    amount: str


class BudgetEntryOut(Schema):
    complaint: str
    plan: int | None
    payout: int | None
    kind: CodeLabel
    amount: str
    currency: str
    counts: bool
    at: datetime
    approver: PersonOut | None


class PendingOut(Schema):
    complaint: str
    plan: int
    plan_id: int
    amount: str
    currency: str
    author: PersonOut
    created_at: datetime


class BudgetUnitOut(Schema):
    unit: CodeLabel
    month: str
    monthly: str
    currency: str
    spend: str
    commitments: str
    left: str
    over: bool
    used_percent: int
    escalate_to: CodeLabel


class BudgetOut(Schema):
    unit: CodeLabel | None = None
    units: list[BudgetUnitOut] = []
    month: str
    monthly: str
    currency: str
    spend: str
    commitments: str
    left: str
    over: bool
    used_percent: int
    escalate_to: CodeLabel
    kinds: list[BudgetKindOut]
    other_costs: str
    entries: list[BudgetEntryOut]
    pending: list[PendingOut]


class DelegationOut(Schema):
    id: int
    from_user: PersonOut
    to: PersonOut
    starts_at: datetime
    ends_at: datetime
    reason: str
    active: bool
    revoked_at: datetime | None


class PayoutOut(Schema):
    id: int
    complaint: str
    kind: CodeLabel
    description: str
    amount: str
    currency: str
    voucher_number: str
    paid_by: PersonOut
    paid_at: datetime
    state: str
    state_label: str
    countersigned_by: PersonOut | None
    countersigned_at: datetime | None
    comment: str
    countersign_due_at: datetime | None


class FieldValueOut(Schema):
    code: str
    label: str
    value: Any
    required: bool


class ConsultationOut(Schema):
    id: int
    complaint: str
    state: str
    state_label: str
    phoned: bool
    phone_note: str
    phoned_at: datetime | None
    filed_at: datetime | None
    filing_due_at: datetime | None
    requested_by: PersonOut
    requested_at: datetime
    fields: list[FieldValueOut]
    values: dict[str, Any]
    advice: str
    company_at_fault: bool | None
    advised_by: PersonOut | None
    advised_at: datetime | None


class AgreementOut(Schema):
    id: int
    kind: CodeLabel
    written: bool
    terms: str
    file_name: str | None
    size: int
    sha256: str | None
    recorded_by: PersonOut
    recorded_at: datetime
    filed_with_legal_at: datetime | None


class ReportOut(Schema):
    id: int
    text: str
    reported_by: PersonOut
    reported_at: datetime


class LegalOut(Schema):
    complaint: str
    consultations: list[ConsultationOut]
    agreements: list[AgreementOut]
    report: ReportOut | None
    report_due_at: datetime | None


class PrecedentSatisfactionOut(Schema):
    code: str
    label: str
    score: int | None


class PrecedentLineOut(Schema):
    kind: str
    kind_label: str
    description: str
    amount: str
    currency: str


class PrecedentOut(Schema):
    complaint: str
    model: str
    category: str
    reason: str
    resolved_at: datetime | None
    days: float | None
    plan_id: int
    plan: int
    tier: TierOut | None
    what: str
    how: str
    who: str
    where: str
    why: str
    when: str
    total: str
    currency: str
    accepted: bool
    satisfaction: PrecedentSatisfactionOut | None
    lines: list[PrecedentLineOut]
