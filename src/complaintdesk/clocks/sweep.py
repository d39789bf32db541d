"""The clock sweep: fire the warnings and breaches that are due, each at most once.

The sweep reads only ``next_fire_at <= now`` from a partial index, in batches. On PostgreSQL each
batch is taken with ``SELECT … FOR UPDATE SKIP LOCKED``, so concurrent workers share the work
without waiting on each other; on SQLite ``BEGIN IMMEDIATE`` serialises them. A firing is a row
under a unique constraint (clock, kind), written in the same transaction as its effects: a worker
killed mid-batch rolls back and the next sweep fires the clock again, exactly once. A clock whose
actions raise is rolled back alone (a savepoint per clock), logged, and retried at the next sweep.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime
from functools import partial
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from complaintdesk.clocks import actions
from complaintdesk.clocks import batch as batch_fire
from complaintdesk.clocks.models import Clock, ClockFiring
from complaintdesk.clocks.services import next_fire_time, warning_time
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.policies import policy_of

logger = logging.getLogger("complaintdesk.clocks")
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def sweep(*, now: datetime | None = None, batch: int = 100, limit: int = 10_000) -> int:
    """Fire what is due; returns the number of firings.

    Batches are taken until nothing is due any more, so a repeating clock that was missed on
    several days (the worker was down) is flagged for each of them in one sweep. The complaints of
    a batch are locked too (in id order, skipping those another worker or a user holds right now:
    their clocks wait for the next sweep), so that the actions never overwrite a concurrent change
    of the complaint. The clocks whose firings only notify are written together (clocks.batch);
    the others fire one by one, each in its own savepoint."""
    fired = 0
    skipped: set[int] = set()
    # nothing due (the usual case): one indexed read, no transaction
    if not Clock.objects.filter(next_fire_at__lte=now or timezone.now()).exists():
        return 0
    while fired < limit:
        moment = now or timezone.now()
        with transaction.atomic():
            clocks = _take(moment, batch, skipped)
            if not clocks:
                break
            together = [clock for clock in clocks if batch_fire.batchable(clock, moment)]
            fired += batch_fire.fire_batch(together, moment, worker=WORKER_ID, skipped=skipped,
                                           fire_one=partial(_fire, now=moment))
            alone = {clock.pk for clock in together}
            for clock in clocks:
                if clock.pk in alone:
                    continue
                try:
                    # one savepoint per clock: a clock whose actions fail (a bug, a bad policy
                    # action) is rolled back alone and retried next sweep; the others still fire
                    with transaction.atomic():
                        fired += _fire(clock, moment)
                except Exception:
                    logger.exception("clock %s of complaint %s failed; retried at the next sweep", clock.pk,
                                     clock.complaint.number)
                    skipped.add(clock.pk)
                    actions.reread(clock.complaint)  # its rolled-back changes leave the shared copy
    return fired


def _take(moment: datetime, batch: int, skipped: set[int]) -> list[Clock]:
    """The next batch of due clocks, locked, each with its complaint (locked, with its policy
    version, owner and unit). A clock whose complaint another transaction holds is skipped."""
    qs = Clock.objects.filter(next_fire_at__lte=moment).exclude(pk__in=skipped).order_by("next_fire_at", "id")
    postgres = connection.vendor == "postgresql"
    if postgres:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    clocks = list(qs[:batch])
    if not clocks:
        return []
    complaints_qs = _complaint_model().objects.filter(pk__in={c.complaint_id for c in clocks}).order_by("pk")
    if postgres:
        complaints_qs = complaints_qs.select_for_update(skip_locked=True, of=("self",))
    complaints = {c.pk: c for c in complaints_qs.select_related("policy_version", "owner", "unit")}
    taken = []
    for clock in clocks:
        complaint = complaints.get(clock.complaint_id)
        if complaint is None:  # locked elsewhere at this moment
            skipped.add(clock.pk)
            continue
        clock.complaint = complaint
        taken.append(clock)
    if not taken and clocks:  # every complaint of the batch is held elsewhere: look further
        return _take(moment, batch, skipped)
    return taken


def _record(clock: Clock, kind: str, at: datetime, actions: list[str]) -> bool:
    try:
        with transaction.atomic():
            ClockFiring.objects.create(clock=clock, kind=kind, at=at, worker=WORKER_ID, actions=actions)
    except IntegrityError:
        return False
    return True


def _fire(clock: Clock, now: datetime) -> int:
    complaint = clock.complaint
    policy = policy_of(complaint.policy_version)
    try:
        definition = policy.clock(clock.code)
    except KeyError:
        clock.next_fire_at = None
        clock.save(update_fields=["next_fire_at"])
        return 0
    count = 0
    if clock.warn_at is not None and clock.warned_at is None and clock.warn_at <= now and clock.warn_at < clock.due_at:
        if _record(clock, ClockFiring.Kind.WARNING, now, [a.do.value for a in definition.on_warning]):
            actions.run_actions(clock=clock, complaint=complaint, policy=policy, definition=definition, kind="warning",
                                actions=definition.on_warning, now=now)
            count += 1
        clock.warned_at = now
    if clock.breached_at is None and clock.due_at <= now:
        if _record(clock, ClockFiring.Kind.BREACH, now, [a.do.value for a in definition.on_breach]):
            # the complaint is as the batch read and locked it, or as the last service that changed
            # it left it (each system action reads it again): no second read here
            actions.run_actions(clock=clock, complaint=complaint, policy=policy, definition=definition, kind="breach",
                                actions=definition.on_breach, now=now)
            count += 1
        clock.breached_at = now
    clock.refresh_from_db(fields=["status"])
    clock.next_fire_at = next_fire_time(clock)
    clock.save(update_fields=["warned_at", "breached_at", "next_fire_at"])
    if definition.repeats and clock.breached_at is not None and clock.status == Clock.Status.RUNNING:
        _next_cycle(clock, policy, definition, complaint)
    return count


def _next_cycle(clock: Clock, policy: Any, definition: Any, complaint: Any) -> None:
    """A repeating clock (the daily update) that was missed: close this cycle as missed and start
    the next one from the missed due time, so each missed working day is flagged once."""
    clock.status = Clock.Status.STOPPED
    clock.stopped_at = clock.due_at
    clock.next_fire_at = None
    clock.save(update_fields=["status", "stopped_at", "next_fire_at"])
    actions.reread(complaint)
    if not complaint.is_open:
        return
    due = add_duration(policy, clock.due_at, definition.duration)
    new = Clock(complaint=complaint, code=clock.code, subject=clock.subject, cycle=clock.cycle + 1,
                started_at=clock.due_at, due_at=due.due_at, provisional=due.provisional,
                warn_at=warning_time(policy, definition, clock.due_at, due.due_at))
    new.next_fire_at = next_fire_time(new)
    new.save()


def _complaint_model() -> Any:
    """The complaint model, through the clock's relation (the complaints app sits above clocks)."""
    return Clock._meta.get_field("complaint").related_model
