"""The daily lines of the summary computed from the source rows (decision 0009): for each day in
the policy's time zone, unit, level and category, the counts of every fact the monthly report and
the dashboard read. The worker stores them for days that are over (``DayCount``); a report reads
them live, with the same function, for the days not stored or changed since.

Every count is one SQL aggregate grouped by the local day (``TruncDate`` in the zone); the
definitions are those of docs/reports.md."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.followup.models import Judgement, ReturnVisit
from complaintdesk.reports.models import DayCount

FACT = DayCount.Fact
FINAL = (Complaint.Status.CLOSED, Complaint.Status.REJECTED, Complaint.Status.WITHDRAWN)
ACTIVE_CLOCK = (Clock.Status.RUNNING, Clock.Status.PAUSED)
REASON_DEPTH = 5
NUMBERS = ("count", "met", "breached", "running", "paused", "extended", "score_sum", "scored")
# a filter on complaints given the path to the complaint ("" or "complaint__")
ComplaintQ = Callable[[str], Q]
# the keys of a complaint a line has besides its day and code; a reading that groups by fewer of
# them reads its live days grouped by fewer (no join to the complaint when nothing filters on it)
COMPLAINT_KEYS = ("unit_id", "level", "category")
Range = tuple[datetime | None, datetime]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the summary; ``day`` and any key a reading did not group by are None."""

    day: date | None
    fact: str
    unit_id: int | None
    level: str | None
    category: str | None
    code: str | None
    count: int = 0
    met: int = 0
    breached: int = 0
    running: int = 0
    paused: int = 0
    extended: int = 0
    score_sum: int = 0
    scored: int = 0


def every_complaint(prefix: str) -> Q:
    return Q()


def within(field: str, ranges: Sequence[Range]) -> Q:
    """``field`` in any of the half-open ranges of instants (an open start reaches back to the first row)."""
    query = Q(pk__in=[])
    for start, end in ranges:
        query |= Q(**{f"{field}__lt": end}) if start is None else Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return query


def _keys(prefix: str, keys: Sequence[str] = COMPLAINT_KEYS) -> tuple[str, ...]:
    return tuple(f"{prefix}{key}" for key in keys)


def _lines(fact: str, rows: Iterable[Sequence[Any]], numbers: Sequence[str] = ("count",),
           keys: Sequence[str] = COMPLAINT_KEYS) -> list[Line]:
    """Rows ``(day, *keys, code, *numbers)`` → lines (a complaint key not grouped by is None)."""
    out = []
    width = 1 + len(keys)
    full = tuple(keys) == COMPLAINT_KEYS
    for row in rows:
        if full:
            unit, level, category = row[1:4]
        else:
            fields = dict(zip(keys, row[1:width], strict=True))
            unit, level, category = fields.get("unit_id"), fields.get("level"), fields.get("category")
        code = row[width]
        values = dict(zip(numbers, (int(v or 0) for v in row[width + 1:]), strict=True))
        out.append(Line(row[0], fact, unit, level, category, "" if code is None else str(code), **values))
    return out


def _json_lines(queryset: QuerySet[Any], column: str, fact: str, keys: Sequence[str]) -> list[Line]:
    """Each element of the JSON list ``column`` counted per day, unit, level and category, the list
    unnested in SQL (json_each on SQLite, jsonb_array_elements_text on PostgreSQL)."""
    inner, params = queryset.values("local_day", *keys, column).query.sql_with_params()
    grouped = ", ".join(f"picked.{key}" for key in ("local_day", *keys))
    # the column is the caller's constant and every value is a parameter of the inner query
    connection = connections[queryset.db]  # the reports' database when they read a replica
    if connection.vendor == "postgresql":
        sql = (f"SELECT {grouped}, item, COUNT(*) FROM ({inner}) AS picked "  # noqa: S608
               f"CROSS JOIN LATERAL jsonb_array_elements_text(picked.{column}) AS item GROUP BY {grouped}, item")
    else:
        sql = (f"SELECT {grouped}, item.value, COUNT(*) FROM ({inner}) AS picked, "  # noqa: S608
               f"json_each(picked.{column}) AS item GROUP BY {grouped}, item.value")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _lines(fact, [(_as_date(r[0]), *r[1:]) for r in rows], keys=keys)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _paths(queryset: QuerySet[Any], column: str, fact: str, keys: Sequence[str]) -> list[Line]:
    """A reason path (``reason_codes``, ``root_cause``) counted per full path, codes joined by "/"."""
    names = [f"r{i}" for i in range(REASON_DEPTH)]
    rows = (queryset.annotate(**{name: KT(f"{column}__{i}") for i, name in enumerate(names)})
            .values_list("local_day", *keys, *names).annotate(n=Count("id"))
            .values_list("local_day", *keys, *names, "n"))
    width = 1 + len(keys)
    return _lines(fact, [(*row[:width], "/".join(c for c in row[width:-1] if c), row[-1]) for row in rows], keys=keys)


def registered_lines(tz: ZoneInfo, ranges: Sequence[Range], q: ComplaintQ, facts: set[str],
                     keys: Sequence[str] = COMPLAINT_KEYS) -> list[Line]:
    """The facts of the complaints registered in the ranges, by their registration day."""
    base = (Complaint.objects.filter(q(""), within("registered_at", ranges))
            .annotate(local_day=TruncDate("registered_at", tzinfo=tz)))
    own = ("local_day", *_keys("", keys))
    width = len(own)
    out: list[Line] = []

    def grouped(queryset: QuerySet[Any], code: str, fact: str) -> None:
        out.extend(_lines(fact, queryset.values_list(*own, code).annotate(n=Count("id"))
                          .values_list(*own, code, "n").order_by(), keys=keys))

    if FACT.REGISTERED in facts:
        grouped(base, "channel", FACT.REGISTERED)
    if FACT.MODEL in facts:
        grouped(base, "product__model", FACT.MODEL)
    if FACT.TARGET in facts:
        out.extend(_json_lines(base, "targets", FACT.TARGET, keys))
    if FACT.REASON in facts:
        out.extend(_paths(base, "reason_codes", FACT.REASON, keys))
    if FACT.ROOT_CAUSE in facts:
        out.extend(_paths(base, "root_cause", FACT.ROOT_CAUSE, keys))
    if FACT.REPEAT in facts:
        links = Complaint.repeats.through.objects.filter(from_complaint_id=OuterRef("id"))
        repeating = base.filter(Exists(links))
        rows = repeating.values_list(*own).annotate(n=Count("id")).values_list(*own, "n").order_by()
        out.extend(_lines(FACT.REPEAT, [(*row[:width], "", row[width]) for row in rows], keys=keys))
    related = ("local_day", *_keys("complaint__", keys))
    if FACT.DEPARTMENT in facts:
        orders = (WorkOrder.objects.filter(q("complaint__"), within("complaint__registered_at", ranges))
                  .annotate(local_day=TruncDate("complaint__registered_at", tzinfo=tz)))
        out.extend(_lines(FACT.DEPARTMENT, orders.values_list(*related, "department__code")
                          .annotate(n=Count("complaint", distinct=True))
                          .values_list(*related, "department__code", "n").order_by(), keys=keys))
    if FACT.VALIDITY in facts or FACT.FAULT in facts:
        judged = (Judgement.objects.filter(q("complaint__"), within("complaint__registered_at", ranges))
                  .annotate(local_day=TruncDate("complaint__registered_at", tzinfo=tz)))
        out.extend(_lines(FACT.VALIDITY, judged.values_list(*related, "validity").annotate(n=Count("id"))
                          .values_list(*related, "validity", "n").order_by(), keys=keys))
        fault = (judged.values_list(*related, "company_at_fault").annotate(n=Count("id"))
                 .values_list(*related, "company_at_fault", "n").order_by())
        out.extend(_lines(FACT.FAULT, [(*row[:width], "company" if row[width] else "no_fault", row[width + 1])
                                       for row in fault], keys=keys))
    return out


def finished_lines(tz: ZoneInfo, ranges: Sequence[Range], q: ComplaintQ,
                   keys: Sequence[str] = COMPLAINT_KEYS) -> list[Line]:
    """Complaints by the day of their final transition (``closed_at``) and their status now."""
    rows = (Complaint.objects.filter(q(""), within("closed_at", ranges))
            .annotate(local_day=TruncDate("closed_at", tzinfo=tz))
            .values_list("local_day", *_keys("", keys), "status").annotate(n=Count("id"))
            .values_list("local_day", *_keys("", keys), "status", "n").order_by())
    return _lines(FACT.FINISHED, rows, keys=keys)


def clock_lines(tz: ZoneInfo, ranges: Sequence[Range], now: datetime, q: ComplaintQ,
                keys: Sequence[str] = COMPLAINT_KEYS) -> list[Line]:
    """Clocks by the day they are due (cancelled ones left out): met, breached, running at ``now``,
    paused and extended at least once (docs/reports.md, Deadlines)."""
    late = (Q(breached_at__isnull=False) | Q(stopped_at__gt=F("due_at"))
            | Q(status__in=ACTIVE_CLOCK, due_at__lt=now))
    grouping = ("local_day", *_keys("complaint__", keys))
    rows = (Clock.objects.filter(q("complaint__"), within("due_at", ranges)).exclude(status=Clock.Status.CANCELLED)
            .annotate(local_day=TruncDate("due_at", tzinfo=tz))
            .values_list(*grouping, "code")
            .annotate(due=Count("id"),
                      met=Count("id", filter=Q(stopped_at__isnull=False, stopped_at__lte=F("due_at"),
                                               breached_at__isnull=True)),
                      breached=Count("id", filter=late),
                      running=Count("id", filter=Q(status__in=ACTIVE_CLOCK, due_at__gte=now,
                                                   breached_at__isnull=True)),
                      paused=Count("id", filter=Q(paused_since__isnull=False) | ~Q(pauses=[])),
                      extended=Count("id", filter=~Q(extensions=[])))
            .values_list(*grouping, "code", "due", "met", "breached", "running", "paused", "extended").order_by())
    return _lines(FACT.CLOCK, rows, ("count", "met", "breached", "running", "paused", "extended"), keys)


def work_order_lines(tz: ZoneInfo, ranges: Sequence[Range], now: datetime, q: ComplaintQ,
                     keys: Sequence[str] = COMPLAINT_KEYS) -> list[Line]:
    """Work orders by the day they are due (cancelled ones left out), per department."""
    status = WorkOrder.Status
    late = Q(replied_at__gt=F("due_at")) | Q(replied_at__isnull=True, status=status.OPEN, due_at__lt=now)
    grouping = ("local_day", *_keys("complaint__", keys))
    rows = (WorkOrder.objects.filter(q("complaint__"), within("due_at", ranges)).exclude(status=status.CANCELLED)
            .annotate(local_day=TruncDate("due_at", tzinfo=tz))
            .values_list(*grouping, "department__code")
            .annotate(due=Count("id"),
                      met=Count("id", filter=Q(replied_at__isnull=False, replied_at__lte=F("due_at"))),
                      breached=Count("id", filter=late),
                      running=Count("id", filter=Q(replied_at__isnull=True, status=status.OPEN, due_at__gte=now)))
            .values_list(*grouping, "department__code", "due", "met", "breached", "running").order_by())
    return _lines(FACT.WORK_ORDER, rows, ("count", "met", "breached", "running"), keys)


def visit_lines(tz: ZoneInfo, ranges: Sequence[Range], q: ComplaintQ,
                keys: Sequence[str] = COMPLAINT_KEYS) -> list[Line]:
    """Return visits answered, by the day they were completed and the satisfaction given."""
    grouping = ("local_day", *_keys("complaint__", keys))
    rows = (ReturnVisit.objects.filter(q("complaint__"), within("completed_at", ranges),
                                       state=ReturnVisit.State.DONE, result=ReturnVisit.Result.ANSWERED)
            .annotate(local_day=TruncDate("completed_at", tzinfo=tz))
            .values_list(*grouping, "satisfaction")
            .annotate(n=Count("id"), total=Sum("score"), scored=Count("score"))
            .values_list(*grouping, "satisfaction", "n", "total", "scored").order_by())
    return _lines(FACT.VISIT, rows, ("count", "score_sum", "scored"), keys)


ALL_FACTS = frozenset(str(fact) for fact in FACT)
REGISTRATION_FACTS = ALL_FACTS - {FACT.FINISHED, FACT.CLOCK, FACT.WORK_ORDER, FACT.VISIT}


def daily_lines(tz: ZoneInfo, ranges: Sequence[Range], now: datetime, *, q: ComplaintQ = every_complaint,
                facts: Iterable[str] = ALL_FACTS, keys: Sequence[str] = COMPLAINT_KEYS) -> list[Line]:
    """Every line of ``facts`` for the days in ``ranges`` (half-open ranges of instants that start and
    end at midnight in ``tz``), of the complaints ``q`` keeps."""
    wanted = set(facts)
    if not ranges or not wanted:
        return []
    out = registered_lines(tz, ranges, q, wanted & REGISTRATION_FACTS, keys) if wanted & REGISTRATION_FACTS else []
    if FACT.FINISHED in wanted:
        out += finished_lines(tz, ranges, q, keys)
    if FACT.CLOCK in wanted:
        out += clock_lines(tz, ranges, now, q, keys)
    if FACT.WORK_ORDER in wanted:
        out += work_order_lines(tz, ranges, now, q, keys)
    if FACT.VISIT in wanted:
        out += visit_lines(tz, ranges, q, keys)
    return out
