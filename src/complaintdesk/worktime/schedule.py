"""Deadline arithmetic in an organisation's working time.

A :class:`WorkSchedule` combines a :class:`DayCalendar` (which days are
working days), a time zone and the daily working periods (by default
09:00-12:00 and 13:00-18:00) and answers questions such as "what is
3 working days after this moment?" or "how much working time is left?".

General rules
-------------
* Every ``datetime`` argument must be timezone-aware (``ValueError``
  otherwise).  Arithmetic is done in the schedule's time zone and results are
  returned in that zone.
* Working time is the union of the half-open intervals ``[period.start,
  period.end)`` of the working days, in local wall-clock time.  Durations are
  measured as real elapsed time, so a period that contains a DST change is
  one hour shorter or longer (with the usual periods this never happens).
* Results carry the schedule's ``ZoneInfo``.  Python compares and subtracts
  datetimes that share a tzinfo by *wall time*; in zones with DST convert to
  UTC first when comparing instants around a clock change.
* The algorithms step by years (binary search in a per-year index of working
  days), days and periods -- never minute by minute.  Day lookups are cached
  per schedule, so a calendar file added later is only seen by a new schedule.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .model import DEFAULT_PERIODS, DayCalendar, Deadline, Unit, WorkingPeriod, validate_periods
from .pauses import OpenPauseError, Pause, UtcPause, merge_pauses, require_aware

__all__ = ["WorkSchedule"]

_Interval = tuple[datetime, datetime]

_ZERO = timedelta(0)
_MAX_EMPTY_YEARS = 10
_UNIT_DELTAS = {
    Unit.MINUTES: timedelta(minutes=1),
    Unit.HOURS: timedelta(hours=1),
    Unit.WORKING_MINUTES: timedelta(minutes=1),
    Unit.WORKING_HOURS: timedelta(hours=1),
}


@dataclass(frozen=True)
class _YearIndex:
    working: tuple[int, ...]  # ordinals of the working days, sorted
    working_set: frozenset[int]
    provisional: tuple[int, ...]  # ordinals of the provisional days, sorted


class WorkSchedule:
    """Working time of an organisation: calendar + time zone + daily periods.

    ``tz`` is a ``ZoneInfo`` or an IANA name such as ``"Asia/Shanghai"``.
    ``periods`` must be non-empty, sorted and non-overlapping (touching is
    allowed); otherwise ``ValueError``.
    """

    def __init__(
        self,
        calendar: DayCalendar,
        tz: ZoneInfo | str,
        periods: Sequence[WorkingPeriod] = DEFAULT_PERIODS,
    ) -> None:
        if isinstance(tz, str):
            try:
                tz = ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone {tz!r}") from exc
        if not isinstance(tz, ZoneInfo):
            raise TypeError(f"tz must be a ZoneInfo or a time zone name, got {tz!r}")
        self._calendar = calendar
        self._tz = tz
        self._periods = validate_periods(periods)
        self._years: dict[int, _YearIndex] = {}
        self._intervals: dict[int, tuple[_Interval, ...]] = {}
        self._sums: dict[int, tuple[timedelta, ...]] = {}  # per year: running working time

    def __repr__(self) -> str:
        periods = ", ".join(str(p) for p in self._periods)
        return f"WorkSchedule({self._calendar!r}, {self._tz.key!r}, [{periods}])"

    @property
    def calendar(self) -> DayCalendar:
        return self._calendar

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    @property
    def periods(self) -> tuple[WorkingPeriod, ...]:
        return self._periods

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------

    def add(
        self,
        start: datetime,
        amount: int,
        unit: Unit | str,
        *,
        pauses: Sequence[Pause] = (),
    ) -> Deadline:
        """Return the deadline ``amount`` ``unit`` after ``start``.

        Units:

        * ``MINUTES`` / ``HOURS``: real elapsed time (``start + amount``
          minutes/hours), independent of the calendar; across a DST change
          "24 hours" is 24 real hours.
        * ``CALENDAR_DAYS``: the local date advances by ``amount`` days and
          the local wall-clock time is kept (so a calendar day across a DST
          change lasts 23 or 25 hours).  A wall time that does not exist on
          the target day is moved forward by the gap; an ambiguous one means
          its first occurrence.
        * ``WORKING_MINUTES`` / ``WORKING_HOURS``: working time is consumed
          period by period; the result is the earliest moment at which
          ``amount`` of working time has elapsed since ``start``.  It is
          inside working time or exactly at the end of a period (e.g.
          11:00 + 1 working hour = 12:00, not 13:00).  ``amount=0`` returns
          ``start`` unchanged.
        * ``WORKING_DAYS``: ``start`` is first normalised to working time
          (if it is outside a working period or on a non-working day it moves
          to the start of the next working period), then the date advances by
          ``amount`` working days keeping the local wall-clock time of the
          normalised start (moved forward by the gap if a DST change makes
          it non-existent on the target day).  ``amount=0`` returns the
          normalised start.
          E.g. Friday 17:00 + 1 working day = Monday 17:00; Friday 20:00 +
          1 working day = Tuesday 09:00 (normalised to Monday 09:00 first).

        Pauses: each ``(p0, p1)`` is a half-open interval during which the
        clock is stopped (e.g. waiting on the customer).  Overlapping pauses
        are merged, so no time is counted twice.  The deadline is moved
        later by the time of the clock's own kind that fell inside the pauses
        -- working time for working units, real elapsed time for the other
        units -- where time that falls into a pause after the original
        deadline is skipped as well (the clock only runs outside pauses).
        A pause therefore never makes a deadline earlier, and a pause that
        lies entirely outside working time never moves a working-unit
        deadline.  For an ongoing pause pass ``p1 = now``; ``p1 = None``
        means "paused indefinitely" and raises :class:`OpenPauseError` if
        the pause affects the deadline (it is ignored otherwise).

        Provisional: for working units, if any day from the local date of
        ``start`` to the local date of the result is provisional (e.g. a
        year that the Chinese calendar has not published yet), the deadline
        is provisional and ``provisional_years`` lists those years.  The
        other units never consult the calendar and are never provisional.

        Raises ``ValueError`` for naive datetimes and negative amounts.
        """
        unit = Unit(unit)
        require_aware(start, "start")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"amount must be an int, got {amount!r}")
        if amount < 0:
            raise ValueError(f"amount must not be negative, got {amount}")
        merged = merge_pauses(pauses)
        begin = start.astimezone(UTC)
        working = unit.is_working

        base = self._add_plain(begin, amount, unit)
        due = base
        if merged:
            shift = self._paused_time(begin, base, merged, working)
            if shift > _ZERO:
                due = self._consume(base, shift, merged, working)

        years: frozenset[int] = frozenset()
        if working:
            years = self._provisional_years(self._local_date(begin), self._local_date(due))
        return Deadline(
            due_at=due.astimezone(self._tz), provisional=bool(years), provisional_years=years
        )

    def elapsed(
        self,
        start: datetime,
        end: datetime,
        unit: Unit | str,
        *,
        pauses: Sequence[Pause] = (),
    ) -> timedelta:
        """Counted clock time between ``start`` and ``end``, as a ``timedelta``.

        For working units (``WORKING_DAYS`` included) this is the working time
        in ``[start, end)``; for ``MINUTES`` / ``HOURS`` / ``CALENDAR_DAYS`` it
        is the real elapsed time.  Time inside ``pauses`` is not counted (an
        open pause, end ``None``, lasts until ``end``).  If ``end`` is before
        ``start`` the result is the negated elapsed time of ``[end, start)``.

        For working minutes/hours ``elapsed(s, add(s, n, u).due_at, u)`` equals
        ``n`` minutes/hours.  To count whole working days use
        :meth:`working_days_between`.
        """
        unit = Unit(unit)
        require_aware(start, "start")
        require_aware(end, "end")
        merged = merge_pauses(pauses)
        a = start.astimezone(UTC)
        b = end.astimezone(UTC)
        if b < a:
            return -self._counted(b, a, merged, unit.is_working)
        return self._counted(a, b, merged, unit.is_working)

    def remaining(self, now: datetime, due_at: datetime) -> timedelta:
        """Working time left from ``now`` until ``due_at`` (for countdown badges).

        Equals ``elapsed(now, due_at, WORKING_MINUTES)``: zero at ``due_at``,
        positive before it and negative after it whenever working time lies
        in between.  Note that it is also zero when only non-working time
        separates the two (e.g. 19:00 for a deadline at 18:00 the same day):
        decide "overdue" by comparing ``now >= due_at``, use this value for
        display.
        """
        return self.elapsed(now, due_at, Unit.WORKING_MINUTES)

    def is_working_time(self, moment: datetime) -> bool:
        """Whether ``moment`` lies in ``[period.start, period.end)`` of a working day."""
        require_aware(moment, "moment")
        instant = moment.astimezone(UTC)
        ordinal = self._local_date(instant).toordinal()
        if not self._is_working_ordinal(ordinal):
            return False
        return any(a <= instant < b for a, b in self._day_intervals(ordinal))

    def next_working_moment(self, moment: datetime) -> datetime:
        """``moment`` itself if it is working time, else the start of the next working period.

        The result is in the schedule's time zone.
        """
        require_aware(moment, "moment")
        instant = moment.astimezone(UTC)
        first, _ = next(self._working_intervals(instant))
        return first.astimezone(self._tz)

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days ``d`` with ``a < d <= b``.

        Negative (``-working_days_between(b, a)``) when ``b < a``.
        """
        for label, value in (("a", a), ("b", b)):
            if isinstance(value, datetime) or not isinstance(value, date):
                raise TypeError(f"{label} must be a datetime.date, got {value!r}")
        if b < a:
            return -self.working_days_between(b, a)
        lo = a.toordinal()
        hi = b.toordinal()
        count = 0
        for year in range(a.year, b.year + 1):
            index = self._year(year)
            count += bisect_right(index.working, hi) - bisect_right(index.working, lo)
        return count

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The ``n``-th (n >= 1) working day strictly after ``day``."""
        if isinstance(day, datetime) or not isinstance(day, date):
            raise TypeError(f"day must be a datetime.date, got {day!r}")
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a whole number of at least 1, got {n!r}")
        return date.fromordinal(self._nth_working_day_after(day.toordinal(), n))

    def end_of_working_hours(self, day: date) -> datetime:
        """The end of the last working period of ``day``, in the schedule's time zone."""
        if isinstance(day, datetime) or not isinstance(day, date):
            raise TypeError(f"day must be a datetime.date, got {day!r}")
        return self._day_intervals(day.toordinal())[-1][1].astimezone(self._tz)

    def provisional_years(self, first: date, last: date) -> frozenset[int]:
        """The years with provisional days between ``first`` and ``last`` (inclusive)."""
        if last < first:
            first, last = last, first
        return self._provisional_years(first, last)

    # ------------------------------------------------------------------
    # Unit arithmetic without pauses
    # ------------------------------------------------------------------

    def _add_plain(self, begin: datetime, amount: int, unit: Unit) -> datetime:
        if unit is Unit.MINUTES or unit is Unit.HOURS:
            return begin + amount * _UNIT_DELTAS[unit]
        if unit is Unit.CALENDAR_DAYS:
            local = begin.astimezone(self._tz)
            target = local.date() + timedelta(days=amount)
            return self._wall_to_utc(datetime.combine(target, local.time()))
        if unit is Unit.WORKING_DAYS:
            normalised, _ = next(self._working_intervals(begin))
            if amount == 0:
                return normalised
            local = normalised.astimezone(self._tz)
            target_ordinal = self._nth_working_day_after(local.date().toordinal(), amount)
            return self._wall_to_utc(
                datetime.combine(date.fromordinal(target_ordinal), local.time())
            )
        return self._consume(begin, amount * _UNIT_DELTAS[unit], (), working=True)

    def _wall_to_utc(self, naive: datetime) -> datetime:
        """Local wall time -> UTC; gaps move forward, ambiguous times take the first occurrence."""
        return naive.replace(tzinfo=self._tz, fold=0).astimezone(UTC)

    # ------------------------------------------------------------------
    # Pauses and measuring
    # ------------------------------------------------------------------

    def _paused_time(
        self, a: datetime, b: datetime, pauses: Sequence[UtcPause], working: bool
    ) -> timedelta:
        """Clock time (working or real) inside ``pauses`` within ``[a, b)``."""
        total = _ZERO
        for p0, p1 in pauses:
            lo = max(p0, a)
            hi = b if p1 is None else min(p1, b)
            if lo >= hi:
                if p0 >= b:
                    break
                continue
            total += self._working_time(lo, hi) if working else hi - lo
        return total

    def _counted(
        self, a: datetime, b: datetime, pauses: Sequence[UtcPause], working: bool
    ) -> timedelta:
        gross = self._working_time(a, b) if working else b - a
        return gross - self._paused_time(a, b, pauses, working)

    def _working_time(self, a: datetime, b: datetime) -> timedelta:
        """Working time in ``[a, b)`` (UTC instants): the first and the last local day period by
        period, the whole days between from per-year running totals (a deadline 200 working days
        past is not walked day by day)."""
        if b <= a:
            return _ZERO
        first = self._local_date(a).toordinal()
        last = self._local_date(b).toordinal()
        if last - first < 2:
            total = _ZERO
            for lo, hi in self._working_intervals(a):
                if lo >= b:
                    break
                total += min(hi, b) - lo
            return total
        total = self._whole_days_time(first + 1, last - 1)
        for ordinal in (first, last):
            if self._is_working_ordinal(ordinal):
                total += sum((min(hi, b) - max(lo, a) for lo, hi in self._day_intervals(ordinal)
                              if hi > a and lo < b), _ZERO)
        return total

    def _whole_days_time(self, lo: int, hi: int) -> timedelta:
        """The working time of the working days with ordinals ``lo`` to ``hi`` (both included)."""
        total = _ZERO
        for year in range(date.fromordinal(lo).year, date.fromordinal(hi).year + 1):
            working = self._year(year).working
            sums = self._sums.get(year)
            if sums is None:
                running = [_ZERO]
                for ordinal in working:
                    running.append(running[-1] + sum((y - x for x, y in self._day_intervals(ordinal)), _ZERO))
                sums = self._sums[year] = tuple(running)
            total += sums[bisect_right(working, hi)] - sums[bisect_left(working, lo)]
        return total

    def _consume(
        self,
        begin: datetime,
        amount: timedelta,
        pauses: Sequence[UtcPause],
        working: bool,
    ) -> datetime:
        """Earliest instant at which ``amount`` of running clock time has elapsed.

        The clock runs inside working intervals (or all the time when
        ``working`` is False) and outside ``pauses``.
        """
        if amount <= _ZERO:
            return begin
        remaining = amount
        j = 0
        intervals: Iterator[tuple[datetime, datetime | None]] = (
            iter(self._working_intervals(begin)) if working else iter([(begin, None)])
        )
        for lo, hi in intervals:
            cursor = lo
            while hi is None or cursor < hi:
                while j < len(pauses) and (end := pauses[j][1]) is not None and end <= cursor:
                    j += 1
                if j < len(pauses) and pauses[j][0] <= cursor:
                    pause_end = pauses[j][1]
                    if pause_end is None:
                        raise OpenPauseError(
                            "an open pause (end None) stops the clock before the deadline; "
                            "pass the current time as its end to get a provisional deadline"
                        )
                    cursor = pause_end
                    continue
                stop = hi
                if j < len(pauses) and (stop is None or pauses[j][0] < stop):
                    stop = pauses[j][0]
                if stop is None or stop - cursor >= remaining:
                    return cursor + remaining
                remaining -= stop - cursor
                cursor = stop
        raise AssertionError("unreachable: working intervals are unbounded")  # pragma: no cover

    # ------------------------------------------------------------------
    # Days and periods
    # ------------------------------------------------------------------

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self._tz).date()

    def _year(self, year: int) -> _YearIndex:
        index = self._years.get(year)
        if index is None:
            if not 1 <= year <= 9999:
                raise ValueError(f"date out of range: year {year}")
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            working: list[int] = []
            provisional: list[int] = []
            day_info = self._calendar.day_info
            for ordinal in range(first, last + 1):
                info = day_info(date.fromordinal(ordinal))
                if info.working:
                    working.append(ordinal)
                if info.provisional:
                    provisional.append(ordinal)
            index = _YearIndex(tuple(working), frozenset(working), tuple(provisional))
            self._years[year] = index
        return index

    def _is_working_ordinal(self, ordinal: int) -> bool:
        return ordinal in self._year(date.fromordinal(ordinal).year).working_set

    def _nth_working_day_after(self, ordinal: int, n: int) -> int:
        """Ordinal of the ``n``-th (n >= 1) working day strictly after ``ordinal``."""
        year = date.fromordinal(ordinal).year
        index = self._year(year)
        position = bisect_right(index.working, ordinal)
        available = len(index.working) - position
        empty_years = 0
        while n > available:
            n -= available
            year += 1
            index = self._year(year)
            position = 0
            available = len(index.working)
            empty_years = empty_years + 1 if available == 0 else 0
            if empty_years > _MAX_EMPTY_YEARS:
                raise ValueError(
                    f"the calendar has no working days in {_MAX_EMPTY_YEARS} consecutive years"
                )
        return index.working[position + n - 1]

    def _day_intervals(self, ordinal: int) -> tuple[_Interval, ...]:
        """The working periods of a day as UTC intervals (computed for any day, cached)."""
        cached = self._intervals.get(ordinal)
        if cached is None:
            day = date.fromordinal(ordinal)
            result: list[_Interval] = []
            for period in self._periods:
                a = self._wall_to_utc(datetime.combine(day, period.start))
                b = self._wall_to_utc(datetime.combine(day, period.end))
                if result:
                    a = max(a, result[-1][1])
                if a < b:
                    result.append((a, b))
            cached = tuple(result)
            self._intervals[ordinal] = cached
        return cached

    def _working_intervals(self, begin: datetime) -> Iterator[_Interval]:
        """Working intervals from ``begin`` on, the first one clipped to start at ``begin``."""
        ordinal = self._local_date(begin).toordinal() - 1
        while True:
            ordinal = self._nth_working_day_after(ordinal, 1)
            for a, b in self._day_intervals(ordinal):
                if b > begin:
                    yield (max(a, begin), b)

    def _provisional_years(self, first: date, last: date) -> frozenset[int]:
        lo = first.toordinal()
        hi = last.toordinal()
        years: set[int] = set()
        for year in range(first.year, last.year + 1):
            provisional = self._year(year).provisional
            if bisect_left(provisional, lo) < bisect_right(provisional, hi):
                years.add(year)
        return frozenset(years)
