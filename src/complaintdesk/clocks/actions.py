"""What a warning or a breach does, as the policy says: notify, raise the level, reassign, open the
major-complaint team, close. Runs inside the sweep's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q

from complaintdesk.accounts.models import User
from complaintdesk.accounts.selectors import nearest_role_holders, role_holders
from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.subjects import subject_department
from complaintdesk.core.errors import DomainError
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.notices import local_moment, notice_send
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Action, ActionKind, Policy, Role
from complaintdesk.policy.schema import Clock as ClockDef
from complaintdesk.units.scope import unit_path


def least_loaded(role: str, *, at: Any) -> User | None:
    """Of the holders of ``role`` at the nearest unit up the complaint's chain (its own unit's
    supervisors before head office's), the one who owns the fewest open complaints."""
    return (nearest_role_holders(role, at=at)
            .annotate(load=Count("owned_complaints", filter=~Q(owned_complaints__status__in=[
                "closed", "rejected", "withdrawn"])))
            .order_by("load", "id").first())


def recipients(to: list[str], *, complaint: Any, policy: Policy, clock: Clock,
               cache: dict[tuple[str, ...], list[User]] | None = None) -> list[User]:
    """The users ``to`` names for this complaint and clock, each once. ``cache`` (one sweep batch's)
    keeps the holders of a role at a unit, so that a batch asks once per role and unit."""
    cache = {} if cache is None else cache

    def holders(role: str, department: int | None = None) -> list[User]:
        key = (role, str(department or ""), unit_path(complaint) or "")
        if key not in cache:
            cache[key] = list(role_holders(role, department=department, at=complaint))
        return cache[key]

    out: list[User] = []
    for name in to:
        if name == "owner":
            out.append(complaint.owner)
        elif name == "level_supervisor":
            for role in policy.level(complaint.level).supervising_roles():
                out.extend(holders(role))
        elif name == "department":
            department = subject_department(clock.subject)
            if department is not None:
                out.extend(holders(Role.HANDLER, department))
        elif name in Role._value2member_map_:
            out.extend(holders(name))
    unique: dict[int, User] = {}
    for user in out:
        if user is not None:
            unique.setdefault(user.pk, user)
    return list(unique.values())


def notify_users(*, users: list[User], complaint: Any, policy: Policy, definition: ClockDef, clock: Clock,
                 kind: str) -> None:
    notice_send(users=users, complaint=complaint, kind=f"clock_{kind}", clock=definition.label,
                due=local_moment(clock.due_at, policy.timezone))


@dataclass(frozen=True)
class SystemActions:
    """What the system does to a complaint when a clock says so: the complaints app's own services,
    the ones a person uses (actor=None, number=, now=, reason= and the action's own value), registered
    in its ``AppConfig.ready()``: the clock engine sits below the complaints app and does not import it."""

    escalate: Callable[..., Any]
    reassign: Callable[..., Any]
    open_major: Callable[..., Any]
    close: Callable[..., Any]


_system: list[SystemActions] = []


def system_actions_register(actions: SystemActions) -> None:
    _system[:] = [actions]


def reread(complaint: Any) -> None:
    """Read the complaint again after a service changed it, keeping the related rows already loaded
    (its owner, unit and policy version) where the complaint still points at them: a plain
    ``refresh_from_db`` forgets them, and each would then cost a query of its own."""
    related = [type(complaint)._meta.get_field(name) for name in ("owner", "unit", "policy_version")]
    kept = [(field, field.get_cached_value(complaint)) for field in related if field.is_cached(complaint)]
    complaint.refresh_from_db()
    for field, value in kept:
        if value is not None and getattr(complaint, field.attname) == value.pk:
            field.set_cached_value(complaint, value)


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
    reread(complaint)


def run_actions(*, clock: Clock, complaint: Any, policy: Policy, definition: ClockDef, kind: str,
                actions: list[Action], now: datetime) -> None:
    if not _system:
        raise RuntimeError("no system actions are registered (the complaints app registers them)")
    system = _system[0]
    done: list[dict[str, Any]] = []
    why = f"clock:{clock.code}"
    number = complaint.number
    for action in actions:
        if action.do == ActionKind.NOTIFY:
            users = recipients(action.to, complaint=complaint, policy=policy, clock=clock)
            notify_users(users=users, complaint=complaint, policy=policy, definition=definition, clock=clock,
                         kind=kind)
            done.append({"do": "notify", "to": [u.username for u in users],
                         "names": [u.display_name() for u in users]})
        elif action.do == ActionKind.RAISE_LEVEL and complaint.is_open:
            target = action.level or "next"
            level = rules.next_level(policy, complaint.level) if target == "next" else policy.level(target)
            if level is not None and level.rank > policy.level(complaint.level).rank:
                _system_act(done, {"do": "raise_level", "level": level.code},
                            partial(system.escalate, actor=None, number=number, level=level.code,
                                    now=now, reason=why), complaint)
        elif action.do == ActionKind.REASSIGN and complaint.is_open:
            user = least_loaded(action.to[0], at=complaint)
            if user is not None and user.pk != complaint.owner_id:
                _system_act(done, {"do": "reassign", "to": user.username, "name": user.display_name()},
                            partial(system.reassign, actor=None, number=number, to=user.username,
                                    now=now, reason=why), complaint)
        elif action.do == ActionKind.OPEN_MAJOR_TEAM and complaint.is_open and complaint.major_opened_at is None:
            _system_act(done, {"do": "open_major_team"},
                        partial(system.open_major, actor=None, number=number, now=now, reason=why),
                        complaint)
        elif action.do == ActionKind.CLOSE and complaint.is_open:
            _system_act(done, {"do": "close", "reason": action.reason},
                        partial(system.close, actor=None, number=number, now=now,
                                reason=action.reason or clock.code), complaint)
    if definition.repeats and kind == "breach":
        type(complaint).objects.filter(pk=complaint.pk).update(missed_update_days=F("missed_update_days") + 1)
        complaint.refresh_from_db(fields=["missed_update_days"])
        local_due = clock.due_at.astimezone(ZoneInfo(policy.timezone))
        # a period that ends at 24:00 belongs to the day before the midnight it is stored as
        day = local_due.date() - timedelta(days=1) if local_due.time() == time(0, 0) else local_due.date()
        shown = on_timeline("progress_missing", clock=clock.code, day=day.isoformat(), actions=done)
    else:
        shown = on_timeline(f"clock_{kind}", clock=clock.code, due=clock.due_at.isoformat(), subject=clock.subject,
                            actions=done)
    record(actor=None, action=f"clock.{kind}", obj=clock, complaint=complaint,
           after={"clock": clock.code, "subject": clock.subject, "due_at": clock.due_at, "actions": done},
           timeline=shown, at=now)
