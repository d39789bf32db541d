"""The working-time schedule of a policy, with the calendar files administrators add."""

from __future__ import annotations

import logging
from datetime import datetime, time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from complaintdesk.policy.schema import Duration, Policy, Unit
from complaintdesk.worktime import (
    CalendarFileError,
    ChinaCalendar,
    CountryCalendar,
    DayCalendar,
    Deadline,
    WorkingPeriod,
    WorkSchedule,
    end_of_days,
    end_of_months,
    end_of_working_days,
    monthly_on,
    same_day_until,
)
from complaintdesk.worktime import Unit as WorkUnit

logger = logging.getLogger("complaintdesk.calendars")


def calendar_directory_stamp() -> float:
    """Changes when an administrator adds or replaces a calendar file, so that running processes
    pick the file up without a restart."""
    directory = Path(settings.COMPLAINTDESK_CALENDAR_DIR)
    try:
        return max([directory.stat().st_mtime, *(f.stat().st_mtime for f in directory.glob("*.y*ml"))])
    except OSError:
        return 0.0


@lru_cache(maxsize=16)
def _calendar(country: str, subdivision: str | None, stamp: float) -> DayCalendar:
    if country == "CN":
        try:
            return ChinaCalendar(Path(settings.COMPLAINTDESK_CALENDAR_DIR))
        except CalendarFileError as exc:
            # a broken file dropped in by hand must not stop registrations or the sweep: use the
            # official library and the provisional rule, and say so loudly
            logger.error("calendar directory %s has a broken file, ignored until fixed:\n%s",
                         settings.COMPLAINTDESK_CALENDAR_DIR, "\n".join(exc.problems))
            return ChinaCalendar(None)
    return CountryCalendar(country, subdivision)


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(23, 59, 59, 999999) if hours == "24" else time(int(hours), int(minutes))


@lru_cache(maxsize=32)
def _schedule(country: str, subdivision: str | None, tz: str, periods: tuple[tuple[str, str], ...],
              stamp: float) -> WorkSchedule:
    return WorkSchedule(
        _calendar(country, subdivision, stamp),
        ZoneInfo(tz),
        [WorkingPeriod(_time(start), _time(end)) for start, end in periods],
    )


def schedule_for(policy: Policy) -> WorkSchedule:
    spec = policy.calendar
    return _schedule(spec.country, spec.subdivision, policy.timezone,
                     tuple((p.start, p.end) for p in spec.working_hours), calendar_directory_stamp())


def reset_caches() -> None:
    """Forget loaded calendars (after an administrator adds a calendar file)."""
    _calendar.cache_clear()
    _schedule.cache_clear()


def add_duration(policy: Policy, start: datetime, duration: Duration) -> Deadline:
    """The deadline ``duration`` after ``start`` under the policy's calendar (docs/policy.md,
    "Deadlines"): hours and minutes are exact, working hours and minutes count working time, and
    periods of days, working days, months and years end at the end of their last day (or of its
    working hours); same-day cut-offs and days of the month as the duration says."""
    schedule = schedule_for(policy)
    return deadline_after(schedule, start, duration)


def deadline_after(schedule: WorkSchedule, start: datetime, duration: Duration) -> Deadline:
    if duration.monthly_on is not None:
        return monthly_on(schedule, start, duration.monthly_on)
    if duration.same_day_until is not None:
        cutoff = _time(duration.same_day_until)
        plain = duration.model_copy(update={"same_day_until": None})
        return same_day_until(schedule, start, cutoff, lambda moment: deadline_after(schedule, moment, plain))
    if duration.unit == Unit.CALENDAR_DAYS:
        return end_of_days(schedule, start, duration.amount)
    if duration.unit == Unit.WORKING_DAYS:
        return end_of_working_days(schedule, start, duration.amount)
    if duration.unit == Unit.MONTHS:
        return end_of_months(schedule, start, duration.amount)
    if duration.unit == Unit.YEARS:
        return end_of_months(schedule, start, 12 * duration.amount)
    return schedule.add(start, duration.amount, WorkUnit(duration.unit.value))


def paused_shift(schedule: WorkSchedule, duration: Duration, due: datetime, start: datetime, end: datetime
                 ) -> datetime:
    """Move ``due`` later by the clock time of ``duration``'s kind that passed between ``start`` and
    ``end`` (a pause): working time for working units, real time otherwise."""
    if duration.is_working:
        minutes = int(schedule.elapsed(start, end, WorkUnit.WORKING_MINUTES).total_seconds() // 60)
        return schedule.add(due, minutes, WorkUnit.WORKING_MINUTES).due_at if minutes > 0 else due
    return due + (end - start)

