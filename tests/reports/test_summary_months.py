"""The monthly lines of the summary (decision 0009): each whole month stored is also summed into
``MonthCount`` lines, in the same pass, so that a month's report reads a month's lines instead of
thirty days of them; they always equal the sum of the month's daily lines, a month not over has
none, and a day a change has marked comes off its month's lines and is counted from the rows until
the worker has recomputed both."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from reportkit import NOV_END, NOV_START, NOW, SHANGHAI
from test_summary import NOVEMBER, assert_equals_brute_force

from complaintdesk.complaints.models import Complaint
from complaintdesk.reports.models import DayCount, MonthCount
from complaintdesk.reports.selectors.summary import Reading, next_month
from complaintdesk.reports.services.summary import summary_refresh

NUMBERS = ("count", "met", "breached", "running", "paused", "extended", "score_sum", "scored")
KEYS = ("fact", "unit_id", "level", "category", "code")


def sums(rows: Any) -> Counter[tuple[Any, ...]]:
    out: Counter[tuple[Any, ...]] = Counter()
    for row in rows.values_list(*KEYS, *NUMBERS):
        for name, value in zip(NUMBERS, row[len(KEYS):], strict=True):
            if value:
                out[(*row[:len(KEYS)], name)] += value
    return out


def assert_months_are_their_days() -> set[date]:
    months = set(MonthCount.objects.values_list("month", flat=True))
    for month in months:
        days = DayCount.objects.filter(day__gte=month, day__lt=next_month(month))
        assert sums(MonthCount.objects.filter(month=month)) == sums(days), month
    return months


def test_each_whole_month_stored_is_the_sum_of_its_days(dataset: Any) -> None:
    summary_refresh(now=NOW, tz=SHANGHAI)  # stores the days before 10 December
    months = assert_months_are_their_days()
    assert date(2026, 11, 1) in months and date(2026, 10, 1) in months
    assert date(2026, 12, 1) not in months  # December is not over: its days only
    assert MonthCount.objects.filter(month=date(2026, 11, 1), fact="registered").exists()


def test_a_month_report_reads_the_monthly_lines(dataset: Any) -> None:
    summary_refresh(now=NOW, tz=SHANGHAI)
    reading = Reading(SHANGHAI, NOVEMBER.first_day, NOVEMBER.last_day, NOW, facts=["registered"])
    with CaptureQueriesContext(connection) as queries:
        lines = reading.lines("level")
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert MonthCount._meta.db_table in tables
    registered = Complaint.objects.filter(registered_at__gte=NOV_START, registered_at__lt=NOV_END).count()
    assert sum(line.count for line in lines) == registered > 0
    with CaptureQueriesContext(connection) as again:
        assert sum(line.count for line in reading.lines()) == registered  # summed again from the first grouping
    assert len(again.captured_queries) == 0


def test_a_marked_day_comes_off_its_month_and_is_counted_live(dataset: Any) -> None:
    policy = dataset.org.policy
    summary_refresh(now=NOW, tz=SHANGHAI)
    complaint = dataset.numbers["EDGE-NOV-LAST"]
    complaint.level, complaint.category = "normal", "service_attitude"
    complaint.save(update_fields=["level", "category"])
    # the stored November lines are stale now: the reading must not use them
    reading = Reading(SHANGHAI, NOVEMBER.first_day, NOVEMBER.last_day, NOW, facts=["registered"])
    assert date(2026, 11, 30) in reading.marked
    with CaptureQueriesContext(connection) as queries:
        reading.lines("category")
    assert MonthCount._meta.db_table in " ".join(query["sql"] for query in queries.captured_queries)
    assert_equals_brute_force(policy, NOVEMBER, NOV_START, NOV_END)
    summary_refresh(now=NOW, tz=SHANGHAI)  # recomputes the day and the month
    assert_months_are_their_days()
    assert MonthCount.objects.filter(month=date(2026, 11, 1), category="service_attitude").exists()
    assert_equals_brute_force(policy, NOVEMBER, NOV_START, NOV_END)


def test_still_open_at_the_end_sums_whole_months_and_the_last_days(dataset: Any) -> None:
    policy = dataset.org.policy
    summary_refresh(now=NOW, tz=SHANGHAI)
    december = NOVEMBER.next()
    # December is read from its stored days and today live; the months before from their lines
    assert_equals_brute_force(policy, december, NOV_END, datetime(2026, 12, 31, 16, tzinfo=UTC))
    assert_equals_brute_force(policy, NOVEMBER.previous(), datetime(2026, 9, 30, 16, tzinfo=UTC), NOV_START)


def by_key(lines: Any, keys: tuple[str, ...]) -> Counter[tuple[Any, ...]]:
    out: Counter[tuple[Any, ...]] = Counter()
    for line in lines:
        for name in NUMBERS:
            if getattr(line, name):
                out[(line.fact, *(getattr(line, key) for key in keys), name)] += getattr(line, name)
    return out


PERIODS = [
    (date(2026, 11, 8), date(2026, 12, 9)),  # most of November: its lines less 1–7 November; December by day
    (date(2026, 11, 2), date(2026, 11, 29)),  # inside one month: its lines less the days on both sides
    (date(2026, 10, 20), date(2026, 11, 30)),  # a short head of October read by day, November whole
    (date(2026, 11, 1), date(2026, 11, 30)),  # one whole month
    (date(2026, 11, 16), date(2026, 11, 16)),  # one day
]


def test_a_period_reads_a_month_less_the_days_it_leaves_out(dataset: Any) -> None:
    summary_refresh(now=NOW, tz=SHANGHAI)
    # a change marks 30 November after the summary: that day comes off November's lines and is read live
    complaint = dataset.numbers["EDGE-NOV-LAST"]
    complaint.level = "normal"
    complaint.save(update_fields=["level"])
    facts = ["registered", "root_cause", "clock", "work_order", "visit", "finished"]
    for first, last in [*PERIODS, (None, date(2026, 11, 20)), (None, date(2026, 12, 9))]:
        stored = Reading(SHANGHAI, first, last, NOW, facts=facts)
        live = Reading(SHANGHAI, first, last, NOW, facts=facts, stored=False)
        for keys in (("code",), ("level", "category"), ("day", "level")):
            expected = by_key(live.lines(*keys), keys)
            assert by_key(stored.lines(*keys), keys) == expected, (first, last, keys)
        if last >= date(2026, 11, 30) and (first is None or first <= date(2026, 11, 30)):
            assert date(2026, 11, 30) in stored.marked


def test_the_plan_takes_the_cheaper_side_of_a_month(dataset: Any) -> None:
    summary_refresh(now=NOW, tz=SHANGHAI)  # every day before 10 December is stored
    most = Reading(SHANGHAI, date(2026, 11, 8), date(2026, 12, 9), NOW, facts=["registered"]).plan(by_month=True)
    assert most.months == (date(2026, 11, 1), date(2026, 12, 1))
    assert most.off == [(date(2026, 11, 1), date(2026, 11, 8))]
    assert most.days == [(date(2026, 12, 1), date(2026, 12, 10))]  # December is not over: by day
    few = Reading(SHANGHAI, date(2026, 11, 24), date(2026, 11, 30), NOW, facts=["registered"]).plan(by_month=True)
    assert few.months is None and few.off == [] and few.days == [(date(2026, 11, 24), date(2026, 12, 1))]
    inside = Reading(SHANGHAI, date(2026, 11, 2), date(2026, 11, 29), NOW, facts=["registered"]).plan(by_month=True)
    assert inside.months == (date(2026, 11, 1), date(2026, 12, 1))
    assert inside.off == [(date(2026, 11, 1), date(2026, 11, 2)), (date(2026, 11, 30), date(2026, 12, 1))]
    by_day = Reading(SHANGHAI, date(2026, 11, 8), date(2026, 12, 9), NOW, facts=["registered"]).plan(by_month=False)
    assert by_day.months is None and by_day.days == [(date(2026, 11, 8), date(2026, 12, 10))]
