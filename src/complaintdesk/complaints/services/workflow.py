"""The complaint lifecycle (DESIGN.md §4) from one table, and the attribute actions around it:
escalate, hand over, pause, resume, extend.

    registered ─accept─▶ accepted ─start─▶ in_progress ─resolve─▶ resolved ─close─▶ closed
        │                    │                 ▲   │                   │
        └─reject (invalid)───┴────▶ rejected   │   └─withdraw─▶ withdrawn
                                               └──reopen (dissatisfied return visit, new facts)

A transition the table or the policy forbids raises :class:`InvalidTransition` or a validation
error, and nothing changes. Other apps add conditions to ``resolve`` and ``close`` through
:data:`GUARDS` (e.g. an approved plan, a return visit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import has_role
from complaintdesk.clocks.services import (
    clock_event,
    clock_extend,
    clocks_level_changed,
    clocks_pause,
    clocks_resume,
)
from complaintdesk.complaints.models import Complaint, OwnershipChange
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.services.common import timeline_add
from complaintdesk.complaints.services.notices import notify_staff
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import FieldProblem, InvalidTransition, PermissionDenied, Problems, ValidationFailed
from complaintdesk.core.policies import policy_of
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent, Duration, PauseCondition, Policy, Role

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
ATTRIBUTE_ACTIONS = ("escalate", "handover", "pause", "resume", "extend")
ACTIONS = (*TRANSITIONS, *ATTRIBUTE_ACTIONS)

OWNING_ROLES = frozenset({Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD})
SUPERVISING_ROLES = (Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD)
ACCEPTING_ROLES = (Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD)


@dataclass
class ActionInput:
    """What a caller may send with an action; which fields matter depends on the action."""

    note: str = ""
    reason: str = ""
    to: str = ""  # handover: username
    level: str = ""  # escalate: level code (default: next)
    condition: str = ""  # pause: waiting_on_customer | external_appraisal
    clock: str = ""  # extend
    by: str = ""  # extend: a duration such as 2wd
    withdrawn_by: str = ""
    root_cause: list[str] = field(default_factory=list)  # resolve: reason path down to the root cause
    corrective_action: str = ""  # resolve: how we avoid this happening again
    extra: dict[str, Any] = field(default_factory=dict)


Guard = Callable[[Complaint, Policy, ActionInput, Problems], None]
GUARDS: dict[str, list[Guard]] = {name: [] for name in TRANSITIONS}
After = Callable[[Any, Complaint, Policy, ActionInput, datetime], None]
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
    falls due when a complaint is resolved). Called as f(actor, complaint, policy, data, now)."""

    def register(function: After) -> After:
        if function not in AFTER[action]:
            AFTER[action].append(function)
        return function

    return register


def _is_owner_or_supervisor(actor: Any, complaint: Complaint) -> bool:
    return complaint.owner_id == actor.pk or has_role(actor, *SUPERVISING_ROLES)


def _may(actor: Any, complaint: Complaint, action: str) -> bool:
    if action == "accept":
        return has_role(actor, *ACCEPTING_ROLES)
    if action == "reject":
        # whoever may accept a registration may also judge it invalid
        return _is_owner_or_supervisor(actor, complaint) or has_role(actor, *ACCEPTING_ROLES)
    if action in {"withdraw", "reopen"}:
        return _is_owner_or_supervisor(actor, complaint) or has_role(actor, Role.AGENT, Role.SPECIALIST)
    return _is_owner_or_supervisor(actor, complaint)


def allowed_actions(actor: Any, complaint: Complaint) -> list[str]:
    """The actions this user could try now (the page shows these buttons)."""
    out = []
    for name, (sources, _target, _event) in TRANSITIONS.items():
        if complaint.status in sources and _may(actor, complaint, name):
            out.append(name)
    if complaint.is_open and _is_owner_or_supervisor(actor, complaint):
        out.extend(["escalate", "handover"])
        out.append("resume" if complaint.waiting_on else "pause")
        policy = policy_of(complaint.policy_version)
        if any(d.extension and has_role(actor, d.extension.approver) for d in policy.clocks):
            out.append("extend")
    return out


def _set_owner(complaint: Complaint, to_user: Any, *, by: Any, reason: str, now: datetime) -> None:
    previous = complaint.owner
    OwnershipChange.objects.create(complaint=complaint, from_user=previous, to_user=to_user, by=by, reason=reason,
                                   at=now)
    complaint.owner = to_user
    timeline_add(complaint, "handover", by, at=now, from_user=previous.display_name(),
                 to_user=to_user.display_name(), reason=reason)


@transaction.atomic
def complaint_act(*, actor: Any, number: str, action: str, data: ActionInput | None = None,
                  now: datetime | None = None) -> Complaint:
    """Run one lifecycle or attribute action on a complaint."""
    data = data or ActionInput()
    now = now or timezone.now()
    if action not in ACTIONS:
        raise ValidationFailed([FieldProblem("action", _("Unknown action %(name)s; one of: %(all)s.")
                                             % {"name": action, "all": ", ".join(ACTIONS)})])
    complaint = access_complaint(actor, number, for_update=True)
    policy = policy_of(complaint.policy_version)
    if action in TRANSITIONS:
        _transition(actor, complaint, policy, action, data, now)
    elif action == "escalate":
        _escalate(actor, complaint, policy, data, now)
    elif action == "handover":
        _handover(actor, complaint, data, now)
    elif action == "pause":
        _pause(actor, complaint, data, now)
    elif action == "resume":
        _resume(actor, complaint, now)
    else:
        _extend(actor, complaint, data, now)
    return complaint


def _transition(actor: Any, complaint: Complaint, policy: Policy, action: str, data: ActionInput,
                now: datetime) -> None:
    sources, target, event = TRANSITIONS[action]
    if complaint.status not in sources:
        raise InvalidTransition(
            _("A complaint that is %(status)s cannot be %(action)s; allowed from: %(from)s.") % {
                "status": complaint.get_status_display(), "action": ACTION_LABELS[action],
                "from": ", ".join(str(S(s).label) for s in sorted(sources))})
    if not _may(actor, complaint, action):
        raise PermissionDenied(_("Only the owner or a supervisor may do this."))
    problems = Problems()
    if action == "reopen" and not data.note.strip() and data.reason.strip():
        data.note = data.reason  # the reason for reopening may come as either field
    before = {"status": complaint.status}
    after: dict[str, Any] = {"status": target}
    if action == "accept" and not complaint.complete:
        problems.add("missing_facts", _("The complaint cannot be accepted until every required fact is filled or "
                                        "explained by a note: %(facts)s.")
                     % {"facts": ", ".join(complaint.missing_facts)})
    if action == "reject":
        codes = {reason.code for reason in policy.reject_reasons}
        if data.reason not in codes:
            problems.add("reason", _("Choose the reason for rejecting the complaint as invalid: %(codes)s.")
                         % {"codes": ", ".join(sorted(codes))})
        after["reason"] = data.reason
    if action == "withdraw":
        if not data.withdrawn_by.strip():
            problems.add("withdrawn_by", _("Record who withdrew the complaint."))
        after["withdrawn_by"] = data.withdrawn_by.strip()
    if action == "resolve":
        _check_prevention(complaint, policy, data, problems)
    if action in {"reopen", "resolve"} and not data.note.strip():
        field = "note"
        message = (_("Say why the complaint is reopened (the customer's words or the new facts).") if action == "reopen"
                   else _("Record the result given to the customer."))
        problems.add(field, message)
    for check in GUARDS[action]:
        check(complaint, policy, data, problems)
    problems.raise_if_any()

    complaint.status = target
    if action == "accept":
        complaint.accepted_at = now
        if complaint.owner_id != actor.pk:
            _set_owner(complaint, actor, by=actor, reason=str(_("accepted the complaint")), now=now)
            after["owner"] = actor.username
    elif action == "resolve":
        complaint.resolved_at = now
        complaint.root_cause = list(data.root_cause)
        complaint.corrective_action = data.corrective_action.strip()
        after["root_cause"] = complaint.root_cause
        after["corrective_action"] = complaint.corrective_action
    elif action in {"close", "reject", "withdraw"}:
        complaint.closed_at = now
        complaint.outcome_reason = data.reason if action == "reject" else (data.reason or "")
        if action == "withdraw":
            complaint.withdrawn_by = data.withdrawn_by.strip()
        cancelled = _cancel_open_work_orders(complaint)
        if cancelled:
            after["work_orders_cancelled"] = cancelled
    elif action == "reopen":
        complaint.resolved_at = None
        complaint.closed_at = None
        complaint.outcome_reason = ""
    complaint.outcome_note = data.note.strip() or complaint.outcome_note
    if data.note.strip():
        after["note"] = data.note.strip()
    complaint.version += 1
    complaint.updated_at = now
    complaint.save()
    audit(actor=actor, action=f"complaint.{action}", obj=complaint, complaint_number=complaint.number,
          before=before, after=after)
    timeline_add(complaint, f"status_{action}", actor, at=now, status=target, note=data.note.strip(),
                 reason=data.reason, withdrawn_by=data.withdrawn_by.strip(),
                 root_cause=complaint.root_cause if action == "resolve" else [],
                 corrective_action=complaint.corrective_action if action == "resolve" else "")
    clock_event(complaint=complaint, event=event, at=now)
    for hook in AFTER[action]:
        hook(actor, complaint, policy, data, now)


def _cancel_open_work_orders(complaint: Complaint) -> list[str]:
    """A finished complaint leaves nothing open in the departments' inboxes."""
    from complaintdesk.complaints.models import WorkOrder

    open_orders = complaint.work_orders.filter(status=WorkOrder.Status.OPEN)
    numbers = list(open_orders.values_list("number", flat=True))
    open_orders.update(status=WorkOrder.Status.CANCELLED)
    return numbers


def _check_prevention(complaint: Complaint, policy: Policy, data: ActionInput, problems: Problems) -> None:
    """Resolving needs the root cause (down to the policy's root-cause level) and the corrective and
    preventive action: how we avoid this happening again."""
    depth = policy.reasons.root_cause_depth
    path = rules.reason_path(policy, data.root_cause) if data.root_cause else None
    if path is None:
        problems.add("root_cause", _("Choose the root cause from the reason taxonomy (down to level %(depth)d).")
                     % {"depth": depth})
    elif len(path) < depth and path[-1].children:
        problems.add("root_cause", _("Confirm the root cause down to level %(depth)d.") % {"depth": depth})
    if not data.corrective_action.strip():
        problems.add("corrective_action", _("Record the corrective and preventive action: how we avoid this "
                                            "happening again."))


def _escalate(actor: Any, complaint: Complaint, policy: Policy, data: ActionInput, now: datetime) -> None:
    if not complaint.is_open:
        raise InvalidTransition(_("A closed complaint cannot be escalated."))
    if not _is_owner_or_supervisor(actor, complaint):
        raise PermissionDenied(_("Only the owner or a supervisor may do this."))
    problems = Problems()
    if not data.reason.strip():
        problems.add("reason", _("Say why the complaint is escalated."))
    current = policy.level(complaint.level)
    if data.level:
        try:
            level = policy.level(data.level)
        except KeyError:
            problems.add("level", _("Unknown level %(code)s.") % {"code": data.level})
            level = current
    else:
        level = rules.next_level(policy, complaint.level) or current
    if level.rank < current.rank:
        problems.add("level", _("Escalation cannot lower the level."))
    if level.code == current.code and (current.major is False or complaint.major_opened_at is not None):
        problems.add("level", _("The complaint is already at the highest level."))
    problems.raise_if_any()
    _apply_level(complaint, policy, level.code, actor=actor, now=now, reason=data.reason.strip())


def _apply_level(complaint: Complaint, policy: Policy, level: str, *, actor: Any, now: datetime, reason: str) -> None:
    before = complaint.level
    complaint.level = level
    complaint.version += 1
    complaint.updated_at = now
    complaint.save()
    audit(actor=actor, action="complaint.escalate", obj=complaint, complaint_number=complaint.number,
          before={"level": before}, after={"level": level, "reason": reason})
    timeline_add(complaint, "escalated", actor, at=now, previous=before, level=level, reason=reason)
    if before != level:
        clocks_level_changed(complaint=complaint, previous=before, at=now)
    supervisor = policy.level(level).supervisor
    if supervisor is not None and before != level:
        from complaintdesk.clocks.actions import users_with_role

        notify_staff(users=users_with_role(supervisor.value), complaint=complaint, kind="escalated",
                     level=policy.level(level).label)
    if policy.level(level).major and complaint.major_opened_at is None:
        _open_major(complaint, policy, actor=actor, now=now, reason=reason)


def _open_major(complaint: Complaint, policy: Policy, *, actor: Any, now: datetime, reason: str) -> None:
    complaint.major_opened_at = now
    complaint.save(update_fields=["major_opened_at"])
    members = [role.value for role in policy.major_team.members] if policy.major_team else []
    audit(actor=actor, action="complaint.major_team", obj=complaint, complaint_number=complaint.number,
          after={"members": members, "reason": reason})
    timeline_add(complaint, "major_opened", actor, at=now, members=members, reason=reason)
    if policy.major_team is not None:
        from complaintdesk.clocks.actions import users_with_role

        users: dict[int, Any] = {}
        for role in policy.major_team.members:
            for user in users_with_role(role.value):
                users.setdefault(user.pk, user)
        notify_staff(users=list(users.values()), complaint=complaint, kind="major_opened")
    clock_event(complaint=complaint, event=ClockEvent.MAJOR_OPENED, at=now)


def _handover(actor: Any, complaint: Complaint, data: ActionInput, now: datetime) -> None:
    if not complaint.is_open:
        raise InvalidTransition(_("A closed complaint cannot be handed over."))
    if not _is_owner_or_supervisor(actor, complaint):
        raise PermissionDenied(_("Only the owner or a supervisor may hand a complaint over."))
    problems = Problems()
    target = User.objects.filter(username=data.to, is_active=True).first() if data.to else None
    if target is None and data.to.strip():
        problems.add("to", _("There is no active user %(name)s to take the complaint over.") % {"name": data.to})
    elif target is None:
        problems.add("to", _("Name the colleague who takes the complaint over."))
    elif not has_role(target, *OWNING_ROLES):
        problems.add("to", _("%(name)s has no role that may own complaints.") % {"name": target.display_name()})
    elif target.pk == complaint.owner_id:
        problems.add("to", _("%(name)s already owns the complaint.") % {"name": target.display_name()})
    if not data.reason.strip():
        problems.add("reason", _("A handover needs a reason."))
    problems.raise_if_any()
    if target is None:  # reported above
        raise ValidationFailed(problems.items)
    before = complaint.owner.username
    _set_owner(complaint, target, by=actor, reason=data.reason.strip(), now=now)
    complaint.version += 1
    complaint.updated_at = now
    complaint.save()
    audit(actor=actor, action="complaint.handover", obj=complaint, complaint_number=complaint.number,
          before={"owner": before}, after={"owner": target.username, "reason": data.reason.strip()})
    notify_staff(users=[target], complaint=complaint, kind="handover")


def _pause(actor: Any, complaint: Complaint, data: ActionInput, now: datetime) -> None:
    if not complaint.is_open:
        raise InvalidTransition(_("A closed complaint cannot wait."))
    if not _is_owner_or_supervisor(actor, complaint):
        raise PermissionDenied(_("Only the owner or a supervisor may do this."))
    conditions = [c.value for c in PauseCondition]
    if data.condition not in conditions:
        raise ValidationFailed([FieldProblem("condition", _("Choose what the complaint waits on: %(all)s.")
                                             % {"all": ", ".join(conditions)})])
    if complaint.waiting_on:
        raise InvalidTransition(_("The complaint is already waiting."))
    complaint.waiting_on = data.condition
    complaint.waiting_since = now
    complaint.version += 1
    complaint.updated_at = now
    complaint.save()
    paused = clocks_pause(complaint=complaint, condition=data.condition, at=now)
    audit(actor=actor, action="complaint.pause", obj=complaint, complaint_number=complaint.number,
          after={"waiting_on": data.condition, "clocks_paused": paused, "note": data.note})
    timeline_add(complaint, "paused", actor, at=now, condition=data.condition, clocks=paused, note=data.note)


def _resume(actor: Any, complaint: Complaint, now: datetime) -> None:
    if not complaint.waiting_on:
        raise InvalidTransition(_("The complaint is not waiting."))
    if not _is_owner_or_supervisor(actor, complaint):
        raise PermissionDenied(_("Only the owner or a supervisor may do this."))
    condition = complaint.waiting_on
    complaint.waiting_on = ""
    complaint.waiting_since = None
    complaint.version += 1
    complaint.updated_at = now
    complaint.save()
    resumed = clocks_resume(complaint=complaint, at=now)
    audit(actor=actor, action="complaint.resume", obj=complaint, complaint_number=complaint.number,
          before={"waiting_on": condition}, after={"clocks_resumed": resumed})
    timeline_add(complaint, "resumed", actor, at=now, condition=condition, clocks=resumed)


def _extend(actor: Any, complaint: Complaint, data: ActionInput, now: datetime) -> None:
    if not complaint.is_open:
        raise InvalidTransition(_("A closed complaint has no running deadline."))
    problems = Problems()
    by: Duration | None = None
    try:
        by = Duration.model_validate(data.by)
    except ValueError:
        problems.add("by", _("Write the extension as a duration, e.g. 2wd or 24h."))
    if not data.clock:
        problems.add("clock", _("Name the deadline to extend."))
    if not data.reason.strip():
        problems.add("reason", _("An extension needs a reason."))
    problems.raise_if_any()
    if by is None:  # reported above
        raise ValidationFailed(problems.items)
    clock_extend(actor=actor, complaint=complaint, code=data.clock, by=by, reason=data.reason, now=now)
    complaint.version += 1
    complaint.updated_at = now
    complaint.save(update_fields=["version", "updated_at"])


ACTION_LABELS = {
    "accept": _("accepted"),
    "start": _("started"),
    "resolve": _("resolved"),
    "close": _("closed"),
    "reject": _("rejected"),
    "withdraw": _("withdrawn"),
    "reopen": _("reopened"),
}
