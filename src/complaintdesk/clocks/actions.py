"""What a warning or a breach does, as the policy says: notify, raise the level, reassign, open the
major-complaint team, close. Runs inside the sweep's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q

from complaintdesk.accounts.models import User
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.clocks.models import Clock
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.notices import local_moment, notice_send
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Action, ActionKind, Policy, Role
from complaintdesk.policy.schema import Clock as ClockDef


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
                out.extend(role_holders(supervisor))
        elif name == "department":
            if clock.subject.startswith("work_order:"):
                from complaintdesk.complaints.models import WorkOrder

                order = WorkOrder.objects.filter(pk=int(clock.subject.split(":", 1)[1])).first()
                if order is not None:
                    out.extend(role_holders(Role.HANDLER, department=order.department_id))
        elif name in Role._value2member_map_:
            out.extend(role_holders(name))
    unique: dict[int, User] = {}
    for user in out:
        unique.setdefault(user.pk, user)
    return list(unique.values())


def notify_users(*, users: list[User], complaint: Any, policy: Policy, definition: ClockDef, clock: Clock,
                 kind: str) -> None:
    notice_send(users=users, complaint=complaint, kind=f"clock_{kind}", clock=definition.label,
                due=local_moment(clock.due_at, policy.timezone))


def run_actions(*, clock: Clock, complaint: Any, policy: Policy, definition: ClockDef, kind: str,
                actions: list[Action], now: datetime) -> None:
    from complaintdesk.complaints.services import system

    done: list[dict[str, Any]] = []
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
                system.complaint_escalate_system(complaint=complaint, level=level.code, now=now,
                                                   reason=f"clock:{clock.code}")
                done.append({"do": "raise_level", "level": level.code})
        elif action.do == ActionKind.REASSIGN and complaint.is_open:
            user = least_loaded(action.to[0])
            if user is not None and user.pk != complaint.owner_id:
                system.complaint_reassign_system(complaint=complaint, to_user=user, now=now,
                                                   reason=f"clock:{clock.code}")
                done.append({"do": "reassign", "to": user.username})
        elif action.do == ActionKind.OPEN_MAJOR_TEAM and complaint.is_open and complaint.major_opened_at is None:
            system.complaint_open_major_system(complaint=complaint, now=now, reason=f"clock:{clock.code}")
            done.append({"do": "open_major_team"})
        elif action.do == ActionKind.CLOSE and complaint.is_open:
            system.complaint_close_system(complaint=complaint, now=now, reason=action.reason or clock.code)
            done.append({"do": "close", "reason": action.reason})
    if definition.repeats and kind == "breach":
        type(complaint).objects.filter(pk=complaint.pk).update(missed_update_days=F("missed_update_days") + 1)
        complaint.refresh_from_db(fields=["missed_update_days"])
        day = clock.due_at.astimezone(ZoneInfo(policy.timezone)).date()
        shown = on_timeline("progress_missing", clock=clock.code, day=day.isoformat(), actions=done)
    else:
        shown = on_timeline(f"clock_{kind}", clock=clock.code, due=clock.due_at.isoformat(), subject=clock.subject,
                            actions=done)
    record(actor=None, action=f"clock.{kind}", obj=clock, complaint=complaint,
           after={"clock": clock.code, "subject": clock.subject, "due_at": clock.due_at, "actions": done},
           timeline=shown, at=now)
