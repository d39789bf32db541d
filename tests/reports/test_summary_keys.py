"""A reading groups its live days by no more of the complaint's keys than it is asked for: a chart by
code of the whole tree reads the day's clocks, work orders and return visits without joining their
complaints, and the figures are the same as the finest grouping summed again. On PostgreSQL the
reports' covering indexes are there and used."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from reportkit import NOW, SHANGHAI
from test_summary import NOVEMBER

from complaintdesk.reports.selectors.daily import ALL_FACTS, COMPLAINT_KEYS, NUMBERS, daily_lines
from complaintdesk.reports.selectors.monthly import BY_COMPLAINT, monthly_statistics
from complaintdesk.reports.selectors.summary import Reading, midnight
from complaintdesk.reports.services.summary import summary_refresh


def summed(lines: Any, keys: tuple[str, ...]) -> Counter[tuple[Any, ...]]:
    out: Counter[tuple[Any, ...]] = Counter()
    for line in lines:
        for name in NUMBERS:
            value = getattr(line, name)
            if value:
                out[(line.day, line.fact, line.code, *(getattr(line, key) for key in keys), name)] += value
    return out


@pytest.mark.parametrize("keys", [(), ("level",), ("unit_id",), ("level", "category"), COMPLAINT_KEYS])
def test_live_lines_by_fewer_keys_are_the_finest_summed_again(dataset: Any, keys: tuple[str, ...]) -> None:
    ranges = [(midnight(date(2026, 10, 25), SHANGHAI), midnight(date(2026, 12, 11), SHANGHAI))]
    finest = daily_lines(SHANGHAI, ranges, NOW)
    fewer = daily_lines(SHANGHAI, ranges, NOW, keys=keys)
    assert summed(fewer, keys) == summed(finest, keys) and summed(finest, keys)
    assert {line.fact for line in finest} == {line.fact for line in fewer}
    for line in fewer:  # a key not grouped by is None
        assert all(getattr(line, key) is None for key in COMPLAINT_KEYS if key not in keys)


def test_a_chart_by_code_of_the_whole_tree_does_not_join_the_complaints(dataset: Any) -> None:
    reading = Reading(SHANGHAI, date(2026, 12, 1), date(2026, 12, 10), NOW, facts=["clock", "work_order", "visit"],
                      stored=False)
    with CaptureQueriesContext(connection) as queries:
        lines = reading.lines("code")
    assert lines and len(queries.captured_queries) == 3
    for query in queries.captured_queries:
        assert "complaints_complaint" not in query["sql"], query["sql"]
    filtered = Reading(SHANGHAI, date(2026, 12, 1), date(2026, 12, 10), NOW, facts=["visit"], stored=False,
                       q=lambda prefix: Q(**{f"{prefix}level": "major"}))
    with CaptureQueriesContext(connection) as joined:
        filtered.lines("code")
    assert "complaints_complaint" in joined.captured_queries[0]["sql"]  # a filter on the complaint needs it


def test_a_reading_takes_some_facts_from_a_finer_grouping_and_reads_the_others(dataset: Any) -> None:
    summary_refresh(now=NOW, tz=SHANGHAI)
    fresh = Reading(SHANGHAI, date(2026, 11, 20), date(2026, 12, 10), NOW, facts=sorted(ALL_FACTS))
    expected = summed(fresh.lines("code"), ())
    reading = Reading(SHANGHAI, date(2026, 11, 20), date(2026, 12, 10), NOW, facts=sorted(ALL_FACTS))
    reading.lines("code", "level", "category", "unit_id", facts=BY_COMPLAINT)
    assert summed(reading.lines("code"), ()) == expected
    with CaptureQueriesContext(connection) as again:
        reading.lines("code")
    assert len(again.captured_queries) == 0


def test_the_monthly_report_reads_the_day_s_visits_without_their_complaints(dataset: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        monthly_statistics(dataset.org.policy, NOVEMBER.next(), language="en", now=NOW)
    visits = [q["sql"] for q in queries.captured_queries if "followup_returnvisit" in q["sql"]]
    assert visits and all("complaints_complaint" not in sql for sql in visits)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE indexes are PostgreSQL's")
def test_the_covering_indexes_exist(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
                       "('reports_day_count_cover', 'reports_visit_answered')")
        found = dict(cursor.fetchall())
    assert "INCLUDE (unit_id, level, category, count)" in found["reports_day_count_cover"]
    assert "INCLUDE (complaint_id, satisfaction, score)" in found["reports_visit_answered"]
    assert "WHERE" in found["reports_visit_answered"]  # the answered visits only
