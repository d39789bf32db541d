"""The complaint lifecycle (DESIGN.md §4): one table and one transition primitive.

    registered ─accept─▶ accepted ─start─▶ in_progress ─resolve─▶ resolved ─close─▶ closed
        │                    │                 ▲   │                   │
        └─reject (invalid)───┴────▶ rejected   │   └─withdraw─▶ withdrawn
                                               └──reopen (dissatisfied return visit, new facts)

:func:`transition` is the only code that changes a complaint's status. A person and the system (a
clock that breaches, a return visit that decides) both go through it: the system is the actor
``None``, and the record it leaves is the same as a person's, except for who acted. A transition
the table or the policy forbids raises :class:`InvalidTransition` or a validation error, and
nothing changes. Other apps add conditions through :func:`guard` and work in the same transaction
through :func:`after`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import CAPABILITIES, OWNING_ROLES, can, has_role, role_label
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints.models import Complaint, OwnershipChange, WorkOrder
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.services.common import timeline_add
from complaintdesk.core.errors import InvalidTransition, NotFound, PermissionDenied, Problems
from complaintdesk.core.i18n import current_language, listed
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ActionKind, ClockEvent, Policy, Role

S = Complaint.Status

# name: (from states, to state, clock event)
TRANSITIONS: dict[str, tuple[frozenset[str], str, ClockEvent]] = {
    "accept": (frozenset({S.REGISTERED}), S.ACCEPTED, ClockEvent.ACCEPTED),
    "start": (frozenset({S.ACCEPTED}), S.IN_PROGRESS, ClockEvent.STARTED),
    "resolve": (frozenset({S.IN_PROGRESS}), S.RESOLVED, ClockEvent.RESOLVED),
    "close": (frozenset({S.RESOLVED}), S.CLOSED, ClockEvent.CLOSED),
    "reject": (frozenset({S.REGISTERED, S.ACCEPTED}), S.REJECTED, ClockEvent.REJECTED),
    "withdraw": (frozenset({S.REGISTERED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED}), S.WITHDRAWN,
                 ClockEvent.WITHDRAWN),
    "reopen": (frozenset({S.RESOLVED, S.CLOSED}), S.IN_PROGRESS, ClockEvent.REOPENED),
}
OPEN_STATES = frozenset({S.REGISTERED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED})

# who may accept a registration (accounts.roles CAPABILITIES "complaint.accept"; decision 0010)
ACCEPTING_ROLES = tuple(role for role in Role if role in CAPABILITIES["complaint.accept"])
# who may accept a complaint the policy's handler (``handled_by``) took from the front line
BEYOND_FRONT_LINE = tuple(role for role in OWNING_ROLES if role != Role.AGENT)


@dataclass(frozen=True)
class Transition:
    """One transition as guards and after-hooks see it. ``actor`` is None for the system."""

    action: str
    actor: Any
    at: datetime
    note: str = ""
    reason: str = ""
    withdrawn_by: str = ""
    root_cause: tuple[str, ...] = field(default_factory=tuple)
    corrective_action: str = ""


Guard = Callable[[Complaint, Policy, Transition, Problems], None]
After = Callable[[Complaint, Policy, Transition], None]
GUARDS: dict[str, list[Guard]] = {name: [] for name in TRANSITIONS}
AFTER: dict[str, list[After]] = {name: [] for name in TRANSITIONS}


def guard(action: str) -> Callable[[Guard], Guard]:
    """Register a condition for a transition (used by resolutions and follow-up): it adds problems
    to refuse the transition; nothing has changed yet."""

    def register(function: Guard) -> Guard:
        if function not in GUARDS[action]:
            GUARDS[action].append(function)
        return function

    return register


def after(action: str) -> Callable[[After], After]:
    """Register work to do in the same transaction once a transition happened (e.g. a return visit
    falls due when a complaint is resolved). Called as f(complaint, policy, change)."""

    def register(function: After) -> After:
        if function not in AFTER[action]:
            AFTER[action].append(function)
        return function

    return register


# --- who may act ------------------------------------------------------------------------------------


def is_owner_or_supervisor(actor: Any, complaint: Complaint) -> bool:
    """The system (None) acts for the policy and may do what the policy tells it."""
    return actor is None or can(actor, "complaint.work", at=complaint)


def may_transition(actor: Any, complaint: Complaint, action: str) -> bool:
    if actor is None:
        return True
    if action == "close" and (closers := policy_of(complaint.policy_version).close_by):
        return has_role(actor, *closers, at=complaint)  # the roles that confirm the closing (``close_by``)
    if action == "accept":
        return can(actor, "complaint.accept", at=complaint) and not handed_over_from(actor, complaint)
    if action == "reject":
        # the owner, or a specialist and above, may judge a registration invalid
        return is_owner_or_supervisor(actor, complaint) or can(actor, "complaint.reject", at=complaint)
    return is_owner_or_supervisor(actor, complaint)


def handed_over_from(actor: Any, complaint: Complaint) -> bool:
    """Whether ``actor`` is the front line the policy's handler (``handled_by``) took the complaint
    from: an agent who does not own it, and so may not take it back by accepting it."""
    handler = policy_of(complaint.policy_version).handled_by
    return (handler is not None and handler != Role.AGENT and complaint.owner_id != actor.pk
            and not has_role(actor, *BEYOND_FRONT_LINE, at=complaint))


def require_owner_or_supervisor(actor: Any, complaint: Complaint) -> None:
    if not is_owner_or_supervisor(actor, complaint):
        raise PermissionDenied(_("Only the owner or a supervisor may do this."))


def policy_close_reasons(policy: Policy) -> frozenset[str]:
    """Reasons for which the policy closes an unresolved complaint (a clock's ``close`` action,
    e.g. the customer stayed unreachable)."""
    return frozenset(action.reason or definition.code for definition in policy.clocks
                     for action in (*definition.on_warning, *definition.on_breach) if action.do == ActionKind.CLOSE)


def listed_close_reason(policy: Policy, reason: str) -> bool:
    """Whether ``reason`` is one of the policy's own reasons to close a complaint unresolved
    (``close_reasons``): the owner may, from any open state, with a note of how it was handled."""
    return any(item.code == reason for item in policy.close_reasons)


def sources(action: str, *, actor: Any, policy: Policy, reason: str) -> frozenset[str]:
    """The states a transition may start from. The policy may close an unresolved complaint for one
    of its close reasons; only the system does that, when the policy's clock says so. A complaint
    answered from the knowledge base for a responsibility the policy answers and closes (no fault)
    is closed unresolved by the person who answered it."""
    allowed, _target, _event = TRANSITIONS[action]
    if action == "close" and actor is None and reason in policy_close_reasons(policy):
        return OPEN_STATES
    if action == "close" and listed_close_reason(policy, reason):
        return OPEN_STATES
    if action == "close" and reason in rules.knowledge_close_reasons(policy):
        # a no-fault complaint answered from the knowledge base closes unresolved; the knowledge
        # app's close guard refuses it unless the article answer was sent (knowledge/services.py)
        return OPEN_STATES
    return allowed


def transition_targets(actor: Any, complaint: Complaint) -> list[str]:
    """The status transitions this user could try now (the page shows these buttons); closing an open
    complaint where the policy names reasons to close it unresolved (``close_reasons``)."""
    closes_open = bool(policy_of(complaint.policy_version).close_reasons)
    return [name for name, (allowed, _target, _event) in TRANSITIONS.items()
            if (complaint.status in allowed or (name == "close" and closes_open and complaint.status in OPEN_STATES))
            and may_transition(actor, complaint, name)]


# --- loading and touching -------------------------------------------------------------------------


def lock_complaint(actor: Any, number: str) -> Complaint:
    """The complaint, locked for this transaction; a person sees only what they may see."""
    if actor is not None:
        return access_complaint(actor, number, for_update=True)
    complaint = (Complaint.objects.select_for_update(of=("self",))
                 .select_related("customer", "product", "owner", "policy_version", "unit")
                 .filter(number=number).first())
    if complaint is None:
        raise NotFound(_("There is no complaint %(number)s.") % {"number": number})
    return complaint


def bump_version(complaint: Complaint, at: datetime) -> None:
    """Every change of a complaint raises its version (If-Match) and its change time."""
    complaint.version += 1
    complaint.updated_at = at


# --- attribute helpers used by transitions and by the attribute actions ----------------------------


# the reasons the system gives for its own changes, stored as codes and read in the reader's language
# (complaints/timeline.py ``reason_text``): the owner accepted the complaint; a deadline passed
ACCEPTED_REASON = "accepted"
HANDLED_BY_REASON = "handled_by"  # the policy's ``handled_by`` gave it to its handler at registration
CLOCK_REASON = "clock:"


def set_owner(complaint: Complaint, to_user: Any, *, by: Any, reason: str, at: datetime) -> None:
    """Record an ownership change (history row + timeline); the caller saves the complaint."""
    previous = complaint.owner
    complaint.owner = to_user
    record_ownership_change(complaint, previous, to_user, by=by, reason=reason, at=at)


def record_ownership_change(complaint: Complaint, from_user: Any, to_user: Any, *, by: Any, reason: str,
                            at: datetime) -> None:
    """The history row and the "handover" timeline entry of ``complaint`` passing from ``from_user``
    to ``to_user`` (who owns it already or is about to: the caller sets and saves the owner)."""
    OwnershipChange.objects.create(complaint=complaint, from_user=from_user, to_user=to_user, by=by, reason=reason,
                                   at=at)
    timeline_add(complaint, "handover", by, at=at, from_user=from_user.display_name(),
                 to_user=to_user.display_name(), reason=reason)


def cancel_open_work_orders(complaint: Complaint) -> list[str]:
    """A finished complaint leaves nothing open in the departments' inboxes."""
    open_orders = complaint.work_orders.filter(status=WorkOrder.Status.OPEN)
    numbers = list(open_orders.values_list("number", flat=True))
    open_orders.update(status=WorkOrder.Status.CANCELLED)
    return numbers


def check_prevention(policy: Policy, root_cause: tuple[str, ...], corrective_action: str,
                     problems: Problems) -> None:
    """Resolving needs the root cause (down to the policy's root-cause level) and the corrective and
    preventive action: how we avoid this happening again."""
    depth = policy.reasons.root_cause_depth
    path = rules.reason_path(policy, list(root_cause)) if root_cause else None
    if path is None:
        problems.add("root_cause", _("Choose the root cause from the reason taxonomy (down to level %(depth)d).")
                     % {"depth": depth})
    elif len(path) < depth and path[-1].children:
        problems.add("root_cause", _("Confirm the root cause down to level %(depth)d.") % {"depth": depth})
    if not corrective_action.strip():
        problems.add("corrective_action", _("Record the corrective and preventive action: how we avoid this "
                                            "happening again."))


# --- the primitive --------------------------------------------------------------------------------


def _fact_labels(policy: Policy, category: str, codes: list[str]) -> list[str]:
    """The missing facts as the reader knows them: their labels in the category (else the code)."""
    facts = {fact.code: fact for cat in policy.categories if cat.code == category for fact in cat.facts}
    return [str(facts[code].label.get(current_language())) if code in facts else code for code in codes]


def _check(complaint: Complaint, policy: Policy, change: Transition, problems: Problems) -> None:
    """The lifecycle's own conditions; other apps add theirs through :func:`guard`."""
    action = change.action
    if action == "accept" and not complaint.complete:
        problems.add("missing_facts", _("The complaint cannot be accepted until every required fact is filled or "
                                        "explained by a note: %(facts)s.")
                     % {"facts": listed(_fact_labels(policy, complaint.category, complaint.missing_facts))})
    if action == "reject":
        codes = {reason.code for reason in policy.reject_reasons}
        if change.reason not in codes:
            labels = [str(reason.label.get(current_language())) for reason in policy.reject_reasons]
            problems.add("reason", _("Choose the reason for rejecting the complaint as invalid: %(codes)s.")
                         % {"codes": listed(labels)})
    if action == "close" and listed_close_reason(policy, change.reason) and not change.note.strip():
        problems.add("note", _("Record how the complaint was handled before closing it."))
    if action == "withdraw" and not change.withdrawn_by:
        problems.add("withdrawn_by", _("Record who withdrew the complaint."))
    if action == "resolve":
        check_prevention(policy, change.root_cause, change.corrective_action, problems)
        if not change.note:
            problems.add("note", _("Record the result given to the customer."))
    if action == "reopen" and not change.note:
        problems.add("note", _("Say why the complaint is reopened (the customer's words or the new facts)."))


def transition(complaint: Complaint, change: Transition) -> Complaint:
    """Move a locked complaint along the lifecycle: checks (table, permission, lifecycle rules, other
    apps' guards, every problem at once), status and dates, one audit event, one timeline entry, the
    clock event, then the after-hooks — all in the caller's transaction."""
    policy = policy_of(complaint.policy_version)
    action = change.action
    allowed = sources(action, actor=change.actor, policy=policy, reason=change.reason)
    _from, target, event = TRANSITIONS[action]
    # who may, before the state: a caller who may not act is refused alike in every state
    if not may_transition(change.actor, complaint, action):
        if action == "close" and policy.close_by:
            raise PermissionDenied(_("Under this policy the %(roles)s confirms the closing of every complaint.")
                                   % {"roles": listed(role_label(policy, role) for role in policy.close_by)})
        if action == "accept" and policy.handled_by is not None and handed_over_from(change.actor, complaint):
            # the front line registers and hands over (``handled_by``): it does not take the complaint back
            raise PermissionDenied(_("Under this policy the %(role)s handles every complaint; %(owner)s has this "
                                     "one.") % {"role": role_label(policy, policy.handled_by),
                                                "owner": complaint.owner.display_name()})
        raise PermissionDenied(_("Only the owner or a supervisor may do this."))
    if complaint.status not in allowed:
        raise InvalidTransition(
            _("A complaint that is %(status)s cannot be %(action)s; allowed from: %(from)s.") % {
                "status": complaint.get_status_display(), "action": ACTION_LABELS[action],
                "from": ", ".join(str(S(s).label) for s in sorted(allowed))})
    problems = Problems()
    _check(complaint, policy, change, problems)
    for check in GUARDS[action]:
        check(complaint, policy, change, problems)
    problems.raise_if_any()

    before: dict[str, Any] = {"status": complaint.status}
    after_: dict[str, Any] = {"status": target}
    complaint.status = target
    if action == "accept":
        complaint.accepted_at = change.at
        if change.actor is not None and complaint.owner_id != change.actor.pk:
            set_owner(complaint, change.actor, by=change.actor, reason=ACCEPTED_REASON, at=change.at)
            after_["owner"] = change.actor.username
    elif action == "resolve":
        complaint.resolved_at = change.at
        complaint.root_cause = list(change.root_cause)
        complaint.corrective_action = change.corrective_action
        after_["root_cause"] = complaint.root_cause
        after_["corrective_action"] = complaint.corrective_action
    elif action in {"close", "reject", "withdraw"}:
        complaint.closed_at = change.at
        complaint.outcome_reason = change.reason
        after_["reason"] = change.reason
        if action == "withdraw":
            complaint.withdrawn_by = change.withdrawn_by
            after_["withdrawn_by"] = change.withdrawn_by
        cancelled = cancel_open_work_orders(complaint)
        if cancelled:
            after_["work_orders_cancelled"] = cancelled
    elif action == "reopen":
        complaint.resolved_at = None
        complaint.closed_at = None
        complaint.outcome_reason = ""
    complaint.outcome_note = change.note or complaint.outcome_note
    if change.note:
        after_["note"] = change.note
    bump_version(complaint, change.at)
    complaint.save()
    record(actor=change.actor, action=f"complaint.{action}", obj=complaint, complaint=complaint, before=before,
           after=after_,
           timeline=on_timeline(f"status_{action}", status=target, note=change.note, reason=change.reason,
                                withdrawn_by=change.withdrawn_by,
                                root_cause=list(change.root_cause) if action == "resolve" else [],
                                corrective_action=change.corrective_action if action == "resolve" else ""),
           at=change.at)
    clock_event(complaint=complaint, event=event, at=change.at)
    for hook in AFTER[action]:
        hook(complaint, policy, change)
    return complaint


ACTION_LABELS = {
    "accept": _("accepted"),
    "start": _("started"),
    "resolve": _("resolved"),
    "close": _("closed"),
    "reject": _("rejected"),
    "withdraw": _("withdrawn"),
    "reopen": _("reopened"),
}
