"""Small value types shared by the worktime package."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from itertools import pairwise
from typing import Protocol, runtime_checkable


class Unit(StrEnum):
    """The unit a complaint clock is expressed in."""

    MINUTES = "minutes"
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    WORKING_MINUTES = "working_minutes"

    @property
    def is_working(self) -> bool:
        """True for the units that are counted in working time."""
        return self in _WORKING_UNITS


_WORKING_UNITS = frozenset({Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.WORKING_MINUTES})


@dataclass(frozen=True)
class DayInfo:
    """What a calendar knows about one day.

    ``name`` is the name of the holiday, or of the adjusted working day (调休),
    when the calendar knows one; ordinary weekdays and weekends have ``None``.
    ``provisional`` is True when the day comes from a fallback rule rather
    than from an official schedule.
    """

    day: date
    working: bool
    provisional: bool
    name: str | None


@runtime_checkable
class DayCalendar(Protocol):
    """Anything that can tell whether a day is a working day."""

    def day_info(self, day: date) -> DayInfo: ...

    def is_working_day(self, day: date) -> bool: ...


@dataclass(frozen=True)
class WorkingPeriod:
    """A daily span of working time in local wall-clock time, ``[start, end)``.

    Both ends are naive ``time`` values; ``start`` must be before ``end``
    (a period cannot cross midnight).
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        for label, value in (("start", self.start), ("end", self.end)):
            if not isinstance(value, time):
                raise TypeError(f"WorkingPeriod.{label} must be a datetime.time, got {value!r}")
            if value.tzinfo is not None:
                raise ValueError(
                    f"WorkingPeriod.{label} must be a naive local time, got {value.isoformat()}"
                )
        if not self.start < self.end:
            raise ValueError(
                f"WorkingPeriod start {self.start.isoformat()} must be before "
                f"end {self.end.isoformat()}"
            )

    def __str__(self) -> str:
        return f"{self.start.isoformat('minutes')}-{self.end.isoformat('minutes')}"


def validate_periods(periods: Sequence[WorkingPeriod]) -> tuple[WorkingPeriod, ...]:
    """The periods as a tuple, checked to be sorted and not to overlap (touching is allowed)."""
    result = tuple(periods)
    if not result:
        raise ValueError("a work schedule needs at least one working period")
    for period in result:
        if not isinstance(period, WorkingPeriod):
            raise TypeError(f"expected WorkingPeriod objects, got {period!r}")
    for before, after in pairwise(result):
        if after.start < before.end:
            raise ValueError(
                "working periods must be sorted and must not overlap: "
                f"{before} is followed by {after}"
            )
    return result


DEFAULT_PERIODS: tuple[WorkingPeriod, ...] = (
    WorkingPeriod(time(9, 0), time(12, 0)),
    WorkingPeriod(time(13, 0), time(18, 0)),
)


@dataclass(frozen=True)
class Deadline:
    """The result of :meth:`WorkSchedule.add`.

    ``provisional`` is True when at least one day consulted while computing
    ``due_at`` lies in a year for which the calendar has no official data;
    ``provisional_years`` lists those years (empty otherwise).
    """

    due_at: datetime
    provisional: bool
    provisional_years: frozenset[int]
