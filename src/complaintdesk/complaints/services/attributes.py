"""Actions on a complaint's attributes, not its status: escalate (level and the major-complaint
team), hand over, wait (pause and resume the clocks), extend a deadline. A person and the system
(``actor=None``: a clock's ``raise_level``, ``reassign`` or ``open_major_team``) call the same
functions and leave the same record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import Department, User
from complaintdesk.accounts.roles import OWNING_ROLES, has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.clocks.services import clock_event, clock_extend, clocks_level_changed, clocks_pause, clocks_resume
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.lifecycle import (
    bump_version,
    lock_complaint,
    require_owner_or_supervisor,
    set_owner,
)
from complaintdesk.core.audit import audit
from complaintdesk.core.durations import typed_duration
from complaintdesk.core.errors import FieldProblem, InvalidTransition, Problems, ValidationFailed
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.notices import notice_send
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent, Duration, PauseCondition, Policy, Role
from complaintdesk.units.scope import reaches


def apply_level(complaint: Complaint, policy: Policy, level: str, *, actor: Any, at: datetime, reason: str) -> None:
    """Set the level of a locked complaint: audit, timeline, the clocks of the new level, a notice
    to the level's supervisors, and the major-complaint team where the level opens it."""
    before = complaint.level
    complaint.level = level
    bump_version(complaint, at)
    complaint.save()
    record(actor=actor, action="complaint.escalate", obj=complaint, complaint=complaint, before={"level": before},
           after={"level": level, "reason": reason},
           timeline=on_timeline("escalated", previous=before, level=level, reason=reason), at=at)
    if before != level:
        clocks_level_changed(complaint=complaint, previous=before, at=at)
    roles = policy.level(level).supervising_roles()
    if roles and before != level:
        notice_send(users=role_holders(*roles, at=complaint), complaint=complaint, kind="escalated",
                     level=policy.level(level).label)
    if policy.level(level).major and complaint.major_opened_at is None:
        open_major(complaint, policy, actor=actor, at=at, reason=reason)


def open_major(complaint: Complaint, policy: Policy, *, actor: Any, at: datetime, reason: str) -> None:
    """Open the major-complaint team of a locked complaint and tell its chair, its members and the
    handlers of the departments that send a member (``major_team.chair``, ``members``,
    ``departments``)."""
    complaint.major_opened_at = at
    complaint.save(update_fields=["major_opened_at"])
    team = policy.major_team
    members = [role.value for role in team.members] if team else []
    record(actor=actor, action="complaint.major_team", obj=complaint, complaint=complaint,
           after={"members": members, "chair": team.chair.value if team else None,
                  "departments": list(team.departments) if team else [], "reason": reason},
           timeline=on_timeline("major_opened", members=members, reason=reason), at=at)
    if team is not None:
        users: dict[int, Any] = {}
        for user in role_holders(team.chair, *team.members, at=complaint):
            users.setdefault(user.pk, user)
        for department in Department.objects.filter(code__in=team.departments, active=True):
            for user in role_holders(Role.HANDLER, department=department.pk, at=complaint):
                users.setdefault(user.pk, user)
        notice_send(users=list(users.values()), complaint=complaint, kind="major_opened")
    clock_event(complaint=complaint, event=ClockEvent.MAJOR_OPENED, at=at)


@transaction.atomic
def complaint_escalate(*, actor: Any, number: str, reason: str = "", level: str = "",
                       now: datetime | None = None) -> Complaint:
    """Raise the level (to ``level``, or the next one), opening the major-complaint team at a major
    level."""
    now = now or timezone.now()
    complaint = lock_complaint(actor, number)
    if not complaint.is_open:
        raise InvalidTransition(_("A closed complaint cannot be escalated."))
    require_owner_or_supervisor(actor, complaint)
    policy = policy_of(complaint.policy_version)
    problems = Problems()
    if not reason.strip():
        problems.add("reason", _("Say why the complaint is escalated."))
    current = policy.level(complaint.level)
    if level:
        try:
            target = policy.level(level)
        except KeyError:
            problems.add("level", _("Unknown level %(code)s.") % {"code": level})
            target = current
    else:
        target = rules.next_level(policy, complaint.level) or current
    if target.rank < current.rank:
        problems.add("level", _("Escalation cannot lower the level."))
    if target.code == current.code and (current.major is False or complaint.major_opened_at is not None):
        problems.add("level", _("The complaint is already at the highest level."))
    problems.raise_if_any()
    apply_level(complaint, policy, target.code, actor=actor, at=now, reason=reason.strip())
    return complaint


@transaction.atomic
def complaint_open_major(*, actor: Any, number: str, reason: str, now: datetime | None = None) -> Complaint:
    """Open the major-complaint team without changing the level (a clock's ``open_major_team``)."""
    now = now or timezone.now()
    complaint = lock_complaint(actor, number)
    if not complaint.is_open:
        raise InvalidTransition(_("A closed complaint cannot be escalated."))
    require_owner_or_supervisor(actor, complaint)
    if complaint.major_opened_at is not None:
        raise InvalidTransition(_("The major-complaint team is already open."))
    if not reason.strip():
        raise ValidationFailed([FieldProblem("reason", _("Say why the complaint is escalated."))])
    bump_version(complaint, now)
    complaint.save(update_fields=["version", "updated_at"])
    open_major(complaint, policy_of(complaint.policy_version), actor=actor, at=now, reason=reason.strip())
    return complaint


@transaction.atomic
def complaint_handover(*, actor: Any, number: str, to: str = "", reason: str = "",
                       now: datetime | None = None) -> Complaint:
    """Give the complaint to a colleague (by username) who may own complaints."""
    now = now or timezone.now()
    complaint = lock_complaint(actor, number)
    if not complaint.is_open:
        raise InvalidTransition(_("A closed complaint cannot be handed over."))
    require_owner_or_supervisor(actor, complaint)
    problems = Problems()
    target = User.objects.filter(username=to, is_active=True).first() if to else None
    if target is None and to.strip():
        problems.add("to", _("There is no active user %(name)s to take the complaint over.") % {"name": to})
    elif target is None:
        problems.add("to", _("Name the colleague who takes the complaint over."))
    elif not reaches(target, complaint):
        problems.add("to", _("%(name)s does not work in the unit of this complaint.")
                     % {"name": target.display_name()})
    elif not has_role(target, *OWNING_ROLES, at=complaint):
        problems.add("to", _("%(name)s has no role that may own complaints.") % {"name": target.display_name()})
    elif target.pk == complaint.owner_id:
        problems.add("to", _("%(name)s already owns the complaint.") % {"name": target.display_name()})
    if not reason.strip():
        problems.add("reason", _("A handover needs a reason."))
    problems.raise_if_any()
    if target is None:  # reported above
        raise ValidationFailed(problems.items)
    before = complaint.owner.username
    set_owner(complaint, target, by=actor, reason=reason.strip(), at=now)
    bump_version(complaint, now)
    complaint.save()
    audit(actor=actor, action="complaint.handover", obj=complaint, complaint_number=complaint.number,
          before={"owner": before}, after={"owner": target.username, "reason": reason.strip()})
    notice_send(users=[target], complaint=complaint, kind="handover")
    return complaint


@transaction.atomic
def complaint_pause(*, actor: Any, number: str, condition: str = "", note: str = "",
                    now: datetime | None = None) -> Complaint:
    """The complaint waits on the customer or an external appraisal: the clocks that pause on it stop
    counting."""
    now = now or timezone.now()
    complaint = lock_complaint(actor, number)
    if not complaint.is_open:
        raise InvalidTransition(_("A closed complaint cannot wait."))
    require_owner_or_supervisor(actor, complaint)
    conditions = [c.value for c in PauseCondition]
    if condition not in conditions:
        raise ValidationFailed([FieldProblem("condition", _("Choose what the complaint waits on: %(all)s.")
                                             % {"all": ", ".join(conditions)})])
    if complaint.waiting_on:
        raise InvalidTransition(_("The complaint is already waiting."))
    complaint.waiting_on = condition
    complaint.waiting_since = now
    bump_version(complaint, now)
    complaint.save()
    paused = clocks_pause(complaint=complaint, condition=condition, at=now)
    record(actor=actor, action="complaint.pause", obj=complaint, complaint=complaint,
           after={"waiting_on": condition, "clocks_paused": paused, "note": note},
           timeline=on_timeline("paused", condition=condition, clocks=paused, note=note), at=now)
    return complaint


@transaction.atomic
def complaint_resume(*, actor: Any, number: str, now: datetime | None = None) -> Complaint:
    """The wait is over: the paused clocks run again, their due times moved by the wait."""
    now = now or timezone.now()
    complaint = lock_complaint(actor, number)
    if not complaint.waiting_on:
        raise InvalidTransition(_("The complaint is not waiting."))
    require_owner_or_supervisor(actor, complaint)
    condition = complaint.waiting_on
    complaint.waiting_on = ""
    complaint.waiting_since = None
    bump_version(complaint, now)
    complaint.save()
    resumed = clocks_resume(complaint=complaint, at=now)
    record(actor=actor, action="complaint.resume", obj=complaint, complaint=complaint, before={"waiting_on": condition},
           after={"clocks_resumed": resumed}, timeline=on_timeline("resumed", condition=condition, clocks=resumed),
           at=now)
    return complaint


@transaction.atomic
def complaint_extend(*, actor: Any, number: str, clock: str = "", by: str = "", reason: str = "",
                     now: datetime | None = None) -> Complaint:
    """Extend a running deadline by a duration, as the policy's extension rule allows."""
    now = now or timezone.now()
    complaint = lock_complaint(actor, number)
    if not complaint.is_open:
        raise InvalidTransition(_("A closed complaint has no running deadline."))
    problems = Problems()
    duration: Duration | None = None
    try:
        duration = typed_duration(by)
    except ValueError:
        problems.add("by", _("Write the extension as a number and a unit, e.g. 2 working days or 24 hours."))
    if not clock:
        problems.add("clock", _("Name the deadline to extend."))
    if not reason.strip():
        problems.add("reason", _("An extension needs a reason."))
    problems.raise_if_any()
    if duration is None:  # reported above
        raise ValidationFailed(problems.items)
    clock_extend(actor=actor, complaint=complaint, code=clock, by=duration, reason=reason, now=now)
    bump_version(complaint, now)
    complaint.save(update_fields=["version", "updated_at"])
    return complaint
