"""Reads of clocks: a complaint's deadlines with their remaining working time, and the queues."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.subjects import subject_label
from complaintdesk.core.calendars import schedule_for
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.schema import Policy
from complaintdesk.worktime.countdown import DAY, Countdown, countdown, working_day_seconds

SOON = timedelta(hours=24)
ACTIVE_STATUSES = (Clock.Status.RUNNING, Clock.Status.PAUSED)


@dataclass(frozen=True)
class ClockView:
    id: int
    code: str
    label: str
    subject: str
    subject_label: str  # the object as people read it (a work order's number and department)
    status: str
    started_at: datetime
    due_at: datetime
    provisional: bool
    working: bool
    remaining_seconds: int  # working seconds for working clocks, wall seconds otherwise; < 0 overdue
    day_seconds: int  # one day in the clock's unit: the policy's working day, or 24 hours
    overdue: bool
    warned: bool
    paused: bool
    extensions: list[dict[str, Any]]
    breached_at: datetime | None
    stopped_at: datetime | None


def countdown_of(policy: Policy, clock: Any, now: datetime, working: bool) -> Countdown:
    """Time left until ``clock.due_at`` (a clock, or anything with a due time such as a work
    order), or past it, in the clock's unit: the one computation behind every badge and the API."""
    return countdown(schedule_for(policy), now, clock.due_at, working=working)


class BadgeView:
    """A running deadline as the deadline badge (``core.templatetags.deadlines``) reads it, for
    anything with a due time that is not a clock row (a work order, a return visit), with the same
    fields as :class:`ClockView`."""

    status = "running"
    paused = False
    breached_at = None

    def __init__(self, left: Countdown, warned: bool, due_at: Any = None) -> None:
        self.due_at = due_at
        self.remaining_seconds = left.seconds
        self.day_seconds = left.day_seconds
        self.working = left.working
        self.overdue = left.overdue
        self.warned = warned


def due_badge(policy: Policy, due_at: datetime, now: datetime, *, working: bool) -> BadgeView:
    """The badge of a deadline ``due_at`` counted by the one countdown in the clock's unit."""
    return BadgeView(countdown(schedule_for(policy), now, due_at, working=working), False, due_at)


def remaining(policy: Policy, clock: Any, now: datetime, working: bool) -> int:
    """Seconds left (negative: overdue by), counted in the clock's unit; see :func:`countdown_of`."""
    return countdown_of(policy, clock, now, working).seconds


def clock_views(complaint: Any, *, language: str, include_stopped: bool = True,
                now: datetime | None = None, clocks: list[Clock] | None = None) -> list[ClockView]:
    """The complaint's clocks as shown, by status and due time; ``clocks``: the complaint's clocks
    when the caller has them all (those a registration just started), instead of reading them."""
    policy = policy_of(complaint.policy_version)
    definitions = {d.code: d for d in policy.clocks}
    now = now or timezone.now()
    qs: Iterable[Clock]
    if clocks is not None:
        qs = sorted((c for c in clocks if include_stopped or c.status in ACTIVE_STATUSES),
                    key=lambda c: (c.status, c.due_at))
    else:
        query = complaint.clocks.all().order_by("status", "due_at")
        qs = query if include_stopped else query.filter(status__in=ACTIVE_STATUSES)
    out = []
    for clock in qs:
        definition = definitions.get(clock.code)
        working = bool(definition and definition.duration.is_working)
        active = clock.status in {Clock.Status.RUNNING, Clock.Status.PAUSED}
        left = remaining(policy, clock, now, working) if clock.status == Clock.Status.RUNNING else 0
        day = working_day_seconds(schedule_for(policy)) if working else DAY
        out.append(ClockView(
            id=clock.pk, code=clock.code, label=definition.label.get(language) if definition else clock.code,
            subject=clock.subject, subject_label=subject_label(clock.subject), status=clock.status,
            started_at=clock.started_at, due_at=clock.due_at,
            provisional=clock.provisional, working=working, remaining_seconds=left, day_seconds=day,
            overdue=active and clock.due_at <= now, warned=clock.warned_at is not None,
            paused=clock.status == Clock.Status.PAUSED, extensions=clock.extensions,
            breached_at=clock.breached_at, stopped_at=clock.stopped_at))
    return out


def running_clocks() -> QuerySet[Clock]:
    return Clock.objects.filter(status=Clock.Status.RUNNING)


def with_overdue(qs: QuerySet[Any], now: datetime | None = None) -> QuerySet[Any]:
    now = now or timezone.now()
    late = running_clocks().filter(complaint=OuterRef("pk"), due_at__lte=now)
    return qs.filter(Exists(late))


def with_due_soon(qs: QuerySet[Any], now: datetime | None = None) -> QuerySet[Any]:
    now = now or timezone.now()
    soon = running_clocks().filter(complaint=OuterRef("pk"), due_at__gt=now, due_at__lte=now + SOON)
    return qs.filter(Exists(soon))


class DueClock(NamedTuple):
    """What a list's deadline badge reads of a complaint's earliest running clock."""

    complaint_id: int
    code: str
    due_at: datetime
    warned_at: datetime | None


def next_due(complaint_ids: list[int]) -> dict[int, DueClock]:
    """The earliest running clock of each complaint (for badges in lists), in one query that reads
    only the four columns a badge needs (no clock rows with their pauses and extensions)."""
    out: dict[int, DueClock] = {}
    rows = (running_clocks().filter(complaint_id__in=complaint_ids).order_by("complaint_id", "due_at", "id")
            .values_list("complaint_id", "code", "due_at", "warned_at"))
    for row in rows:
        if row[0] not in out:
            out[row[0]] = DueClock(*row)
    return out
