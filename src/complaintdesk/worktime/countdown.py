"""Time left before a deadline, or time past it, counted in the unit of the deadline's clock.

The one place that turns (now, due time, clock kind) into the figures a page or the API shows:

- a clock in calendar time counts wall time, and a day is 24 hours;
- a clock in working time counts only the schedule's working time (weekends, holidays and the
  official adjusted working days 调休 included), before *and after* the deadline, and a day is one
  working day of the schedule's own hours (9:00–12:00 and 13:00–18:00 make 8 hours; 9:00–17:30
  with a lunch hour 7.5) — never a fixed 8-hour day, and never wall time cut into working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from .pauses import require_aware
from .schedule import WorkSchedule

DAY = 86400


@dataclass(frozen=True)
class Countdown:
    """``seconds`` left (negative: past the deadline by that much), counted in the clock's unit;
    ``day_seconds`` is how long one day of that unit is."""

    seconds: int
    working: bool
    overdue: bool
    day_seconds: int

    def parts(self) -> tuple[int, int, int]:
        """Whole days, hours and minutes of the time left (or past), as a person reads them."""
        left = abs(self.seconds)
        days, rest = divmod(left, self.day_seconds)
        hours, rest = divmod(rest, 3600)
        return days, hours, rest // 60


def working_day_seconds(schedule: WorkSchedule) -> int:
    """The length of one working day of the schedule: the sum of its daily working periods."""
    def seconds(moment: time) -> int:
        return moment.hour * 3600 + moment.minute * 60 + moment.second

    total = sum(seconds(period.end) - seconds(period.start) for period in schedule.periods)
    return max(total, 60)


def countdown(schedule: WorkSchedule, now: datetime, due_at: datetime, *, working: bool) -> Countdown:
    """The time between ``now`` and ``due_at`` in the clock's unit; overdue once ``now >= due_at``
    (a moment past the deadline counts at least one second, even outside working hours)."""
    require_aware(now, "now")
    require_aware(due_at, "due_at")
    overdue = now >= due_at
    if working:
        counted = int(schedule.remaining(now, due_at).total_seconds())
        day = working_day_seconds(schedule)
    else:
        counted = int((due_at - now).total_seconds())
        day = DAY
    if overdue:
        counted = min(counted, -1)
    return Countdown(seconds=counted, working=working, overdue=overdue, day_seconds=day)
