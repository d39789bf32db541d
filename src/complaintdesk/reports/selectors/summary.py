"""Reading the daily summary (decision 0009): the stored lines (``DayCount``) for the days that are
summarised and unchanged since, the same lines computed live from the source rows
(:mod:`complaintdesk.reports.selectors.daily`) for every other day — the days not summarised yet
(today, mostly) and the days a change has marked since the worker last summarised them. The sum
of the two equals a count over the source rows at any moment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.db.models.functions import TruncDate

from complaintdesk.reports.models import DayCount, SummaryMark, SummaryState
from complaintdesk.reports.selectors.daily import NUMBERS, ComplaintQ, Line, Range, daily_lines, every_complaint

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
        self._live: list[Line] | None = None

    def live_lines(self) -> list[Line]:
        """The lines of the live days, computed once per reading."""
        if self._live is None:
            self._live = daily_lines(self.tz, self.live, self.now, q=self.q, facts=self.facts)
        return self._live

    def lines(self, *keys: str) -> list[Line]:
        """The lines grouped by ``keys`` (of :data:`KEYS`; ``fact`` always), stored and live together."""
        wanted = ("fact", *(key for key in KEYS if key in keys and key != "fact"))
        merged: dict[tuple[object, ...], list[int]] = {}

        def add(key: tuple[object, ...], values: Sequence[int]) -> None:
            found = merged.setdefault(key, [0] * len(NUMBERS))
            for index, value in enumerate(values):
                found[index] += int(value or 0)

        if self.stored_before is not None:
            stored = DayCount.objects.filter(self.q(""), fact__in=self.facts, day__lt=self.stored_before)
            if self.first is not None:
                stored = stored.filter(day__gte=self.first)
            if self.marked:
                stored = stored.exclude(day__in=sorted(self.marked))
            sums = {f"sum_{name}": Sum(name) for name in NUMBERS}
            for row in stored.values_list(*wanted).annotate(**sums).values_list(*wanted, *sums).order_by():
                add(tuple(row[:len(wanted)]), row[len(wanted):])
        for line in self.live_lines():
            add(tuple(getattr(line, key) for key in wanted), [getattr(line, name) for name in NUMBERS])
        out = []
        for key, values in merged.items():
            fields = dict(zip(wanted, key, strict=True))
            out.append(Line(fields.get("day"), str(fields["fact"]), fields.get("unit_id"),  # type: ignore[arg-type]
                            fields.get("level"), fields.get("category"), fields.get("code"),  # type: ignore[arg-type]
                            *values))
        return out
