"""Reading the daily summary (decision 0009): the stored lines (``DayCount``) for the days that are
summarised and unchanged since, the same lines computed live from the source rows
(:mod:`complaintdesk.reports.selectors.daily`) for every other day — the days not summarised yet
(today, mostly) and the days a change has marked since the worker last summarised them. The sum
of the two equals a count over the source rows at any moment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import attrgetter, itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate

from complaintdesk.reports.models import DayCount, MonthCount, SummaryMark, SummaryState
from complaintdesk.reports.selectors.daily import (
    COMPLAINT_KEYS,
    NUMBERS,
    ComplaintQ,
    Line,
    Range,
    daily_lines,
    every_complaint,
)

KEYS = ("day", "fact", "unit_id", "level", "category", "code")


def midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def summarised_until(tz: ZoneInfo) -> date | None:
    """The first day not summarised in ``tz`` (None: nothing is, or it was summarised in another zone)."""
    state = SummaryState.objects.order_by("pk").first()
    if state is None or state.until is None or state.timezone != str(tz):
        return None
    return state.until


def marked_days(tz: ZoneInfo, first: date | None, before: date) -> set[date]:
    """The days in ``[first, before)`` a change has marked since they were summarised."""
    marks = SummaryMark.objects.filter(at__lt=midnight(before, tz))
    if first is not None:
        marks = marks.filter(at__gte=midnight(first, tz))
    days = marks.annotate(local_day=TruncDate("at", tzinfo=tz)).values_list("local_day", flat=True).distinct()
    return {day if isinstance(day, date) else date.fromisoformat(str(day)) for day in days}


def day_ranges(days: Iterable[date], tz: ZoneInfo) -> list[Range]:
    """Days → half-open ranges of instants, neighbouring days joined."""
    out: list[Range] = []
    run_start: date | None = None
    previous: date | None = None
    for day in sorted(set(days)):
        if previous is not None and day == previous + timedelta(days=1):
            previous = day
            continue
        if run_start is not None and previous is not None:
            out.append((midnight(run_start, tz), midnight(previous + timedelta(days=1), tz)))
        run_start = previous = day
    if run_start is not None and previous is not None:
        out.append((midnight(run_start, tz), midnight(previous + timedelta(days=1), tz)))
    return out


class Reading:
    """The lines of ``facts`` for the days ``[first, last]`` (``first`` None: from the beginning)
    of the complaints ``q`` keeps. ``q`` must also be a filter on ``DayCount`` with the prefix ""
    (unit, level, category); ``stored=False`` reads everything live (a filter the summary cannot
    answer, such as a department)."""

    def __init__(self, tz: ZoneInfo, first: date | None, last: date, now: datetime, *,
                 facts: Sequence[str], q: ComplaintQ = every_complaint, stored: bool = True) -> None:
        self.tz, self.first, self.last, self.now, self.facts, self.q = tz, first, last, now, list(facts), q
        until = summarised_until(tz) if stored else None
        self.until = until
        after_last = last + timedelta(days=1)
        self.stored_before = min(until, after_last) if until is not None else None
        if self.stored_before is not None and (first is None or self.stored_before > first):
            self.marked = marked_days(tz, first, self.stored_before)
        else:
            self.stored_before = None
            self.marked = set()
        live: list[Range] = []
        if self.stored_before is None:
            live.append((None if first is None else midnight(first, tz), midnight(after_last, tz)))
        else:
            live.extend(day_ranges(self.marked, tz))
            if self.stored_before < after_last:
                live.append((midnight(self.stored_before, tz), midnight(after_last, tz)))
        self.live = live
        self._live: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Line]] = {}
        self._cache: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Line]] = {}

    def live_lines(self, keys: Sequence[str] = COMPLAINT_KEYS, facts: Sequence[str] | None = None) -> list[Line]:
        """The lines of the live days of ``facts`` (default: the reading's) grouped by the
        complaint's ``keys`` (of :data:`COMPLAINT_KEYS`) besides day and code: lines already read
        with more keys and facts serve, else the source rows are read, grouped by no more than
        asked (a chart by code of the whole tree reads the day's visits without their complaints)."""
        wanted = tuple(key for key in COMPLAINT_KEYS if key in keys)
        chosen = tuple(sorted(self.facts if facts is None else facts))
        for (known_keys, known_facts), lines in self._live.items():
            if set(wanted) <= set(known_keys) and set(chosen) <= set(known_facts):
                return lines if set(chosen) == set(known_facts) else [ln for ln in lines if ln.fact in chosen]
        found = daily_lines(self.tz, self.live, self.now, q=self.q, facts=chosen, keys=wanted)
        self._live[(wanted, chosen)] = found
        return found

    def lines(self, *keys: str, facts: Sequence[str] | None = None) -> list[Line]:
        """The lines of ``facts`` (default: the reading's) grouped by ``keys`` (of :data:`KEYS`;
        ``fact`` always), stored and live together. A grouping already read with more keys and
        facts is summed again in Python instead of asking the database twice."""
        wanted = ("fact", *(key for key in KEYS if key in keys and key != "fact"))
        chosen = tuple(sorted(self.facts if facts is None else (f for f in facts if f in self.facts)))
        found = self._cache.get((wanted, chosen))
        if found is not None:
            return found
        finer = [known for (known_keys, known_facts), known in self._cache.items()
                 if set(wanted) <= set(known_keys) and set(chosen) <= set(known_facts)]
        if finer:  # the smallest grouping that holds this one
            known = min(finer, key=len)
            facts_kept = set(chosen)
            out = regroup([line for line in known if line.fact in facts_kept], wanted)
            self._cache[(wanted, chosen)] = out
            return out
        partial = [set(known_facts) & set(chosen) for known_keys, known_facts in self._cache
                   if set(wanted) <= set(known_keys) and set(known_facts) & set(chosen)]
        if partial:  # some facts from a finer grouping, the others read
            have = max(partial, key=len)
            out = [*self.lines(*wanted, facts=sorted(have)), *self.lines(*wanted, facts=sorted(set(chosen) - have))]
            self._cache[(wanted, chosen)] = out
            return out
        merged: dict[tuple[object, ...], list[int]] = {}
        for row in self.stored_rows(wanted, chosen):
            add_to(merged, tuple(row[:len(wanted)]), row[len(wanted):])
        for line in self.live_lines(wanted, chosen):
            if line.fact in chosen:
                add_to(merged, tuple(getattr(line, key) for key in wanted), [getattr(line, n) for n in NUMBERS])
        out = as_lines(merged, wanted)
        self._cache[(wanted, chosen)] = out
        return out

    def stored_rows(self, wanted: Sequence[str], facts: Sequence[str]) -> list[tuple[Any, ...]]:
        """The stored lines of the stored, unmarked days grouped by ``wanted``: for each month the
        reading touches, its monthly lines when it covers the whole month, or when the days it
        leaves out are fewer than the days it covers (the month's lines less the daily lines of the
        days left out), else the daily lines of its days; the stored lines of the marked days in
        the months read as monthly lines come off again (they are read live). Grouping by day reads
        daily lines only."""
        if self.stored_before is None or not facts:
            return []
        plan = self.plan("day" not in wanted)
        needed = numbers_of(facts)
        # the numbers the facts never fill are not summed but given as 0 by the database (an
        # index-only scan when only counts are summed)
        sums = {f"sum_{name}": Sum(name) if name in needed else Value(0) for name in NUMBERS}

        def grouped(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
            return fetch(queryset.values_list(*wanted).annotate(**sums).values_list(*wanted, *sums).order_by())

        rows: list[tuple[Any, ...]] = []
        if plan.days:
            daily = DayCount.objects.filter(days_in(plan.days), self.q(""), fact__in=facts)
            if self.marked:
                daily = daily.exclude(day__in=sorted(self.marked))
            rows.extend(grouped(daily))
        if plan.months is not None:
            monthly = MonthCount.objects.filter(self.q(""), fact__in=facts, month__lt=plan.months[1])
            if plan.months[0] is not None:
                monthly = monthly.filter(month__gte=plan.months[0])
            rows.extend(grouped(monthly))
        if plan.off:
            # a month's lines are the sum of its stored days: the days left out, and the marked
            # days (read live), come off again
            stale = DayCount.objects.filter(days_in(plan.off), self.q(""), fact__in=facts)
            for row in grouped(stale):
                rows.append((*row[:len(wanted)], *(-int(value or 0) for value in row[len(wanted):])))
        if "day" in wanted:  # SQLite gives a date as text when the ORM's converters are skipped
            at = list(wanted).index("day")
            rows = [(*row[:at], as_date(row[at]), *row[at + 1:]) for row in rows]
        return rows

    def plan(self, by_month: bool) -> Plan:
        """Which stored lines make the stored days ``[first, stored_before)``: see :meth:`stored_rows`."""
        assert self.stored_before is not None and self.until is not None  # noqa: S101 (only when stored)
        low, high = self.first, self.stored_before
        if not by_month:
            return Plan(days=[(low, high)], months=None, off=[])
        days: list[DayRange] = []
        off: list[DayRange] = []
        monthly: list[date] = []
        # from the beginning: every month before the last one is whole and stored
        month = first_of_month(high) if low is None else first_of_month(low)
        while month < high:
            after = next_month(month)
            start, end = (month if low is None else max(month, low)), min(after, high)
            covered = (end - start).days
            left_out = (after - month).days - covered
            if after <= self.until and left_out < covered:
                monthly.append(month)
                off.extend((a, b) for a, b in ((month, start), (end, after)) if a < b)
            else:
                days.append((start, end))
            month = after
        chosen = set(monthly)
        head = first_of_month(high)  # from the beginning, the months before it are read as monthly lines too
        off.extend((day, day + timedelta(days=1)) for day in sorted(self.marked)
                   if first_of_month(day) in chosen or (low is None and day < head))
        if low is None:
            return Plan(days=days, months=(None, next_month(monthly[-1]) if monthly else first_of_month(high)),
                        off=off)
        return Plan(days=days, months=(monthly[0], next_month(monthly[-1])) if monthly else None, off=off)


DayRange = tuple[date | None, date]


@dataclass(frozen=True)
class Plan:
    """The stored lines a reading sums: the daily lines of ``days`` (half-open ranges of days, an
    open start reaching back to the first), the monthly lines of the months ``[months)`` and, with
    the opposite sign, the daily lines of ``off``."""

    days: list[DayRange]
    months: tuple[date | None, date] | None
    off: list[DayRange]


def days_in(ranges: Sequence[DayRange]) -> Q:
    query = Q(pk__in=[])
    for start, end in ranges:
        query |= Q(day__lt=end) if start is None else Q(day__gte=start, day__lt=end)
    return query


def first_of_month(day: date) -> date:
    return day.replace(day=1)


# the numbers each fact fills (``count`` only for the others)
FACT_NUMBERS: dict[str, tuple[str, ...]] = {
    "clock": ("count", "met", "breached", "running", "paused", "extended"),
    "work_order": ("count", "met", "breached", "running"),
    "visit": ("count", "score_sum", "scored"),
}


def numbers_of(facts: Sequence[str]) -> tuple[str, ...]:
    needed = {name for fact in facts for name in FACT_NUMBERS.get(fact, ("count",))}
    return tuple(name for name in NUMBERS if name in needed)


def fetch(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of an aggregate, straight from the cursor: the ORM's per-value converters cost more
    than the database's grouping for the thousands of lines a report reads."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def add_to(merged: dict[tuple[object, ...], list[int]], key: tuple[object, ...], values: Sequence[Any]) -> None:
    found = merged.get(key)
    if found is None:
        merged[key] = [int(value or 0) for value in values]
    else:
        merged[key] = [int(value or 0) + known for value, known in zip(values, found, strict=True)]


LINE_KEYS = ("day", "fact", "unit_id", "level", "category", "code")


def as_lines(merged: dict[tuple[object, ...], list[int]], wanted: Sequence[str]) -> list[Line]:
    # each of the line's keys from its place in ``wanted``, or from the None added at the end
    pick = itemgetter(*(list(wanted).index(key) if key in wanted else len(wanted) for key in LINE_KEYS))
    out: list[Line] = []
    append = out.append
    for key, values in merged.items():
        if any(values):  # else a stored day taken off again and counted elsewhere live
            append(Line(*pick((*key, None)), *values))
    return out


def regroup(lines: Sequence[Line], wanted: Sequence[str]) -> list[Line]:
    """Lines summed again by fewer keys."""
    key_of = attrgetter(*wanted)
    numbers_of = attrgetter(*NUMBERS)
    merged: dict[tuple[object, ...], list[int]] = {}
    single = len(wanted) == 1
    for line in lines:
        key = (key_of(line),) if single else key_of(line)
        found = merged.get(key)
        if found is None:
            merged[key] = list(numbers_of(line))
        else:
            merged[key] = [a + b for a, b in zip(found, numbers_of(line), strict=True)]
    return as_lines(merged, wanted)
