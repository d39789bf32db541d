"""The daily summary the monthly report and the dashboard read (decision 0009), kept by the worker.

Each pass stores the lines of the days that are over and not stored yet (a month of days at a
time) and recomputes the stored days a change has marked since (the marks are written by database
triggers, ``reports/summary_triggers.py``). A pass holds the marks table locked (PostgreSQL:
``EXCLUSIVE``; SQLite: the database's write lock) from reading the marks to deleting them, so no
change can slip between the two: a change made meanwhile waits for the pass and marks its day
afterwards. A day that is not stored, or marked, is read live by the reports, so the figures are
exact whether or not the worker has run."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Min
from django.db.models.functions import TruncDate

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.policies import active_policy
from complaintdesk.reports.models import DayCount, MonthCount, SummaryMark, SummaryState
from complaintdesk.reports.selectors.daily import daily_lines
from complaintdesk.reports.selectors.summary import day_ranges, first_of_month, midnight, next_month

CHUNK_DAYS = 31


def _locked_state(tz: ZoneInfo, now: datetime) -> SummaryState:
    """The one state row, locked with the marks table for this transaction; a summary made in
    another time zone is dropped (its days are other days)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {SummaryMark._meta.db_table} IN EXCLUSIVE MODE")
    state = SummaryState.objects.select_for_update().order_by("pk").first()
    if state is None:
        state = SummaryState(timezone=str(tz))
    if state.timezone != str(tz):
        DayCount.objects.all().delete()
        MonthCount.objects.all().delete()
        state.timezone, state.until = str(tz), None
    state.refreshed_at = now
    state.save()  # on SQLite the first write takes the database's write lock
    return state


def _first_day(tz: ZoneInfo, today: date) -> date:
    first = Complaint.objects.aggregate(first=Min("registered_at"))["first"]
    return min(first.astimezone(tz).date(), today) if first is not None else today


def _pass(tz: ZoneInfo, now: datetime, today: date, chunk_days: int) -> tuple[int, bool]:
    """One locked pass: recompute the marked stored days and store the next run of new days.
    Returns (days written, whether every day before today is now stored)."""
    with transaction.atomic():
        state = _locked_state(tz, now)
        marked = {day if isinstance(day, date) else date.fromisoformat(str(day)) for day in
                  SummaryMark.objects.annotate(local_day=TruncDate("at", tzinfo=tz))
                  .values_list("local_day", flat=True).distinct()}
        until = state.until
        redo = sorted(day for day in marked if until is not None and day < until)
        first = until if until is not None else _first_day(tz, today)
        end = max(first, min(first + timedelta(days=chunk_days), today))
        ranges = day_ranges(redo, tz)
        if first < end:
            ranges.append((midnight(first, tz), midnight(end, tz)))
        lines = daily_lines(tz, ranges, now)
        DayCount.objects.filter(day__in=redo).delete()
        DayCount.objects.filter(day__gte=first, day__lt=end).delete()
        DayCount.objects.bulk_create(
            [DayCount(day=line.day, fact=line.fact, unit_id=line.unit_id, level=line.level or "",
                      category=line.category or "", code=(line.code or "")[:400], count=line.count, met=line.met,
                      breached=line.breached, running=line.running, paused=line.paused, extended=line.extended,
                      score_sum=line.score_sum, scored=line.scored)
             for line in lines if line.day is not None and line.unit_id is not None],
            batch_size=2000)
        # every mark is handled: its day was recomputed now, or is not stored yet (it will be
        # computed from the rows when it is), or is today (read live)
        SummaryMark.objects.all().delete()
        state.until = end
        state.save(update_fields=["until"])
        store_months({first_of_month(day) for day in redo} | months_between(first, end), end)
    return len(redo) + (end - first).days, end >= today


def months_between(first: date, end: date) -> set[date]:
    """The months that hold a day of ``[first, end)``."""
    out: set[date] = set()
    month = first_of_month(first)
    while month < end:
        out.add(month)
        month = next_month(month)
    return out


def store_months(months: set[date], until: date) -> None:
    """Sum the daily lines of each of ``months`` whose every day is stored (it ends by ``until``)
    into its monthly lines, replacing the ones there were; a month not over yet has none."""
    complete = sorted(month for month in months if next_month(month) <= until)
    if not complete:
        return
    MonthCount.objects.filter(month__in=complete).delete()
    numbers = ("count", "met", "breached", "running", "paused", "extended", "score_sum", "scored")
    keys = ("fact", "unit_id", "level", "category", "code")
    day_table, month_table = DayCount._meta.db_table, MonthCount._meta.db_table
    columns = ", ".join((*keys, *numbers))
    sums = ", ".join(f"SUM({name})" for name in numbers)
    # every name is a constant of this module and the months are parameters
    sql = (f"INSERT INTO {month_table} (month, {columns}) "  # noqa: S608
           f"SELECT %s, {', '.join(keys)}, {sums} FROM {day_table} "
           f"WHERE day >= %s AND day < %s GROUP BY {', '.join(keys)}")
    with connection.cursor() as cursor:
        for month in complete:
            cursor.execute(sql, [month.isoformat(), month.isoformat(), next_month(month).isoformat()])


def summary_refresh(*, now: datetime, tz: ZoneInfo | None = None, chunk_days: int = CHUNK_DAYS) -> int:
    """Bring the daily summary up to the start of today (in the policy's time zone): every day
    that is over is stored, every marked day recomputed. Returns how many days were written."""
    if tz is None:
        tz = ZoneInfo(active_policy()[1].timezone)
    today = now.astimezone(tz).date()
    written, done = _pass(tz, now, today, chunk_days)
    while not done:
        more, done = _pass(tz, now, today, chunk_days)
        written += more
    return written


def run_summary() -> int:
    """The worker's periodic job."""
    from django.utils import timezone

    return summary_refresh(now=timezone.now())
