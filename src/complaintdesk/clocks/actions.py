"""What a warning or a breach does, as the policy says: notify, raise the level, reassign, open the
major-complaint team, close. Runs inside the sweep's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q

from complaintdesk.accounts.models import User
from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.services.common import timeline_add
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import DomainError
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Action, ActionKind, Policy, Role
from complaintdesk.policy.schema import Clock as ClockDef

OWNING_ROLES = [Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD, Role.AGENT]


def users_with_role(role: str) -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=role).order_by("id"))


def least_loaded(role: str) -> User | None:
    """The active user of ``role`` who owns the fewest open complaints."""
    return (User.objects.filter(is_active=True, groups__name=role)
            .annotate(load=Count("owned_complaints", filter=~Q(owned_complaints__status__in=[
                "closed", "rejected", "withdrawn"])))
            .order_by("load", "id").first())


def recipients(to: list[str], *, complaint: Any, policy: Policy, clock: Clock) -> list[User]:
    out: list[User] = []
    for name in to:
        if name == "owner":
            out.append(complaint.owner)
        elif name == "level_supervisor":
            supervisor = policy.level(complaint.level).supervisor
            if supervisor is not None:
                out.extend(users_with_role(supervisor.value))
        elif name == "department":
            if clock.subject.startswith("work_order:"):
                from complaintdesk.complaints.models import WorkOrder

                order = WorkOrder.objects.filter(pk=int(clock.subject.split(":", 1)[1])).first()
                if order is not None:
                    out.extend(User.objects.filter(is_active=True, department=order.department_id,
                                                   groups__name=Role.HANDLER.value))
        elif name in Role._value2member_map_:
            out.extend(users_with_role(name))
    unique: dict[int, User] = {}
    for user in out:
        unique.setdefault(user.pk, user)
    return list(unique.values())


def notify_users(*, users: list[User], complaint: Any, policy: Policy, definition: ClockDef, clock: Clock,
                 kind: str) -> None:
    from complaintdesk.complaints.services.notices import notify_staff

    tz = ZoneInfo(policy.timezone)
    for user in users:
        notify_staff(users=[user], complaint=complaint, kind=f"clock_{kind}", clock=definition.label,
                     due=rules.format_moment(clock.due_at.astimezone(tz), user.language))


def _system_act(done: list[dict[str, Any]], record: dict[str, Any], act: Callable[[], Any], complaint: Any) -> None:
    """Run one of the system's own actions through the same service a person uses. A refusal (a
    guard of another app, a rule of the lifecycle) is recorded with the clock's firing instead of
    failing the sweep for ever; the service's savepoint leaves nothing half-written."""
    try:
        act()
    except DomainError as refused:
        texts = [str(problem.message) for problem in refused.problems] or [str(refused.message)]
        done.append({"do": "refused", "action": record["do"], "problems": texts})
    else:
        done.append(record)
    complaint.refresh_from_db()


def run_actions(*, clock: Clock, complaint: Any, policy: Policy, definition: ClockDef, kind: str,
                actions: list[Action], now: datetime) -> None:
    # the complaint services import this module (users_with_role): imported here to break the cycle
    from complaintdesk.complaints.services import actions as lifecycle_actions
    from complaintdesk.complaints.services import attributes

    done: list[dict[str, Any]] = []
    why = f"clock:{clock.code}"
    number = complaint.number
    for action in actions:
        if action.do == ActionKind.NOTIFY:
            users = recipients(action.to, complaint=complaint, policy=policy, clock=clock)
            notify_users(users=users, complaint=complaint, policy=policy, definition=definition, clock=clock,
                         kind=kind)
            done.append({"do": "notify", "to": [u.username for u in users]})
        elif action.do == ActionKind.RAISE_LEVEL and complaint.is_open:
            target = action.level or "next"
            level = rules.next_level(policy, complaint.level) if target == "next" else policy.level(target)
            if level is not None and level.rank > policy.level(complaint.level).rank:
                _system_act(done, {"do": "raise_level", "level": level.code},
                            partial(attributes.complaint_escalate, actor=None, number=number, level=level.code,
                                    now=now, reason=why), complaint)
        elif action.do == ActionKind.REASSIGN and complaint.is_open:
            user = least_loaded(action.to[0])
            if user is not None and user.pk != complaint.owner_id:
                _system_act(done, {"do": "reassign", "to": user.username},
                            partial(attributes.complaint_handover, actor=None, number=number, to=user.username,
                                    now=now, reason=why), complaint)
        elif action.do == ActionKind.OPEN_MAJOR_TEAM and complaint.is_open and complaint.major_opened_at is None:
            _system_act(done, {"do": "open_major_team"},
                        partial(attributes.complaint_open_major, actor=None, number=number, now=now, reason=why),
                        complaint)
        elif action.do == ActionKind.CLOSE and complaint.is_open:
            _system_act(done, {"do": "close", "reason": action.reason},
                        partial(lifecycle_actions.complaint_close, actor=None, number=number, now=now,
                                reason=action.reason or clock.code), complaint)
    if definition.repeats and kind == "breach":
        type(complaint).objects.filter(pk=complaint.pk).update(missed_update_days=F("missed_update_days") + 1)
        complaint.refresh_from_db(fields=["missed_update_days"])
        local_due = clock.due_at.astimezone(ZoneInfo(policy.timezone))
        # a period that ends at 24:00 belongs to the day before the midnight it is stored as
        day = local_due.date() - timedelta(days=1) if local_due.time() == time(0, 0) else local_due.date()
        timeline_add(complaint, "progress_missing", None, at=now, clock=clock.code, day=day.isoformat(),
                     actions=done)
    else:
        timeline_add(complaint, f"clock_{kind}", None, at=now, clock=clock.code, due=clock.due_at.isoformat(),
                     subject=clock.subject, actions=done)
    audit(actor=None, action=f"clock.{kind}", obj=clock, complaint_number=complaint.number,
          after={"clock": clock.code, "subject": clock.subject, "due_at": clock.due_at, "actions": done})
