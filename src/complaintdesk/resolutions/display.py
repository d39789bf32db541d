"""Plans, approvals, payouts, legal records and the budget as plain data in the viewer's language,
shared by the API and the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.services import ACTIVE
from complaintdesk.complaints.display import label_of
from complaintdesk.core.i18n import current_language as lang
from complaintdesk.core.i18n import listed
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.schema import Policy, SolutionTier
from complaintdesk.resolutions.models import (
    Approval,
    BudgetEntry,
    Delegation,
    LegalConsultation,
    LegalReport,
    PettyCashPayout,
    Plan,
    SettlementAgreement,
)
from complaintdesk.resolutions.selectors.budget import BudgetPosition, BudgetReport
from complaintdesk.resolutions.selectors.budget_units import BudgetOverview
from complaintdesk.resolutions.selectors.precedents import Precedent
from complaintdesk.resolutions.services.common import money, role_label, running_due
from complaintdesk.resolutions.services.routing import PlanCheck


def reason_text(code: str) -> str:
    texts = {
        "amount": _("by amount"),
        "tier": _("the solution needs this approver"),
        "level": _("compensation standard of the complaint level"),
        "chain": _("approval chain"),
        "budget": _("over budget: emergency escalation"),
        "currency": _("amount in another currency than the matrix"),
        "within_limit": _("within the author's own limit"),
        "no_matrix": _("the policy has no approval matrix"),
    }
    return str(texts.get(code, code))


def amount(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def person(user: Any) -> dict[str, str] | None:
    if user is None:
        return None
    return {"username": user.username, "name": user.display_name()}


def tier_approvers(policy: Policy, tier: SolutionTier) -> str:
    """Who a tier's plans always go to, in order: its reviewer (``reviewed_by``) and its approver."""
    return listed(role_label(policy, role) for role in (tier.reviewed_by, tier.approver) if role is not None)


def tier_view(policy: Policy, code: str) -> dict[str, Any] | None:
    if not code:
        return None
    tier = next((t for t in policy.solution_tiers if t.code == code), None)
    if tier is None:
        return {"code": code, "label": code, "approver": None, "rank": None}
    return {"code": code, "label": tier.label.get(lang()), "rank": tier.rank,
            "approver": {"code": tier.approver.value, "label": tier_approvers(policy, tier)}
            if tier.approver else None,
            "condition": tier.condition.get(lang()) if tier.condition else ""}


def approval_view(approval: Approval, policy: Policy | None = None, *, with_plan: bool = True) -> dict[str, Any]:
    policy = policy or policy_of(approval.complaint.policy_version)
    plan = approval.plan
    out: dict[str, Any] = {
        "id": approval.pk,
        "plan_id": approval.plan_id,
        "plan": plan.sequence,
        "complaint": approval.complaint.number,
        "step": approval.step,
        "role": {"code": approval.role, "label": role_label(policy, approval.role)},
        "reason": {"code": approval.reason, "label": reason_text(approval.reason)},
        "approver": person(approval.approver),
        "state": approval.state,
        "state_label": str(approval.get_state_display()),
        "requested_at": approval.requested_at,
        "decided_at": approval.decided_at,
        "decided_by": person(approval.decided_by),
        "on_behalf_of": person(approval.on_behalf_of),
        "comment": approval.comment,
        "due_at": running_due(approval.complaint_id, f"approval:{approval.pk}")
        if approval.state == Approval.State.PENDING else None,
    }
    if with_plan:
        out.update({
            "total": amount(plan.total), "currency": plan.currency, "author": person(plan.author),
            "tier": tier_view(policy, plan.tier), "what": plan.what, "over_budget": plan.over_budget,
            "emergency_reason": plan.emergency_reason,
        })
    return out


def plan_view(plan: Plan, policy: Policy | None = None) -> dict[str, Any]:
    policy = policy or policy_of(plan.complaint.policy_version)
    kinds = policy.cost_kinds
    return {
        "id": plan.pk,
        "complaint": plan.complaint.number,
        "sequence": plan.sequence,
        "tier": tier_view(policy, plan.tier),
        "what": plan.what, "who": plan.who, "when": plan.when, "where": plan.where, "why": plan.why, "how": plan.how,
        "currency": plan.currency,
        "total": amount(plan.total),
        "budget_total": amount(plan.budget_total),
        "total_text": money(plan.total, plan.currency),
        "state": plan.state,
        "state_label": str(plan.get_state_display()),
        "cleared": plan.cleared,
        "live": plan.live,
        "within_limit_of": {"code": plan.within_limit_of, "label": role_label(policy, plan.within_limit_of)}
        if plan.within_limit_of else None,
        "route": [{"code": code, "label": role_label(policy, code)} for code in plan.route],
        "route_reason": {"code": plan.route_reason, "label": reason_text(plan.route_reason)},
        "over_budget": plan.over_budget,
        "emergency_reason": plan.emergency_reason,
        "author": person(plan.author),
        "created_at": plan.created_at,
        "decided_at": plan.decided_at,
        "proposed_at": plan.proposed_at,
        "implemented_at": plan.implemented_at,
        "implementation_note": plan.implementation_note,
        "customer": {
            "decision": plan.customer_decision or None,
            "decision_label": str(plan.get_customer_decision_display()) if plan.customer_decision else "",
            "words": plan.customer_words, "channel": plan.customer_channel or None,
            "at": plan.customer_decided_at, "recorded_by": person(plan.customer_recorded_by),
        },
        "reused_from": plan.reused_from_id,
        "lines": [{"kind": {"code": line.kind, "label": label_of(kinds, line.kind)}, "description": line.description,
                   "amount": amount(line.amount), "currency": line.currency,
                   "counts_against_budget": line.counts_against_budget} for line in plan.lines.all()],
        "approvals": [approval_view(a, policy, with_plan=False) for a in plan.approvals.all()],
    }


def payout_view(payout: PettyCashPayout, policy: Policy | None = None) -> dict[str, Any]:
    policy = policy or policy_of(payout.complaint.policy_version)
    due = running_due(payout.complaint_id, f"petty_cash:{payout.pk}")
    return {
        "id": payout.pk, "complaint": payout.complaint.number,
        "kind": {"code": payout.kind, "label": label_of(policy.cost_kinds, payout.kind)},
        "description": payout.description, "amount": amount(payout.amount), "currency": payout.currency,
        "amount_text": money(payout.amount, payout.currency),
        "voucher_number": payout.voucher_number, "paid_by": person(payout.paid_by), "paid_at": payout.paid_at,
        "state": payout.state, "state_label": str(payout.get_state_display()),
        "countersigned_by": person(payout.countersigned_by), "countersigned_at": payout.countersigned_at,
        "comment": payout.countersign_comment,
        "countersign_due_at": due if payout.state == PettyCashPayout.State.AWAITING else None,
    }


def consultation_view(consultation: LegalConsultation, policy: Policy | None = None) -> dict[str, Any]:
    policy = policy or policy_of(consultation.complaint.policy_version)
    fields = []
    if policy.legal is not None:
        for fact in policy.legal.consultation_fields:
            value = consultation.fields.get(fact.code)
            if fact.type == "choice" and value:
                value = label_of(fact.options, str(value))
            elif fact.type == "boolean" and value is not None:
                value = _("yes") if value else _("no")
            fields.append({"code": fact.code, "label": fact.label.get(lang()), "value": value,
                           "required": fact.required})
    due = running_due(consultation.complaint_id, f"legal:{consultation.pk}")
    return {
        "id": consultation.pk, "complaint": consultation.complaint.number, "state": consultation.state,
        "state_label": str(consultation.get_state_display()), "phoned": consultation.phoned,
        "phone_note": consultation.phone_note, "phoned_at": consultation.phoned_at, "filed_at": consultation.filed_at,
        "filing_due_at": due if consultation.state == LegalConsultation.State.PHONED else None,
        "requested_by": person(consultation.requested_by), "requested_at": consultation.requested_at,
        "fields": fields, "values": consultation.fields,
        "advice": consultation.advice, "company_at_fault": consultation.company_at_fault,
        "advised_by": person(consultation.advised_by), "advised_at": consultation.advised_at,
    }


def agreement_view(agreement: SettlementAgreement, policy: Policy | None = None) -> dict[str, Any]:
    policy = policy or policy_of(agreement.complaint.policy_version)
    kinds = policy.legal.agreement_kinds if policy.legal else []
    return {
        "id": agreement.pk, "kind": {"code": agreement.kind, "label": label_of(kinds, agreement.kind)},
        "written": agreement.written, "terms": agreement.terms, "file_name": agreement.file_name or None,
        "size": agreement.size, "sha256": agreement.sha256 or None,
        "recorded_by": person(agreement.recorded_by), "recorded_at": agreement.recorded_at,
        "filed_with_legal_at": agreement.filed_with_legal_at,
    }


def report_view(report: LegalReport) -> dict[str, Any]:
    return {"id": report.pk, "text": report.text, "reported_by": person(report.reported_by),
            "reported_at": report.reported_at}


def legal_view(complaint: Any, policy: Policy | None = None) -> dict[str, Any]:
    policy = policy or policy_of(complaint.policy_version)
    report = complaint.legal_reports.select_related("reported_by").first()
    return {
        "complaint": complaint.number,
        "consultations": [consultation_view(c, policy) for c in complaint.legal_consultations.select_related(
            "requested_by", "advised_by").all()],
        "agreements": [agreement_view(a, policy) for a in complaint.agreements.select_related("recorded_by").all()],
        "report": report_view(report) if report else None,
        "report_due_at": _report_due(complaint, policy),
    }


def _report_due(complaint: Any, policy: Policy) -> Any:
    codes = [c.code for c in policy.clocks if c.applies.legal and c.starts == "closed"]
    clock = Clock.objects.filter(complaint=complaint, code__in=codes, status__in=ACTIVE).order_by("due_at").first()
    return clock.due_at if clock else None


def delegation_view(delegation: Delegation) -> dict[str, Any]:
    now = timezone.now()
    return {"id": delegation.pk, "from_user": person(delegation.from_user), "to": person(delegation.to_user),
            "starts_at": delegation.starts_at, "ends_at": delegation.ends_at, "reason": delegation.reason,
            "active": delegation.revoked_at is None and delegation.starts_at <= now < delegation.ends_at,
            "revoked_at": delegation.revoked_at}


def position_view(position: BudgetPosition | None) -> dict[str, Any] | None:
    if position is None:
        return None
    return {"month": position.month, "monthly": amount(position.monthly), "currency": position.currency,
            "spend": amount(position.spend), "commitments": amount(position.commitments),
            "left": amount(position.left), "over": position.over, "used_percent": position.used_percent,
            "escalate_to": position.escalate_to.value}


def entry_view(entry: BudgetEntry, policy: Policy) -> dict[str, Any]:
    return {"complaint": entry.complaint.number, "plan": entry.plan.sequence if entry.plan else None,
            "payout": entry.payout_id, "kind": {"code": entry.kind, "label": label_of(policy.cost_kinds, entry.kind)},
            "amount": amount(entry.amount), "currency": entry.currency, "counts": entry.counts, "at": entry.at,
            "approver": person(entry.approver)}


def unit_ref(unit: Any) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"code": unit.code, "label": unit.name}


def budget_overview_view(overview: BudgetOverview) -> dict[str, Any]:
    """The chosen unit's budget in full, with every readable unit's position (``units``)."""
    if overview.report is None:
        raise ValueError("no budget")
    out = budget_view(overview.report, overview.policy)
    out["unit"] = unit_ref(overview.unit)
    out["units"] = [{**(position_view(row.position) or {}), "unit": unit_ref(row.unit),
                     "escalate_to": {"code": row.position.escalate_to.value,
                                     "label": role_label(row.policy, row.position.escalate_to)}}
                    for row in overview.rows]
    return out


def budget_view(report: BudgetReport, policy: Policy) -> dict[str, Any]:
    position = position_view(report.position) or {}
    position["escalate_to"] = {"code": report.position.escalate_to.value,
                               "label": role_label(policy, report.position.escalate_to)}
    return {
        **position,
        "kinds": [{"kind": {"code": row["kind"], "label": label_of(policy.cost_kinds, row["kind"])},
                   "amount": amount(row["amount"])} for row in report.by_kind],
        "other_costs": amount(report.other_costs),
        "entries": [entry_view(entry, policy) for entry in report.entries],
        "pending": [{"complaint": plan.complaint.number, "plan": plan.sequence, "plan_id": plan.pk,
                     "amount": amount(plan.budget_total), "currency": plan.currency, "author": person(plan.author),
                     "created_at": plan.created_at} for plan in report.pending],
    }


def precedent_view(precedent: Precedent, policy: Policy) -> dict[str, Any]:
    plan = precedent.plan
    complaint = precedent.complaint
    days = round(precedent.took.total_seconds() / 86400, 1) if precedent.took is not None else None
    return {
        "complaint": complaint.number, "model": complaint.product.model if complaint.product else "",
        "category": label_of(policy.categories, complaint.category), "reason": complaint.reason,
        "resolved_at": complaint.resolved_at, "days": days, "plan_id": plan.pk, "plan": plan.sequence,
        "tier": tier_view(policy, plan.tier), "what": plan.what, "how": plan.how, "who": plan.who,
        "where": plan.where, "why": plan.why, "when": plan.when,
        "total": amount(plan.total), "currency": plan.currency, "total_text": money(plan.total, plan.currency),
        "accepted": precedent.accepted,
        "satisfaction": {"code": precedent.satisfaction.code, "label": precedent.satisfaction.label,
                         "score": precedent.satisfaction.score} if precedent.satisfaction else None,
        "lines": [{"kind": line.kind, "kind_label": label_of(policy.cost_kinds, line.kind),
                   "description": line.description, "amount": amount(line.amount), "currency": line.currency}
                  for line in plan.lines.all()],
    }


def plan_preview(policy: Policy, checked: PlanCheck) -> dict[str, Any]:
    """What submitting a plan would do, built once for the API (``PreviewOut``) and the plan form's
    live preview: the total, the approval route with the person who decides each step, the budget
    after the plan and the emergency escalation, and every problem found. Amounts come both as
    plain numbers (``total``) and written with their currency (``total_text``)."""
    position = checked.budget
    escalate = position.escalate_to if position else None
    within = checked.within_limit_of if checked.within_limit_of and checked.authorised else None
    return {
        "total": str(checked.total), "currency": checked.currency, "budget_total": str(checked.budget_total),
        "total_text": money(checked.total, checked.currency),
        # spent on the complaint before this plan: the approval limits count the two together
        "earlier": str(checked.earlier),
        "earlier_text": money(checked.earlier, checked.currency) if checked.earlier else "",
        "combined_text": money(checked.total + checked.earlier, checked.currency) if checked.earlier else "",
        "budget_total_text": money(checked.budget_total, checked.currency),
        "authorised_within_limit": within is not None,
        "authorised": checked.authorised and not checked.problems.has("tier"),
        "within_limit_of": {"code": within.value, "label": role_label(policy, within)} if within else None,
        "tier_approver": {"code": checked.tier_approver.value, "label": role_label(policy, checked.tier_approver)}
        if checked.tier_approver else None,
        "steps": [{"role": {"code": s.role.value, "label": role_label(policy, s.role)},
                   "reason": {"code": s.reason, "label": reason_text(s.reason)},
                   "approver": person(s.approver), "delegate": person(s.delegate)}
                  for s in checked.steps],
        "budget": position_view(position),
        "budget_after": str(position.after(checked.budget_total)) if position else None,
        "budget_after_text": money(position.after(checked.budget_total), position.currency) if position else "",
        "over_budget": checked.over_budget,
        "escalate_to": {"code": escalate.value, "label": role_label(policy, escalate)}
        if escalate is not None and checked.over_budget else None,
        "problems": [problem.as_dict() for problem in checked.problems.items],
    }
