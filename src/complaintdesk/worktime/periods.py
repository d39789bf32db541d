"""Periods that end at the end of a day: the way Chinese law and the seeds count "within 7 days".

Civil Code art. 201: a period counted in days (months, years) does not count the day on which it
starts; it runs from the next day.  Art. 202: a period of months or years ends on the corresponding
day of the last month (the last day of that month when it has no such day).  Art. 203: the period
ends at 24:00 of its last day; where there are business hours, at the end of business hours.

Every function takes a :class:`~complaintdesk.worktime.schedule.WorkSchedule` (the calendar, the
time zone and the working hours) and a timezone-aware ``start`` and returns a
:class:`~complaintdesk.worktime.model.Deadline` in the schedule's time zone:

* :func:`end_of_days` -- ``n`` calendar days: 24:00 of the ``n``-th day after the day of ``start``
  (``n = 0``: the end of that very day).  Never provisional (the calendar is not consulted).
* :func:`end_of_working_days` -- ``n`` working days: the end of the working hours of the ``n``-th
  working day after the day of ``start`` (``n = 0``, "the same day": the end of the working hours
  of that day when it is a working day whose hours have not ended, else of the next working day).
  Days follow the official calendar with its adjusted working days (调休).

A ``start`` at exactly local midnight counts as 24:00 of the day before: a deadline extended by
``1d`` from 24:00 of the 7th ends at 24:00 of the 8th.
* :func:`end_of_months` -- ``n`` months: 24:00 of the corresponding day ``n`` months later, or of
  the last day of that month when it is shorter.
* :func:`same_day_until` -- a same-day cut-off: an event on a working day before ``cutoff`` is due
  at ``cutoff`` that day; otherwise the ``otherwise`` deadline applies (for instance the end of the
  next working day).
* :func:`monthly_on` -- a day of the month: 24:00 of the next ``day`` of a month after the day of
  ``start`` (the last day of a shorter month).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from .model import Deadline
from .schedule import WorkSchedule

__all__ = ["end_of_days", "end_of_months", "end_of_working_days", "monthly_on", "same_day_until"]


def _aware(start: datetime) -> None:
    if not isinstance(start, datetime):
        raise TypeError(f"start must be a datetime, got {start!r}")
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError(f"start must be timezone-aware, got naive {start.isoformat()}")


def _count(n: int, label: str = "amount") -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{label} must be an int, got {n!r}")
    if n < 0:
        raise ValueError(f"{label} must not be negative, got {n}")


def _event_day(schedule: WorkSchedule, start: datetime) -> date:
    """The local day of ``start``; exactly midnight is 24:00 of the day before, so that a period
    that begins where another ended (an extension of a deadline) counts on from that day."""
    local = start.astimezone(schedule.tz)
    if local.time() == time(0, 0):
        return local.date() - timedelta(days=1)
    return local.date()


def _midnight_after(schedule: WorkSchedule, day: date) -> datetime:
    """24:00 of ``day`` in the schedule's zone (= 00:00 of the next day)."""
    following = datetime.combine(day + timedelta(days=1), time(0, 0))
    return following.replace(tzinfo=schedule.tz, fold=0).astimezone(UTC).astimezone(schedule.tz)


def _official(schedule: WorkSchedule, start: datetime, due: datetime) -> Deadline:
    years = schedule.provisional_years(start.astimezone(schedule.tz).date(), due.astimezone(schedule.tz).date())
    return Deadline(due_at=due, provisional=bool(years), provisional_years=years)


def end_of_days(schedule: WorkSchedule, start: datetime, n: int) -> Deadline:
    """24:00 of the ``n``-th calendar day after the day of ``start`` (arts. 201 and 203)."""
    _aware(start)
    _count(n)
    last = _event_day(schedule, start) + timedelta(days=n)
    return Deadline(due_at=_midnight_after(schedule, last), provisional=False, provisional_years=frozenset())


def end_of_working_days(schedule: WorkSchedule, start: datetime, n: int) -> Deadline:
    """The end of the working hours of the ``n``-th working day after the day of ``start``."""
    _aware(start)
    _count(n)
    day = _event_day(schedule, start)
    if n:
        return _official(schedule, start, schedule.end_of_working_hours(schedule.nth_working_day_after(day, n)))
    # the same working day: today's when it is a working day whose hours have not ended, else the next one's
    last = schedule.nth_working_day_after(day - timedelta(days=1), 1)
    end = schedule.end_of_working_hours(last)
    if end < start:
        end = schedule.end_of_working_hours(schedule.nth_working_day_after(last, 1))
    return _official(schedule, start, end)


def _shift_months(day: date, n: int) -> date:
    month_index = day.month - 1 + n
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def end_of_months(schedule: WorkSchedule, start: datetime, n: int) -> Deadline:
    """24:00 of the corresponding day ``n`` months after the day of ``start`` (arts. 201-203)."""
    _aware(start)
    _count(n)
    last = _shift_months(_event_day(schedule, start), n)
    return Deadline(due_at=_midnight_after(schedule, last), provisional=False, provisional_years=frozenset())


def same_day_until(
    schedule: WorkSchedule,
    start: datetime,
    cutoff: time,
    otherwise: Callable[[datetime], Deadline],
) -> Deadline:
    """``cutoff`` on the day of ``start`` when that is a working day and ``start`` is before the
    cut-off; otherwise ``otherwise(start)`` (e.g. the end of the next working day)."""
    _aware(start)
    if not isinstance(cutoff, time) or cutoff.tzinfo is not None:
        raise TypeError(f"cutoff must be a naive datetime.time, got {cutoff!r}")
    local = start.astimezone(schedule.tz)
    if schedule.calendar.is_working_day(local.date()) and local.time() < cutoff:
        due = datetime.combine(local.date(), cutoff).replace(tzinfo=schedule.tz, fold=0)
        return _official(schedule, start, due.astimezone(UTC).astimezone(schedule.tz))
    return otherwise(start)


def monthly_on(schedule: WorkSchedule, start: datetime, day: int) -> Deadline:
    """24:00 of the first ``day`` of a month that comes after the day of ``start`` (the last day of
    a month shorter than ``day``)."""
    _aware(start)
    _count(day, "day")
    if not 1 <= day <= 31:
        raise ValueError(f"day must be between 1 and 31, got {day}")
    local = _event_day(schedule, start)
    for ahead in (0, 1, 2):
        month_index = local.month - 1 + ahead
        year = local.year + month_index // 12
        month = month_index % 12 + 1
        candidate = date(year, month, min(day, _calendar.monthrange(year, month)[1]))
        if candidate > local:
            return Deadline(due_at=_midnight_after(schedule, candidate), provisional=False,
                            provisional_years=frozenset())
    raise AssertionError("unreachable: a later month always has the day")  # pragma: no cover
