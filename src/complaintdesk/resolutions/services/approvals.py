"""Deciding approvals (one decision per approval, under a row lock), the chain's next step, the
budget re-checked at the final approval, and delegations while an approver is away."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import has_role, roles_of
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import Conflict, NotFound, PermissionDenied, Problems
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.notices import local_moment, notice_send
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent, Role
from complaintdesk.resolutions.models import Approval, Delegation, Plan
from complaintdesk.resolutions.selectors.budget import budget_position, budget_unit, month_of
from complaintdesk.resolutions.selectors.delegations import acts_for
from complaintdesk.resolutions.services.common import role_label
from complaintdesk.resolutions.services.plans import ledger_add, request_step
from complaintdesk.resolutions.services.routing import assign

DECISIONS = ("approve", "reject")


@transaction.atomic
def approval_decide(*, actor: Any, approval_id: int, decision: str, comment: str = "",
                    now: datetime | None = None) -> Approval:
    """The named approver (or their delegate while they are away) approves or rejects one step.
    Nobody decides on their own plan; a decided approval stays decided."""
    now = now or timezone.now()
    problems = Problems()
    if decision not in DECISIONS:
        problems.add("decision", _("The decision is approve or reject."))
    if decision == "reject" and not comment.strip():
        problems.add("comment", _("Say why the plan is rejected."))
    if len(comment) > 4000:
        problems.add("comment", _("At most %(limit)d characters.") % {"limit": 4000})
    problems.raise_if_any()
    head = Approval.objects.select_related("complaint").filter(pk=approval_id).first()
    if head is None:
        raise NotFound(_("There is no approval %(id)s.") % {"id": approval_id})
    # lock in the same order as plan_submit: the complaint, then its plan and approval rows
    complaint = access_complaint(actor, head.complaint.number, for_update=True)
    plan = Plan.objects.select_for_update().get(pk=head.plan_id)
    plan.complaint = complaint
    approval = Approval.objects.select_for_update().select_related("approver").get(pk=approval_id)
    policy = policy_of(complaint.policy_version)
    if plan.author_id == actor.pk:
        raise PermissionDenied(_("Nobody approves their own plan: plan P%(plan)s is above your own limit and "
                                 "needs the %(role)s.") % {"plan": plan.sequence,
                                                           "role": role_label(policy, approval.role)})
    if approval.state != Approval.State.PENDING:
        if approval.state in (Approval.State.APPROVED, Approval.State.REJECTED):
            by = approval.decided_by.display_name() if approval.decided_by else ""
            raise Conflict(_("This approval was already decided (%(state)s by %(by)s); a decision cannot be "
                             "changed.") % {"state": approval.get_state_display(), "by": by})
        raise Conflict(_("This approval is not waiting for a decision (%(state)s).")
                       % {"state": approval.get_state_display()})
    if not acts_for(actor, approval.approver, now):
        raise PermissionDenied(_("Only %(name)s, the named approver (%(role)s), or their delegate while they are "
                                 "away may decide this approval.") % {
            "name": approval.approver.display_name(), "role": role_label(policy, approval.role)})
    if not has_role(approval.approver, approval.role, at=complaint):
        # the approver was named at the complaint's unit; one who no longer holds the role there
        # (moved to another store, role removed) decides nothing on it, nor does their delegate
        raise PermissionDenied(_("%(name)s no longer holds the role %(role)s at %(unit)s, the unit of this "
                                 "complaint, and cannot decide this approval.") % {
            "name": approval.approver.display_name(), "role": role_label(policy, approval.role),
            "unit": complaint.unit.name})
    approval.state = Approval.State.APPROVED if decision == "approve" else Approval.State.REJECTED
    approval.decided_at = now
    approval.decided_by = actor
    approval.on_behalf_of = approval.approver if actor.pk != approval.approver_id else None
    approval.comment = comment.strip()
    approval.save(update_fields=["state", "decided_at", "decided_by", "on_behalf_of", "comment"])
    record(actor=actor, action=f"approval.{decision}", obj=approval, complaint=complaint,
           before={"state": Approval.State.PENDING},
           after={"state": approval.state, "comment": approval.comment, "plan": plan.sequence,
                  "on_behalf_of": approval.on_behalf_of.username if approval.on_behalf_of else None},
           timeline=on_timeline("approval_decided", plan=plan.sequence, approval=approval.pk, role=approval.role,
                                decision=decision, comment=approval.comment,
                                on_behalf_of=approval.on_behalf_of.display_name() if approval.on_behalf_of else ""),
           at=now)
    tiers = [plan.tier] if plan.tier else []
    clock_event(complaint=complaint, event=ClockEvent.APPROVAL_DECIDED, at=now, subject=f"approval:{approval.pk}",
                tiers=tiers)
    if decision == "reject":
        _reject_plan(plan, actor=actor, now=now, comment=approval.comment)
        return approval
    following = plan.approvals.select_for_update().filter(state=Approval.State.WAITING).order_by("step").first()
    if following is None:
        following = _budget_escalation(plan, actor=actor, now=now)
    if following is not None:
        request_step(following, plan, at=now)
        return approval
    plan.state = Plan.State.APPROVED
    plan.decided_at = now
    plan.save(update_fields=["state", "decided_at"])
    ledger_add(plan, policy, approver=actor, at=now)
    record(actor=actor, action="plan.approved", obj=plan, complaint=complaint, before={"state": Plan.State.PENDING},
           after={"state": Plan.State.APPROVED, "month": month_of(now, policy)},
           timeline=on_timeline("plan_approved", plan=plan.sequence, total=str(plan.total), currency=plan.currency),
           at=now)
    clock_event(complaint=complaint, event=ClockEvent.PLAN_APPROVED, at=now, subject=f"plan:{plan.pk}", tiers=tiers)
    notice_send(users=[plan.author, complaint.owner], complaint=complaint, kind="plan_approved", plan=plan.sequence)
    return approval


def _reject_plan(plan: Plan, *, actor: Any, now: datetime, comment: str) -> None:
    complaint = plan.complaint
    for waiting in plan.approvals.select_for_update().filter(state=Approval.State.WAITING):
        waiting.state = Approval.State.CANCELLED
        waiting.decided_at = now
        waiting.save(update_fields=["state", "decided_at"])
    plan.state = Plan.State.REJECTED
    plan.decided_at = now
    plan.save(update_fields=["state", "decided_at"])
    record(actor=actor, action="plan.rejected", obj=plan, complaint=complaint, before={"state": Plan.State.PENDING},
           after={"state": Plan.State.REJECTED, "comment": comment},
           timeline=on_timeline("plan_rejected", plan=plan.sequence, comment=comment), at=now)
    notice_send(users=[plan.author, complaint.owner], complaint=complaint, kind="plan_rejected", plan=plan.sequence,
                by=actor.display_name(), comment=comment)


def _budget_escalation(plan: Plan, *, actor: Any, now: datetime) -> Approval | None:
    """At the final approval the month's spend is checked again (other plans may have been approved
    meanwhile): a plan that now exceeds the budget needs the emergency escalation first."""
    policy = policy_of(plan.complaint.policy_version)
    if plan.budget_total <= 0:
        return None
    approved = plan.approvals.filter(state=Approval.State.APPROVED).values_list("role", flat=True)
    escalate = rules.budget_escalation_role(policy, author_roles=roles_of(plan.author, at=plan.complaint),
                                            already=approved)
    if escalate is None:
        return None
    position = budget_position(policy, month_of(now, policy), now, with_commitments=False,
                               unit=budget_unit(plan.complaint))
    if position is None or not position.would_exceed(plan.budget_total):
        return None
    approver, _delegate = assign(escalate, author=plan.author, now=now, complaint=plan.complaint)
    if approver is None:
        return None
    step = (plan.approvals.order_by("-step").values_list("step", flat=True).first() or 0) + 1
    approval = Approval.objects.create(plan=plan, complaint=plan.complaint, step=step, role=escalate.value,
                                       reason="budget", approver=approver, state=Approval.State.WAITING)
    plan.over_budget = True
    plan.route = [*plan.route, escalate.value]
    plan.save(update_fields=["over_budget", "route"])
    audit(actor=actor, action="plan.budget_escalation", obj=plan, complaint_number=plan.complaint.number,
          after={"role": escalate.value, "spend": position.spend, "monthly": position.monthly})
    return approval


# --- delegation --------------------------------------------------------------------------------


@transaction.atomic
def delegation_create(*, actor: Any, to: str, until: str, reason: str, start: str = "", from_user: str = "",
                      now: datetime | None = None) -> Delegation:
    """While ``from_user`` (default: the actor) is away, ``to`` decides their approvals. An
    administrator may record a delegation for someone else."""
    now = now or timezone.now()
    _version, policy = active_policy()
    tz = ZoneInfo(policy.timezone)
    problems = Problems()
    principal = actor
    if from_user and from_user != actor.username:
        if not has_role(actor, Role.ADMIN):
            raise PermissionDenied(_("Only an administrator records a delegation for someone else."))
        principal = User.objects.filter(username=from_user, is_active=True).first()
        if principal is None:
            problems.add("from_user", _("There is no active user %(name)s.") % {"name": from_user})
    delegate = User.objects.filter(username=to, is_active=True).first() if to else None
    if delegate is None:
        problems.add("to", _("Name the colleague who decides in your absence."))
    elif principal is not None and delegate.pk == principal.pk:
        problems.add("to", _("A delegation goes to someone else."))
    elif has_role(delegate, Role.HANDLER) and not (set(roles_of(delegate)) - {Role.HANDLER}):
        problems.add("to", _("%(name)s is a department handler and cannot decide approvals.")
                     % {"name": delegate.display_name()})
    starts_at = now
    if start.strip():
        try:
            starts_at = check.parse_datetime(start, tz)
        except check.FieldInvalid as exc:
            problems.add("start", exc.message)
    ends_at = None
    if not until.strip():
        problems.add("until", _("Say until when the delegation runs."))
    else:
        try:
            ends_at = check.parse_datetime(until, tz)
        except check.FieldInvalid as exc:
            problems.add("until", exc.message)
        else:
            if ends_at <= max(starts_at, now):
                problems.add("until", _("The end must be later than the start and than now."))
    if not reason.strip():
        problems.add("reason", _("Say why (e.g. business trip, leave)."))
    problems.raise_if_any()
    if ends_at is None or delegate is None or principal is None:  # pragma: no cover - reported above
        raise Conflict(_("The delegation is incomplete."))
    overlapping = Delegation.objects.filter(from_user=principal, revoked_at__isnull=True, starts_at__lt=ends_at,
                                            ends_at__gt=starts_at).select_related("to_user").first()
    if overlapping is not None:
        raise Conflict(_("%(name)s already delegates to %(to)s in that period; revoke that delegation first.")
                       % {"name": principal.display_name(), "to": overlapping.to_user.display_name()})
    delegation = Delegation.objects.create(from_user=principal, to_user=delegate, starts_at=starts_at,
                                           ends_at=ends_at, reason=reason.strip(), created_by=actor, created_at=now)
    audit(actor=actor, action="delegation.create", obj=delegation,
          after={"from": principal.username, "to": delegate.username, "starts_at": starts_at, "ends_at": ends_at,
                 "reason": delegation.reason})
    notice_send(users=[delegate], complaint=None, kind="delegation", **{
        "from": principal.display_name(), "start": local_moment(starts_at, policy.timezone),
        "end": local_moment(ends_at, policy.timezone), "reason": delegation.reason})
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Any, delegation_id: int, now: datetime | None = None) -> Delegation:
    now = now or timezone.now()
    delegation = Delegation.objects.select_for_update().filter(pk=delegation_id).first()
    if delegation is None:
        raise NotFound(_("There is no delegation %(id)s.") % {"id": delegation_id})
    if delegation.from_user_id != actor.pk and not has_role(actor, Role.ADMIN):
        raise PermissionDenied(_("Only the approver who delegated, or an administrator, ends a delegation."))
    if delegation.revoked_at is not None or delegation.ends_at <= now:
        raise Conflict(_("This delegation has already ended."))
    delegation.revoked_at = now
    delegation.save(update_fields=["revoked_at"])
    audit(actor=actor, action="delegation.revoke", obj=delegation, before={"revoked_at": None},
          after={"revoked_at": now})
    return delegation
