"""Firing a sweep batch's clocks with one write per table.

Most firings only notify (a warning to the owner, a breach to the owner and the level's supervisor):
nothing they do changes the complaint, so a batch of them is planned in Python first — which fire,
whom each notifies — and then written together: the firings (one insert, under the unique
constraint that makes a clock fire once), the notices (``notify.notices.notices_send``: one read of
the preferences, one insert), the audit events (``core.audit.audit_many``: one lock of the chain's
head, one insert), the timeline entries (one insert) and the clocks' new times (one update per
distinct set of values). A clock whose plan fails is left out and retried at the next sweep; when
the batch's writes fail, their savepoint rolls back and each clock fires alone through the sweep's
per-clock path (``sweep.fire_one``), so one bad clock never stops the others.

Firings that act on the complaint (raise the level, reassign, open the major team, close) or that
repeat (the daily update) take the per-clock path: they run the complaints app's services.

The timeline entries are the complaints app's ``TimelineEntry`` rows, reached through the clock's
relation (clocks sits below complaints), written as ``complaints.services.common.timeline_add``
writes them; they are then published to ``core.events`` like any other entry (webhooks), in one
``publish_many``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from complaintdesk.clocks import actions
from complaintdesk.clocks.models import Clock, ClockFiring
from complaintdesk.clocks.services import next_fire_time
from complaintdesk.core import events
from complaintdesk.core.audit import Change, audit_many
from complaintdesk.core.policies import policy_of
from complaintdesk.notify.notices import NoticeOut, local_moment, notices_send
from complaintdesk.policy.schema import ActionKind
from complaintdesk.policy.schema import Clock as ClockDef

logger = logging.getLogger("complaintdesk.clocks")


@dataclass
class Plan:
    """What one clock's firing writes, decided before anything is written."""

    clock: Clock
    kinds: list[str] = field(default_factory=list)  # "warning", "breach", in that order
    done: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notices: list[NoticeOut] = field(default_factory=list)


def due_kinds(clock: Clock, now: datetime) -> list[str]:
    """The firings due on ``clock`` at ``now`` (the per-clock path asks the same questions)."""
    kinds = []
    if clock.warn_at is not None and clock.warned_at is None and clock.warn_at <= now and clock.warn_at < clock.due_at:
        kinds.append(ClockFiring.Kind.WARNING.value)
    if clock.breached_at is None and clock.due_at <= now:
        kinds.append(ClockFiring.Kind.BREACH.value)
    return kinds


def definition_of(clock: Clock) -> ClockDef | None:
    try:
        return policy_of(clock.complaint.policy_version).clock(clock.code)
    except KeyError:
        return None


def batchable(clock: Clock, now: datetime) -> bool:
    """True when every action of the clock's due firings only notifies (and it does not repeat)."""
    definition = definition_of(clock)
    if definition is None or definition.repeats:
        return False
    for kind in due_kinds(clock, now):
        todo = definition.on_warning if kind == "warning" else definition.on_breach
        if any(action.do != ActionKind.NOTIFY for action in todo):
            return False
    return True


def plan(clock: Clock, now: datetime, cache: dict[tuple[str, ...], list[Any]]) -> Plan:
    """Whom each due firing of a notify-only clock notifies, as ``actions.run_actions`` would."""
    complaint = clock.complaint
    policy = policy_of(complaint.policy_version)
    definition = policy.clock(clock.code)
    out = Plan(clock)
    for kind in due_kinds(clock, now):
        done: list[dict[str, Any]] = []
        for action in definition.on_warning if kind == "warning" else definition.on_breach:
            users = actions.recipients(action.to, complaint=complaint, policy=policy, clock=clock, cache=cache)
            out.notices.append(NoticeOut(users=tuple(users), kind=f"clock_{kind}", complaint=complaint,
                                         params={"clock": definition.label,
                                                 "due": local_moment(clock.due_at, policy.timezone)}))
            done.append({"do": "notify", "to": [u.username for u in users],
                         "names": [u.display_name() for u in users]})
        out.kinds.append(kind)
        out.done[kind] = done
    return out


def fire_batch(clocks: list[Clock], now: datetime, *, worker: str, fire_one: Callable[[Clock], int],
               skipped: set[int]) -> int:
    """Fire notify-only clocks (their complaints locked and attached) with one write per table; on
    a failed write, each clock alone through ``fire_one`` (in its own savepoint). Returns firings."""
    cache: dict[tuple[str, ...], list[Any]] = {}
    plans = []
    for clock in clocks:
        try:
            plans.append(plan(clock, now, cache))
        except Exception:
            logger.exception("clock %s of complaint %s failed; retried at the next sweep", clock.pk,
                             clock.complaint.number)
            skipped.add(clock.pk)
    if not plans:
        return 0
    before = {p.clock.pk: (p.clock.warned_at, p.clock.breached_at, p.clock.next_fire_at) for p in plans}
    try:
        with transaction.atomic():
            return write(plans, now, worker=worker)
    except Exception:
        logger.exception("the sweep's batch write failed; firing its %d clock(s) one by one", len(plans))
    for item in plans:  # as they were read: the per-clock path decides again what is due
        item.clock.warned_at, item.clock.breached_at, item.clock.next_fire_at = before[item.clock.pk]
    fired = 0
    for item in plans:
        try:
            with transaction.atomic():
                fired += fire_one(item.clock)
        except Exception:
            logger.exception("clock %s of complaint %s failed; retried at the next sweep", item.clock.pk,
                             item.clock.complaint.number)
            skipped.add(item.clock.pk)
            actions.reread(item.clock.complaint)  # its rolled-back changes leave the shared copy
    return fired


def write(plans: list[Plan], now: datetime, *, worker: str) -> int:
    """The batch's rows, one statement per table (a clash on the firings' unique constraint raises:
    the caller then fires clock by clock, and the clash is found there)."""
    ClockFiring.objects.bulk_create([
        ClockFiring(clock=p.clock, kind=kind, at=now, worker=worker, actions=[a["do"] for a in p.done[kind]])
        for p in plans for kind in p.kinds])
    notices_send([notice for p in plans for notice in p.notices])
    changes = []
    entries = []
    for p in plans:
        clock, complaint = p.clock, p.clock.complaint
        for kind in p.kinds:
            after = {"clock": clock.code, "subject": clock.subject, "due_at": clock.due_at, "actions": p.done[kind]}
            changes.append(Change(action=f"clock.{kind}", object_type=Clock._meta.label_lower, object_id=str(clock.pk),
                                  complaint_number=str(complaint.number), after=after))
            entries.append((complaint, f"clock_{kind}", {"clock": clock.code, "due": clock.due_at.isoformat(),
                                                         "subject": clock.subject, "actions": p.done[kind]}))
    audit_many(actor=None, changes=changes)
    if entries:
        timeline = timeline_model()
        timeline.objects.bulk_create([timeline(complaint=complaint, kind=kind, actor=None, at=now, data=data)
                                      for complaint, kind, data in entries])
        events.publish_many([(kind, complaint, data) for complaint, kind, data in entries])
    groups: dict[tuple[datetime | None, datetime | None, datetime | None], list[int]] = {}
    for p in plans:
        clock = p.clock
        if "warning" in p.kinds:
            clock.warned_at = now
        if "breach" in p.kinds:
            clock.breached_at = now
        clock.next_fire_at = next_fire_time(clock)
        groups.setdefault((clock.warned_at, clock.breached_at, clock.next_fire_at), []).append(clock.pk)
    for (warned, breached, next_fire), ids in groups.items():
        Clock.objects.filter(pk__in=ids).update(warned_at=warned, breached_at=breached, next_fire_at=next_fire)
    return sum(len(p.kinds) for p in plans)


def timeline_model() -> Any:
    """The complaints app's timeline entry, through the complaint's relation (complaints sits above clocks)."""
    complaint: Any = Clock._meta.get_field("complaint").related_model
    return complaint._meta.get_field("timeline").related_model
