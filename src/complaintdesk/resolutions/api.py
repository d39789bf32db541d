"""REST endpoints of the resolutions (DESIGN.md §5): plans, approvals and delegations, the budget,
petty cash, the legal step and precedents. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from complaintdesk.complaints.api.responses import ERRORS
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.errors import FieldProblem, NotFound, ValidationFailed
from complaintdesk.core.policies import policy_of
from complaintdesk.resolutions import display
from complaintdesk.resolutions.schemas import (
    AdviceIn,
    AgreementOut,
    ApprovalOut,
    BudgetOut,
    ConsultationOut,
    CountersignIn,
    CustomerDecisionIn,
    DecisionIn,
    DelegationIn,
    DelegationOut,
    LegalFileIn,
    LegalIn,
    LegalOut,
    NoteIn,
    PayoutOut,
    PettyCashIn,
    PlanIn,
    PlanOut,
    PrecedentOut,
    PreviewOut,
    ReportIn,
    ReportOut,
)
from complaintdesk.resolutions.selectors.budget import MONTH_RE
from complaintdesk.resolutions.selectors.budget_units import budget_overview, default_month
from complaintdesk.resolutions.selectors.plans import (
    approval_get,
    approvals_for,
    delegations_of,
    payouts,
    plan_get,
    plans_of,
    require_budget_reader,
)
from complaintdesk.resolutions.selectors.precedents import precedents
from complaintdesk.resolutions.services import (
    CostLineInput,
    PlanInput,
    agreement_record,
    approval_decide,
    delegation_create,
    delegation_revoke,
    legal_advise,
    legal_file,
    legal_report,
    legal_request,
    petty_cash_countersign,
    petty_cash_pay,
    plan_check,
    plan_customer_decision,
    plan_implemented,
    plan_proposed,
    plan_submit,
)
from complaintdesk.resolutions.services.common import require_owner

router = Router(tags=["resolutions"])


def _input(payload: PlanIn) -> PlanInput:
    return PlanInput(tier=payload.tier, what=payload.what, who=payload.who, when=payload.when, where=payload.where,
                     why=payload.why, how=payload.how, emergency_reason=payload.emergency_reason,
                     reuse_of=payload.reuse_of,
                     lines=[CostLineInput(kind=line.kind, amount=line.amount, currency=line.currency,
                                          description=line.description) for line in payload.lines])


def _plan(plan_id: int, request: HttpRequest) -> dict[str, Any]:
    plan = plan_get(request.user, plan_id)
    return display.plan_view(plan, policy_of(plan.complaint.policy_version))


# --- plans -------------------------------------------------------------------------------------


@router.post("/complaints/{number}/plans", response={201: PlanOut, **ERRORS}, summary="Write a handling plan")
def plan_create(request: HttpRequest, number: str, payload: PlanIn) -> Status[dict[str, Any]]:
    """5W1H and cost lines. The plan's total goes to the approver(s) the policy's matrix names for
    that amount, tier and complaint level; within the author's own limit it is authorised at once.
    A plan that would exceed the monthly budget needs ``emergency_reason`` and the escalation."""
    plan = plan_submit(actor=request.user, number=number, data=_input(payload))
    return Status(201, _plan(plan.pk, request))


@router.post("/complaints/{number}/plans/preview", response={200: PreviewOut, **ERRORS},
             summary="What submitting this plan would do (nothing is written)")
def plan_preview(request: HttpRequest, number: str, payload: PlanIn) -> dict[str, Any]:
    complaint = access_complaint(request.user, number)
    require_owner(request.user, complaint)
    policy = policy_of(complaint.policy_version)
    return display.plan_preview(policy, plan_check(policy, complaint, request.user, _input(payload),
                                                    timezone.now()))


@router.get("/complaints/{number}/plans", response={200: list[PlanOut], **ERRORS}, summary="The plans of a complaint")
def plan_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    complaint = access_complaint(request.user, number)
    policy = policy_of(complaint.policy_version)
    return [display.plan_view(plan, policy) for plan in plans_of(complaint)]


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="One plan")
def plan_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan(plan_id, request)


@router.post("/plans/{plan_id}/customer-decision", response={200: PlanOut, **ERRORS},
             summary="The customer accepts or refuses the proposed solution")
def plan_decision(request: HttpRequest, plan_id: int, payload: CustomerDecisionIn) -> dict[str, Any]:
    """A refusal needs the customer's own words; it ends the plan and returns the complaint to
    planning (a resolved complaint is reopened)."""
    plan_customer_decision(actor=request.user, plan_id=plan_id, decision=payload.decision, words=payload.words,
                           channel=payload.channel)
    return _plan(plan_id, request)


@router.post("/plans/{plan_id}/proposed", response={200: PlanOut, **ERRORS},
             summary="The solution was proposed to the customer")
def plan_mark_proposed(request: HttpRequest, plan_id: int, payload: NoteIn | None = None) -> dict[str, Any]:
    plan_proposed(actor=request.user, plan_id=plan_id, note=payload.note if payload else "")
    return _plan(plan_id, request)


@router.post("/plans/{plan_id}/implemented", response={200: PlanOut, **ERRORS},
             summary="The approved solution was carried out")
def plan_mark_implemented(request: HttpRequest, plan_id: int, payload: NoteIn | None = None) -> dict[str, Any]:
    plan_implemented(actor=request.user, plan_id=plan_id, note=payload.note if payload else "")
    return _plan(plan_id, request)


@router.get("/complaints/{number}/precedents", response={200: list[PrecedentOut], **ERRORS},
            summary="Resolved complaints like this one and their solutions, best first")
def precedent_list(request: HttpRequest, number: str, q: str = "", any_model: bool = False) -> list[dict[str, Any]]:
    """Same category and product model (``any_model=true``: any model), optionally matching words
    (Chinese or English). Best first: satisfaction at the return visit, the customer's acceptance,
    then the speed of the resolution."""
    complaint = access_complaint(request.user, number)
    policy = policy_of(complaint.policy_version)
    found = precedents(request.user, complaint, policy, q=q, same_model=not any_model,
                       language=get_language() or "zh-hans")
    return [display.precedent_view(p, policy) for p in found]


# --- approvals and delegations ---------------------------------------------------------------------


class ApprovalQuery(Schema):
    state: str = "pending"
    mine: bool = True


@router.get("/approvals", response={200: list[ApprovalOut], **ERRORS}, summary="Approval inbox")
def approval_list(request: HttpRequest, query: Query[ApprovalQuery]) -> list[dict[str, Any]]:
    """``state``: pending (default), decided, approved, rejected, waiting, cancelled, all.
    ``mine=true``: the approvals named for me and for whoever delegated to me now."""
    states = {"pending", "decided", "approved", "rejected", "waiting", "cancelled", "all"}
    if query.state not in states:
        raise ValidationFailed([FieldProblem("state", _("state is one of: %(all)s.")
                                             % {"all": ", ".join(sorted(states))})])
    return [display.approval_view(a) for a in approvals_for(request.user, state=query.state, mine=query.mine)[:500]]


@router.get("/approvals/{approval_id}", response={200: ApprovalOut, **ERRORS}, summary="One approval")
def approval_detail(request: HttpRequest, approval_id: int) -> dict[str, Any]:
    return display.approval_view(approval_get(request.user, approval_id))


@router.post("/approvals/{approval_id}/decision", response={200: ApprovalOut, **ERRORS},
             summary="Approve or reject, with a comment")
def approval_decision(request: HttpRequest, approval_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Only the named approver, or their delegate while they are away; never the plan's author; a
    decided approval stays decided (409)."""
    approval = approval_decide(actor=request.user, approval_id=approval_id, decision=payload.decision,
                               comment=payload.comment)
    return display.approval_view(approval_get(request.user, approval.pk))


@router.get("/delegations", response={200: list[DelegationOut], **ERRORS}, summary="My delegations")
def delegation_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [display.delegation_view(d) for d in delegations_of(request.user)]


@router.post("/delegations", response={201: DelegationOut, **ERRORS}, summary="Delegate approvals while away")
def delegation_add(request: HttpRequest, payload: DelegationIn) -> Status[dict[str, Any]]:
    delegation = delegation_create(actor=request.user, to=payload.to, until=payload.until, start=payload.start,
                                   reason=payload.reason, from_user=payload.from_user)
    return Status(201, display.delegation_view(delegation))


@router.post("/delegations/{delegation_id}/revoke", response={200: DelegationOut, **ERRORS},
             summary="End a delegation")
def delegation_end(request: HttpRequest, delegation_id: int) -> dict[str, Any]:
    return display.delegation_view(delegation_revoke(actor=request.user, delegation_id=delegation_id))


# --- budget ------------------------------------------------------------------------------------


@router.get("/budget", response={200: BudgetOut, **ERRORS}, summary="Spend against the monthly budget, per unit")
def budget(request: HttpRequest, month: str = "", unit: str = "") -> dict[str, Any]:
    """``month=YYYY-MM`` (default: this month in the organisation's time zone), ``unit=<code>``
    (default: the first budget of the reader's units): spend, commitments of plans waiting for
    approval, what is left, by kind, and the month's entries of that unit's budget; ``units``: the
    position of every budget the reader reads (each unit with its own policy keeps its own)."""
    require_budget_reader(request.user)
    now = timezone.now()
    month = month.strip() or default_month(request.user, now)
    if not MONTH_RE.match(month):
        raise ValidationFailed([FieldProblem("month", _("Write the month as YYYY-MM, e.g. 2026-03."))])
    overview = budget_overview(request.user, month, now, unit=unit)
    if overview.report is None:
        raise NotFound(_("The policy in force has no monthly budget."))
    return display.budget_overview_view(overview)


# --- petty cash --------------------------------------------------------------------------------


@router.post("/complaints/{number}/petty-cash", response={201: PayoutOut, **ERRORS},
             summary="Pay a small amount from petty cash, with its voucher")
def petty_cash_create(request: HttpRequest, number: str, payload: PettyCashIn) -> Status[dict[str, Any]]:
    payout = petty_cash_pay(actor=request.user, number=number, kind=payload.kind, amount=payload.amount,
                            description=payload.description, voucher_number=payload.voucher_number,
                            currency=payload.currency)
    return Status(201, display.payout_view(payout))


@router.get("/petty-cash", response={200: list[PayoutOut], **ERRORS}, summary="Petty-cash payouts")
def petty_cash_list(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    """``state``: pending (awaiting the countersignature), countersigned, or empty for all."""
    if state not in {"", "pending", "countersigned"}:
        raise ValidationFailed([FieldProblem("state", _("state is pending or countersigned."))])
    return [display.payout_view(p) for p in payouts(request.user, state=state)[:500]]


@router.post("/petty-cash/{payout_id}/countersign", response={200: PayoutOut, **ERRORS},
             summary="The manager countersigns a payout afterwards")
def petty_cash_sign(request: HttpRequest, payout_id: int, payload: CountersignIn | None = None) -> dict[str, Any]:
    payout = petty_cash_countersign(actor=request.user, payout_id=payout_id,
                                    comment=payload.comment if payload else "")
    return display.payout_view(payout)


# --- legal -------------------------------------------------------------------------------------


@router.post("/complaints/{number}/legal", response={201: ConsultationOut, **ERRORS},
             summary="Legal consultation (urgent: phoned first, the form filed afterwards)")
def legal_create(request: HttpRequest, number: str, payload: LegalIn) -> Status[dict[str, Any]]:
    consultation = legal_request(actor=request.user, number=number, fields=payload.fields, phoned=payload.phoned,
                                 phone_note=payload.phone_note)
    return Status(201, display.consultation_view(consultation))


@router.get("/complaints/{number}/legal", response={200: LegalOut, **ERRORS}, summary="The legal step of a complaint")
def legal_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    complaint = access_complaint(request.user, number)
    return display.legal_view(complaint)


@router.post("/legal/{consultation_id}/file", response={200: ConsultationOut, **ERRORS},
             summary="File the form of a consultation phoned first")
def legal_form(request: HttpRequest, consultation_id: int, payload: LegalFileIn) -> dict[str, Any]:
    return display.consultation_view(legal_file(actor=request.user, consultation_id=consultation_id,
                                                fields=payload.fields))


@router.post("/legal/{consultation_id}/advice", response={200: ConsultationOut, **ERRORS},
             summary="Legal's advice (legal role)")
def legal_advice(request: HttpRequest, consultation_id: int, payload: AdviceIn) -> dict[str, Any]:
    return display.consultation_view(legal_advise(actor=request.user, consultation_id=consultation_id,
                                                  advice=payload.advice, company_at_fault=payload.company_at_fault))


@router.post("/complaints/{number}/agreements", response={201: AgreementOut, **ERRORS},
             summary="Settlement agreement (multipart: kind, terms, file)")
def agreement_create(request: HttpRequest, number: str, kind: Form[str] = "", terms: Form[str] = "",
                     file: File[UploadedFile | None] = None) -> Status[dict[str, Any]]:
    agreement = agreement_record(actor=request.user, number=number, kind=kind, terms=terms, file=file)
    return Status(201, display.agreement_view(agreement))


@router.post("/complaints/{number}/legal-report", response={201: ReportOut, **ERRORS},
             summary="Report the final outcome to legal")
def legal_outcome(request: HttpRequest, number: str, payload: ReportIn) -> Status[dict[str, Any]]:
    report = legal_report(actor=request.user, number=number, text=payload.text)
    return Status(201, display.report_view(report))
