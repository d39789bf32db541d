"""Input and output shapes of complaints, shared by the REST API and the web form.

Inputs are deliberately lenient (dates and numbers as text): the registration service validates
every field against the policy and reports every problem at once, in the caller's language,
instead of stopping at the first type error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from complaintdesk.complaints.inputs import AmendmentInput, CustomerInput, ProductInput, RegistrationInput
from complaintdesk.core.schemas import ErrorFieldOut, ErrorOut


class In(BaseModel):
    """Request bodies: plain Pydantic (a string is never taken for an object) and unknown keys are
    refused, so a misspelt field is reported instead of silently ignored."""

    model_config = ConfigDict(extra="forbid")


class CustomerIn(In):
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    name_note: str = Field("", description="why the customer's name is missing, if it is")
    kind: str = "individual"
    company: str = ""
    phone: str = ""
    email: str = ""
    social_account: str = ""
    address: str = ""
    special_identity: str = ""
    emotion: str = ""
    language: str = ""

    def to_input(self) -> CustomerInput:
        return CustomerInput(**self.model_dump())


class ProductIn(In):
    model: str = ""
    imei: str = ""
    build_number: str = ""
    purchase_date: str = Field("", description="YYYY-MM-DD; mark approximate dates")
    purchase_date_approximate: bool = False
    place_of_purchase: str = ""
    lot_number: str = ""

    def to_input(self) -> ProductInput:
        return ProductInput(**self.model_dump())


class ComplaintIn(In):
    """A registration: customer, product, door, classification and the three-part description."""

    customer: CustomerIn
    product: ProductIn = Field(default_factory=ProductIn)
    channel: str
    case_origin: str = ""
    category: str
    targets: list[str] = Field(default_factory=list)
    reason_codes: list[str] = Field(default_factory=list, description="reason taxonomy path, level 1 first")
    reason: str = Field("", description="1. the target and the concern")
    description: str = Field("", description="2. the issue description")
    customer_request: str = Field("", description="3. the solution and deadline the customer wants")
    requested_deadline: str = ""
    facts: dict[str, Any] = Field(default_factory=dict)
    missing_notes: dict[str, str] = Field(default_factory=dict)
    flags: list[str] = Field(default_factory=list)
    level: str = Field("", description="empty: take the suggested level")
    level_override_reason: str = ""
    urgent: bool = Field(False, description="the complaint is urgent (starts the clocks on urgency_raised)")
    urgency_reason: str = Field("", description="why it is urgent (optional at registration)")
    earlier_case_ids: list[str] = Field(default_factory=list)
    repair_ids: list[str] = Field(default_factory=list)
    units: int | None = None
    received_at: str = Field("", description="when the complaint was received; default now")
    unit: str = Field("", description="code of the unit that received the complaint; default the registering "
                                      "user's home unit")
    source_number: str = Field("", description="the complaint's number in the system it comes from (an earlier "
                                               "system's register, a CRM ticket); one already on record at the "
                                               "same unit is refused, so a complaint sent twice is registered "
                                               "once")

    def to_input(self) -> RegistrationInput:
        """What the registration service takes."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        return RegistrationInput(**{**values, "customer": self.customer.to_input(),
                                    "product": self.product.to_input()})


class ComplaintAmendIn(In):
    """Fields that may be amended after registration; only those given change."""

    facts: dict[str, Any] | None = None
    missing_notes: dict[str, str] | None = None
    reason: str | None = None
    description: str | None = None
    customer_request: str | None = None
    targets: list[str] | None = None
    reason_codes: list[str] | None = None
    flags: list[str] | None = None
    level: str | None = None
    level_override_reason: str | None = None
    earlier_case_ids: list[str] | None = None
    repair_ids: list[str] | None = None
    case_origin: str | None = None
    customer: CustomerIn | None = None
    product: ProductIn | None = None
    comment: str = ""

    def to_input(self) -> AmendmentInput:
        """What the amendment service takes."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        return AmendmentInput(**{**values,
                                 "customer": self.customer.to_input() if self.customer is not None else None,
                                 "product": self.product.to_input() if self.product is not None else None})


class FactOut(Schema):
    code: str
    label: str
    type: str
    required: bool
    note_allowed: bool
    state: str  # present | noted | missing | optional
    value: Any = None
    note: str = ""


class CompletenessOut(Schema):
    complete: bool
    missing: list[str]
    noted: list[str]
    facts: list[FactOut]


class TimelineOut(Schema):
    at: datetime
    kind: str
    actor: str | None
    text: str
    data: dict[str, Any]


class CustomerOut(Schema):
    title: str
    name: str
    first_name: str
    last_name: str
    name_note: str
    kind: str
    company: str
    phone: str
    email: str
    social_account: str
    address: str
    special_identity: str
    emotion: str
    language: str
    masked: bool


class ProductOut(Schema):
    model: str
    imei: str
    build_number: str
    purchase_date: date | None
    purchase_date_approximate: bool
    place_of_purchase: str
    lot_number: str


class LabelledOut(Schema):
    code: str
    label: str


class WorkOrderProposalOut(Schema):
    """The work order the policy proposes: the department responsible for the root cause (or the
    reason) or the category (``basis``), due by its work_order_due from now."""

    department: LabelledOut
    basis: str
    due_in: str
    due_at: datetime
    provisional: bool


class ComplaintUnitOut(Schema):
    """The organisation unit a complaint belongs to."""

    code: str
    name: str


class ComplaintSummaryOut(Schema):
    number: str
    status: str
    status_label: str
    level: LabelledOut
    category: LabelledOut
    channel: LabelledOut
    primary_target: LabelledOut | None
    customer: str
    owner: str
    complete: bool
    received_at: datetime
    registered_at: datetime
    reply_due_at: datetime | None
    reason: str
    unit: ComplaintUnitOut


class ClockOut(Schema):
    code: str
    label: str
    subject: str
    status: str
    started_at: datetime
    due_at: datetime
    provisional: bool
    working: bool
    remaining_seconds: int
    overdue: bool
    paused: bool
    extensions: list[dict[str, Any]]
    breached_at: datetime | None
    stopped_at: datetime | None


class WorkOrderOut(Schema):
    id: int
    number: str
    department: LabelledOut
    kind: str
    urgent: bool
    request: str
    status: str
    created_by: str
    created_at: datetime
    due_at: datetime
    reply: str
    replied_by: str | None
    replied_at: datetime | None
    follow_up: str
    complaint: str
    level: str = ""


class ProgressOut(Schema):
    id: int
    day: date
    verified: str
    description_true: bool | None
    done: str
    next_step: str
    no_update_reason: str
    author: str
    created_at: datetime
    attachments: list[str]


class ContactOut(Schema):
    at: datetime
    purpose: str
    outcome: str
    note: str
    by: str


class ComplaintOut(ComplaintSummaryOut):
    policy: str
    version: int
    suggested_level: LabelledOut
    level_override_reason: str
    triggers: list[dict[str, Any]]
    targets: list[LabelledOut]
    flags: list[LabelledOut]
    reason_codes: list[LabelledOut]
    case_origin: str
    source_number: str
    description: str
    customer_request: str
    requested_deadline: datetime | None
    earlier_case_ids: list[str]
    repair_ids: list[str]
    units: int | None
    reply_due_provisional: bool
    repeats: list[str]
    repeated_by: list[str]
    customer_detail: CustomerOut
    product: ProductOut | None
    completeness: CompletenessOut
    timeline: list[TimelineOut]
    waiting_on: str
    major_opened_at: datetime | None
    major_solved_at: datetime | None
    urgent: bool
    missed_update_days: int
    outcome_reason: str
    withdrawn_by: str
    actions: list[str]
    clocks: list[ClockOut]
    work_orders: list[WorkOrderOut]
    progress: list[ProgressOut]
    contacts: list[ContactOut]


class ActionIn(In):
    """Fields used by some actions: reject (reason), withdraw (withdrawn_by), reopen/resolve (note),
    escalate (level, reason), handover (to, reason), pause (condition, note), extend (clock, by, reason),
    report_to_hq / report_violation / agree_major_solution / mark_urgent (reason). A field an action
    does not take is ignored."""

    note: str = ""
    reason: str = ""
    to: str = ""
    level: str = ""
    condition: str = ""
    clock: str = ""
    by: str = Field("", description="extend: the extension, a number and a unit — 2个工作日, 2 working days, 24小时, "
                                    "24 hours, 3天, 2 weeks, or the policy's short form 2wd, 24h")
    withdrawn_by: str = ""
    root_cause: list[str] = Field(default_factory=list, description="resolve: reason path down to the root cause")
    corrective_action: str = Field("", description="resolve: how we avoid this happening again")


class ProgressIn(In):
    day: str = ""
    verified: str = ""
    description_true: bool | None = None
    done: str = ""
    next_step: str = ""
    no_update_reason: str = ""


class WorkOrderIn(In):
    department: str
    request: str
    urgent: bool = False
    kind: str = "complaint"


class WorkOrderRouteIn(In):
    """The proposed work order: the department and its due time come from the policy."""

    request: str
    urgent: bool = False


class WorkOrderReplyIn(In):
    reply: str


class FollowUpIn(In):
    note: str


class ContactIn(In):
    outcome: str
    note: str = ""
    at: str = ""
    purpose: str = "handling"


class PageOut(Schema):
    count: int | None
    page: int
    page_size: int
    has_next: bool
    results: list[ComplaintSummaryOut]


__all__ = ["ErrorFieldOut", "ErrorOut"]  # the error answer lives in core.schemas, shared by every router
