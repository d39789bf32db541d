"""Reads of plans, approvals, delegations, petty cash and legal consultations, scoped by what the
user may see (the complaints they may see; their own approvals and those delegated to them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import SUPERVISING_ROLES, has_role
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint, visible_complaints
from complaintdesk.core.errors import NotFound, PermissionDenied
from complaintdesk.core.policies import active_policy
from complaintdesk.policy.schema import Policy, Role
from complaintdesk.resolutions.models import Approval, Delegation, LegalConsultation, PettyCashPayout, Plan
from complaintdesk.resolutions.selectors.delegations import active_delegations, principals_of
from complaintdesk.units.scope import scope_q

# who reads and manages the budget: the supervising roles and management (not the administrator)
MANAGERS = (*SUPERVISING_ROLES, Role.VP, Role.GM)
BUDGET_READERS = (Role.SPECIALIST, *MANAGERS, Role.ADMIN)


def current_plan(complaint: Complaint, *, for_update: bool = False) -> Plan | None:
    """The complaint's latest plan that was not replaced or cancelled."""
    qs = Plan.objects.filter(complaint=complaint).exclude(state__in=[Plan.State.SUPERSEDED, Plan.State.CANCELLED])
    if for_update:
        qs = qs.select_for_update()
    return qs.order_by("-sequence").first()


def plans_of(complaint: Complaint) -> list[Plan]:
    return list(Plan.objects.filter(complaint=complaint).select_related("author", "implemented_by",
                                                                         "customer_recorded_by")
                .prefetch_related("lines", "approvals__approver", "approvals__decided_by",
                                  "approvals__on_behalf_of").order_by("-sequence"))


def plan_get(user: Any, plan_id: int) -> Plan:
    plan = Plan.objects.select_related("complaint").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("There is no plan %(id)s.") % {"id": plan_id})
    access_complaint(user, plan.complaint.number)
    return plan


def approver_roles(policy: Policy) -> set[Role]:
    """Roles that may be asked to approve under a policy."""
    roles: set[Role] = set()
    if policy.approval is not None:
        roles.update(limit.role for limit in policy.approval.limits)
    roles.update(tier.approver for tier in policy.solution_tiers if tier.approver is not None)
    roles.update(level.supervisor for level in policy.levels
                 if level.supervisor is not None and level.compensation_limit is not None)
    if policy.budget is not None:
        roles.add(policy.budget.over_budget_escalate_to)
    if policy.petty_cash is not None:
        roles.add(policy.petty_cash.countersign_role)
    return roles


def shows_inbox(user: Any) -> bool:
    try:
        _version, policy = active_policy()
    except NotFound:
        return False
    return has_role(user, *approver_roles(policy), Role.LEGAL)


def shows_budget(user: Any) -> bool:
    try:
        _version, policy = active_policy()
    except NotFound:
        return False
    return policy.budget is not None and has_role(user, *MANAGERS)


def may_read_budget(user: Any) -> bool:
    return has_role(user, *BUDGET_READERS)


def approvals_for(user: Any, *, state: str = "pending", mine: bool = True,
                  now: datetime | None = None) -> QuerySet[Approval]:
    """Approvals of the complaints the user may see; ``mine``: those named for the user or for
    someone who delegated to the user now. ``state``: pending, decided, approved, rejected, all."""
    now = now or timezone.now()
    qs = Approval.objects.filter(complaint__in=visible_complaints(user)).select_related(
        "plan", "plan__author", "complaint", "approver", "decided_by", "on_behalf_of")
    if mine:
        qs = qs.filter(approver_id__in=principals_of(user, now))
    if state == "pending":
        qs = qs.filter(state=Approval.State.PENDING).order_by("requested_at", "id")
    elif state == "decided":
        qs = qs.filter(state__in=[Approval.State.APPROVED, Approval.State.REJECTED]).order_by("-decided_at", "-id")
    elif state in Approval.State.values:
        qs = qs.filter(state=state).order_by("-id")
    else:
        qs = qs.order_by("-id")
    return qs


def pending_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    now = timezone.now()
    count = Approval.objects.filter(state=Approval.State.PENDING, approver_id__in=principals_of(user, now)).count()
    try:
        _version, policy = active_policy()
    except NotFound:
        return count
    if policy.petty_cash is not None and has_role(user, policy.petty_cash.countersign_role):
        count += len(payouts_to_countersign(user))
    if has_role(user, Role.LEGAL):
        count += LegalConsultation.objects.filter(scope_q(user, "complaint__unit"), advised_at__isnull=True).count()
    return count


def approval_get(user: Any, approval_id: int) -> Approval:
    approval = (Approval.objects.select_related("plan", "complaint", "approver", "decided_by", "on_behalf_of")
                .filter(pk=approval_id).first())
    if approval is None:
        raise NotFound(_("There is no approval %(id)s.") % {"id": approval_id})
    access_complaint(user, approval.complaint.number)
    return approval


def payouts_to_countersign(user: Any) -> list[PettyCashPayout]:
    try:
        _version, policy = active_policy()
    except NotFound:
        return []
    role = policy.petty_cash.countersign_role if policy.petty_cash is not None else None
    if role is None or not has_role(user, role):
        return []
    # the countersigning role held at each voucher's complaint: a store manager signs their store's
    waiting = (PettyCashPayout.objects.filter(state=PettyCashPayout.State.AWAITING,
                                              complaint__in=visible_complaints(user))
               .exclude(paid_by=user).select_related("complaint", "complaint__unit", "paid_by").order_by("paid_at"))
    return [payout for payout in waiting if has_role(user, role, at=payout.complaint)]


def payouts(user: Any, *, state: str = "") -> QuerySet[PettyCashPayout]:
    qs = PettyCashPayout.objects.filter(complaint__in=visible_complaints(user)).select_related(
        "complaint", "paid_by", "countersigned_by")
    if state == "pending":
        qs = qs.filter(state=PettyCashPayout.State.AWAITING)
    elif state == "countersigned":
        qs = qs.filter(state=PettyCashPayout.State.COUNTERSIGNED)
    return qs.order_by("-paid_at", "-id")


def consultations_to_advise(user: Any) -> list[LegalConsultation]:
    if not has_role(user, Role.LEGAL):
        return []
    return list(LegalConsultation.objects.filter(scope_q(user, "complaint__unit"), advised_at__isnull=True)
                .select_related("complaint", "requested_by").order_by("requested_at"))


def delegations_of(user: Any, *, now: datetime | None = None) -> QuerySet[Delegation]:
    """Delegations the user gave or received that have not ended (an administrator sees all)."""
    now = now or timezone.now()
    qs = Delegation.objects.filter(revoked_at__isnull=True, ends_at__gt=now).select_related("from_user", "to_user")
    if not has_role(user, Role.ADMIN):
        qs = qs.filter(Q(from_user=user) | Q(to_user=user))
    return qs.order_by("starts_at", "id")


def acting_for(user: Any, now: datetime | None = None) -> list[Any]:
    now = now or timezone.now()
    return [d.from_user for d in active_delegations(now).filter(to_user=user).select_related("from_user")]


def require_budget_reader(user: Any) -> None:
    if not may_read_budget(user):
        raise PermissionDenied(_("Only supervisors, managers and complaint specialists see the budget."))
