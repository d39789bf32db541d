"""Writing handling plans and what happens to them after the approvals: proposed to the customer,
the customer's decision (accepted, or refused with their words: back to planning), implemented."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.services.actions import complaint_reopen
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import Conflict, NotFound, PermissionDenied, Problems
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record, record_entry
from complaintdesk.notify.notices import notice_send
from complaintdesk.policy.rules import normalise_text
from complaintdesk.policy.schema import ClockEvent, Policy
from complaintdesk.resolutions.models import Approval, BudgetEntry, CostLine, Plan
from complaintdesk.resolutions.selectors.budget import budget_unit, month_of
from complaintdesk.resolutions.selectors.delegations import delegate_of, is_away
from complaintdesk.resolutions.selectors.plans import current_plan
from complaintdesk.resolutions.services.common import clocks_cancel, money, require_open, require_owner, role_label
from complaintdesk.resolutions.services.routing import PlanCheck, PlanInput, Step, plan_check

LIVE = (Plan.State.PENDING, Plan.State.APPROVED, Plan.State.AUTHORISED)
CUSTOMER_CHANNELS = ("phone", "in_person", "email", "letter", "sms", "portal")


def ledger_add(plan: Plan, policy: Policy, *, approver: Any, at: datetime) -> None:
    """The approved costs of a plan count in the month of their approval (organisation's time zone),
    on the budget of the unit the complaint draws on."""
    month = month_of(at, policy)
    unit = budget_unit(plan.complaint)
    BudgetEntry.objects.bulk_create([
        BudgetEntry(complaint_id=plan.complaint_id, unit=unit, plan=plan, line=line, kind=line.kind,
                    amount=line.amount, currency=line.currency, counts=line.counts_against_budget, month=month, at=at,
                    approver=approver if approver is not None and approver.pk else None)
        for line in plan.lines.all()])


def ledger_reverse(plan: Plan, *, at: datetime, reason: str) -> int:
    return BudgetEntry.objects.filter(plan=plan, reversed_at__isnull=True).update(reversed_at=at,
                                                                                 reversal_reason=reason)


def approvals_cancel(plan: Plan, *, at: datetime) -> int:
    count = 0
    for approval in plan.approvals.select_for_update().filter(state__in=[Approval.State.PENDING,
                                                                         Approval.State.WAITING]):
        approval.state = Approval.State.CANCELLED
        approval.decided_at = at
        approval.save(update_fields=["state", "decided_at"])
        clocks_cancel(complaint=plan.complaint, subject=f"approval:{approval.pk}", at=at)
        count += 1
    return count


def plan_end(plan: Plan, *, state: str, actor: Any, at: datetime, reason: str) -> None:
    """Take a plan out of play (replaced, refused, complaint withdrawn): its open approvals are
    cancelled, its clocks stop and its costs leave the budget."""
    before = plan.state
    plan.state = state
    plan.save(update_fields=["state"])
    approvals_cancel(plan, at=at)
    clocks_cancel(complaint=plan.complaint, subject=f"plan:{plan.pk}", at=at)
    reversed_count = ledger_reverse(plan, at=at, reason=reason)
    audit(actor=actor, action=f"plan.{state}", obj=plan, complaint_number=plan.complaint.number,
          before={"state": before}, after={"state": state, "reason": reason, "ledger_reversed": reversed_count})


def request_step(approval: Approval, plan: Plan, *, at: datetime) -> None:
    """Make a step pending: its clock starts and its approver (or their delegate) is told."""
    approval.state = Approval.State.PENDING
    approval.requested_at = at
    approval.save(update_fields=["state", "requested_at"])
    complaint = plan.complaint
    record_entry(complaint, on_timeline("approval_requested", plan=plan.sequence, approval=approval.pk,
                                        role=approval.role, approver=approval.approver.display_name(),
                                        step=approval.step, reason=approval.reason), actor=None, at=at)
    clock_event(complaint=complaint, event=ClockEvent.APPROVAL_REQUESTED, at=at, subject=f"approval:{approval.pk}",
                tiers=[plan.tier] if plan.tier else [])
    policy = policy_of(complaint.policy_version)

    amount = money(plan.total, plan.currency)
    notice_send(users=[approval.approver], complaint=complaint, kind="approval_requested", plan=plan.sequence,
                amount=amount, role=lambda _language: role_label(policy, approval.role))
    if is_away(approval.approver, at):
        delegate = delegate_of(approval.approver, at)
        if delegate is not None:
            notice_send(users=[delegate], complaint=complaint, kind="approval_delegated", plan=plan.sequence,
                        amount=amount, approver=approval.approver.display_name())


def _search_text(data: PlanInput, check: PlanCheck) -> str:
    parts = [data.what, data.who, data.when, data.where, data.why, data.how,
             *(line.description for line in check.lines)]
    return normalise_text("\n".join(p for p in parts if p))


@transaction.atomic
def plan_submit(*, actor: Any, number: str, data: PlanInput, now: datetime | None = None) -> Plan:
    """Write a handling plan. It replaces the current plan (unless that one was implemented), goes
    to the approvers the matrix names, or is authorised at once within its author's own limit."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    require_owner(actor, complaint)
    require_open(complaint)
    if complaint.status == Complaint.Status.RESOLVED:
        raise Conflict(_("Complaint %(number)s is resolved; reopen it before writing a new plan.")
                       % {"number": complaint.number})
    policy = policy_of(complaint.policy_version)
    check = plan_check(policy, complaint, actor, data, now)
    reused = None
    if data.reuse_of is not None:
        reused = Plan.objects.filter(pk=data.reuse_of).first()
        if reused is None:
            check.problems.add("reuse_of", _("There is no plan %(id)s to reuse.") % {"id": data.reuse_of})
    check.problems.raise_if_any()

    previous = current_plan(complaint, for_update=True)
    if previous is not None and previous.state in LIVE and previous.implemented_at is None:
        plan_end(previous, state=Plan.State.SUPERSEDED, actor=actor, at=now, reason="superseded")
        record_entry(complaint, on_timeline("plan_superseded", plan=previous.sequence), actor=actor, at=now)
    sequence = (Plan.objects.filter(complaint=complaint).aggregate(n=Max("sequence"))["n"] or 0) + 1
    plan = Plan.objects.create(
        complaint=complaint, sequence=sequence, tier=data.tier.strip(), what=data.what.strip(),
        who=data.who.strip(), when=data.when.strip(), where=data.where.strip(), why=data.why.strip(),
        how=data.how.strip(), currency=check.currency, total=check.total, budget_total=check.budget_total,
        state=Plan.State.AUTHORISED if check.authorised else Plan.State.PENDING,
        route=[step.role.value for step in check.steps], route_reason=check.route_reason,
        within_limit_of=check.within_limit_of.value if check.authorised and check.within_limit_of else "",
        over_budget=check.over_budget, emergency_reason=data.emergency_reason.strip() if check.over_budget else "",
        author=actor, created_at=now, decided_at=now if check.authorised else None, reused_from=reused,
        search_text=_search_text(data, check))
    CostLine.objects.bulk_create([
        CostLine(plan=plan, position=index, kind=line.kind, description=line.description, amount=line.amount,
                 currency=line.currency, counts_against_budget=line.counts)
        for index, line in enumerate(check.lines)])
    approvals = _create_steps(plan, complaint, check.steps)
    record(actor=actor, action="plan.submit", obj=plan, complaint=complaint,
           after={"sequence": sequence, "tier": plan.tier, "total": plan.total, "currency": plan.currency,
                  "lines": [{"kind": line.kind, "amount": line.amount, "currency": line.currency}
                            for line in check.lines],
                  "route": plan.route, "state": plan.state, "within_limit_of": plan.within_limit_of,
                  "over_budget": plan.over_budget, "emergency_reason": plan.emergency_reason,
                  "approvers": [a.approver.username for a in approvals]},
           timeline=on_timeline("plan_submitted", plan=sequence, tier=plan.tier, what=plan.what, total=str(plan.total),
                                currency=plan.currency, route=plan.route, over_budget=plan.over_budget,
                                emergency_reason=plan.emergency_reason), at=now)
    tiers = [plan.tier] if plan.tier else []
    clock_event(complaint=complaint, event=ClockEvent.PLAN_SUBMITTED, at=now, subject=f"plan:{plan.pk}", tiers=tiers)
    if check.authorised:
        ledger_add(plan, policy, approver=actor, at=now)
        record_entry(complaint, on_timeline("plan_authorised", plan=sequence, role=plan.within_limit_of,
                                            reason=check.route_reason), actor=actor, at=now)
        clock_event(complaint=complaint, event=ClockEvent.PLAN_APPROVED, at=now, subject=f"plan:{plan.pk}",
                    tiers=tiers)
    else:
        request_step(approvals[0], plan, at=now)
    return plan


def _create_steps(plan: Plan, complaint: Complaint, steps: list[Step]) -> list[Approval]:
    out = []
    for index, step in enumerate(steps, start=1):
        out.append(Approval.objects.create(plan=plan, complaint=complaint, step=index, role=step.role.value,
                                           reason=step.reason, approver=step.approver,
                                           state=Approval.State.WAITING))
    return out


def _locked_plan(actor: Any, plan_id: int, *, portal: bool = False) -> tuple[Plan, Complaint]:
    head = Plan.objects.select_related("complaint").filter(pk=plan_id).first()
    if head is None:
        raise NotFound(_("There is no plan %(id)s.") % {"id": plan_id})
    if portal:
        complaint = Complaint.objects.select_for_update(of=("self",)).select_related("customer").get(
            pk=head.complaint_id)
    else:
        complaint = access_complaint(actor, head.complaint.number, for_update=True)
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    plan.complaint = complaint
    return plan, complaint


@transaction.atomic
def plan_customer_decision(*, actor: Any, plan_id: int, decision: str, words: str = "", channel: str = "phone",
                           now: datetime | None = None) -> Plan:
    """The customer accepts or refuses the proposed solution, recorded by the specialist (or by the
    customer on the portal: ``actor=None, channel="portal"``). A refusal, with the customer's own
    words, ends the plan and returns the complaint to planning (a resolved complaint is reopened)."""
    now = now or timezone.now()
    portal = actor is None
    if portal and channel != "portal":
        raise PermissionDenied(_("Only the customer on the portal decides without a member of staff."))
    plan, complaint = _locked_plan(actor, plan_id, portal=portal)
    if not portal:
        require_owner(actor, complaint)
    problems = Problems()
    if decision not in (Plan.Decision.ACCEPTED, Plan.Decision.REFUSED):
        problems.add("decision", _("The customer's decision is accepted or refused."))
    if channel not in CUSTOMER_CHANNELS or (channel == "portal" and not portal):
        problems.add("channel", _("Say how the customer answered: %(all)s.")
                     % {"all": ", ".join(c for c in CUSTOMER_CHANNELS if c != "portal")})
    if decision == Plan.Decision.REFUSED and not words.strip():
        problems.add("words", _("Record the customer's own words: why the solution is refused."))
    if len(words) > 4000:
        problems.add("words", _("At most %(limit)d characters.") % {"limit": 4000})
    problems.raise_if_any()
    if not complaint.is_open:
        require_open(complaint)
    current = current_plan(complaint)
    if current is None or current.pk != plan.pk or plan.state not in LIVE:
        raise Conflict(_("Plan P%(plan)s is not the current plan of the complaint (%(state)s).")
                       % {"plan": plan.sequence, "state": plan.get_state_display()})
    if plan.customer_decision:
        raise Conflict(_("The customer's decision on plan P%(plan)s is already recorded (%(decision)s).")
                       % {"plan": plan.sequence, "decision": plan.get_customer_decision_display()})
    plan.customer_decision = decision
    plan.customer_words = words.strip()
    plan.customer_channel = channel
    plan.customer_decided_at = now
    plan.customer_recorded_by = actor
    first_proposal = plan.proposed_at is None
    if first_proposal:
        plan.proposed_at = now
    plan.save(update_fields=["customer_decision", "customer_words", "customer_channel", "customer_decided_at",
                             "customer_recorded_by", "proposed_at"])
    record(actor=actor, action="plan.customer_decision", obj=plan, complaint=complaint,
           after={"decision": decision, "words": plan.customer_words, "channel": channel},
           timeline=on_timeline("customer_decision", plan=plan.sequence, decision=decision, words=plan.customer_words,
                                channel=channel), at=now)
    tiers = [plan.tier] if plan.tier else []
    if first_proposal:
        clock_event(complaint=complaint, event=ClockEvent.SOLUTION_PROPOSED, at=now, subject=f"plan:{plan.pk}",
                    tiers=tiers)
    if decision == Plan.Decision.REFUSED:
        plan_end(plan, state=Plan.State.REFUSED, actor=actor, at=now, reason="refused")
        if complaint.status == Complaint.Status.RESOLVED:
            complaint_reopen(actor=None, number=complaint.number, now=now, note=plan.customer_words)
            complaint.refresh_from_db()
        if portal or complaint.owner_id != getattr(actor, "pk", None):
            notice_send(users=[complaint.owner], complaint=complaint, kind="plan_refused", plan=plan.sequence,
                        words=plan.customer_words)
    return plan


@transaction.atomic
def plan_proposed(*, actor: Any, plan_id: int, note: str = "", now: datetime | None = None) -> Plan:
    """The solution was put to the customer."""
    now = now or timezone.now()
    plan, complaint = _locked_plan(actor, plan_id)
    require_owner(actor, complaint)
    require_open(complaint)
    if plan.state not in LIVE:
        raise Conflict(_("Plan P%(plan)s is %(state)s.") % {"plan": plan.sequence, "state": plan.get_state_display()})
    if plan.proposed_at is not None:
        raise Conflict(_("Plan P%(plan)s was already proposed to the customer.") % {"plan": plan.sequence})
    plan.proposed_at = now
    plan.save(update_fields=["proposed_at"])
    record(actor=actor, action="plan.proposed", obj=plan, complaint=complaint, after={"note": note},
           timeline=on_timeline("solution_proposed", plan=plan.sequence, note=note.strip()), at=now)
    clock_event(complaint=complaint, event=ClockEvent.SOLUTION_PROPOSED, at=now, subject=f"plan:{plan.pk}",
                tiers=[plan.tier] if plan.tier else [])
    return plan


@transaction.atomic
def plan_implemented(*, actor: Any, plan_id: int, note: str = "", now: datetime | None = None) -> Plan:
    """The approved solution was carried out."""
    now = now or timezone.now()
    plan, complaint = _locked_plan(actor, plan_id)
    require_owner(actor, complaint)
    require_open(complaint)
    if not plan.cleared:
        raise Conflict(_("Plan P%(plan)s is %(state)s: only an approved or authorised plan is implemented.")
                       % {"plan": plan.sequence, "state": plan.get_state_display()})
    if plan.implemented_at is not None:
        raise Conflict(_("Plan P%(plan)s is already implemented.") % {"plan": plan.sequence})
    plan.implemented_at = now
    plan.implemented_by = actor
    plan.implementation_note = note.strip()
    plan.save(update_fields=["implemented_at", "implemented_by", "implementation_note"])
    record(actor=actor, action="plan.implemented", obj=plan, complaint=complaint,
           after={"note": plan.implementation_note},
           timeline=on_timeline("solution_implemented", plan=plan.sequence, note=plan.implementation_note), at=now)
    clock_event(complaint=complaint, event=ClockEvent.SOLUTION_IMPLEMENTED, at=now, subject=f"plan:{plan.pk}",
                tiers=[plan.tier] if plan.tier else [])
    return plan
