"""The daily summary (decision 0009): the stored lines plus the live lines of the days not stored
or marked since give every figure of the monthly report and the dashboard equal to a brute-force
count — after the worker has stored the days, after a complaint changes level and category, after
a clock moves to another day, across the Shanghai month edges, and on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reportkit import NOV_END, NOV_START, NOW, SHANGHAI, brute_force

from complaintdesk.reports.models import DayCount, SummaryMark, SummaryState
from complaintdesk.reports.periods import Month
from complaintdesk.reports.selectors.dashboard import dashboard, parse_filters
from complaintdesk.reports.selectors.monthly import monthly_statistics
from complaintdesk.reports.selectors.sla import work_order_performance
from complaintdesk.reports.selectors.summary import Reading, marked_days
from complaintdesk.reports.services.summary import summary_refresh

NOVEMBER = Month(2026, 11, SHANGHAI)
FIGURES = ("level", "category", "channel", "target", "product_model", "reason", "root_cause", "department",
           "validity", "responsibility")


def _counts(stats: dict[str, Any], code: str) -> dict[str, int]:
    dimension = next(d for d in stats["dimensions"] if d["code"] == code)
    return {row["code"]: row["count"] for row in dimension["rows"]}


def assert_equals_brute_force(policy: Any, month: Month, start: datetime, end: datetime) -> dict[str, Any]:
    stats = monthly_statistics(policy, month, language="en", now=NOW)
    expected = brute_force(start, end, month.code, NOW)
    for key in ("opened", "closed", "rejected", "withdrawn", "open_at_end", "repeats"):
        assert stats["totals"][key] == expected[key], key
    for code in FIGURES:
        assert _counts(stats, code) == dict(expected[code]), code
    clocks = {row["code"]: {k: row[k] for k in ("due", "met", "breached", "running", "paused", "extended")}
              for row in stats["clocks"]}
    assert clocks == {code: {k: counter[k] for k in ("due", "met", "breached", "running", "paused", "extended")}
                      for code, counter in expected["clocks"].items()}
    work = {row["code"]: {k: row[k] for k in ("due", "met", "breached", "running")}
            for row in work_order_performance(month, NOW, "en")}
    assert work == {code: {k: c[k] for k in ("due", "met", "breached", "running")}
                    for code, c in expected["work_orders"].items()}
    assert {r["code"]: r["count"] for r in stats["satisfaction"]["rows"]} == dict(expected["satisfaction"])
    assert stats["satisfaction"]["mean_score"] == expected["mean_score"]
    return stats


def test_stored_days_give_the_brute_force_figures(dataset: Any) -> None:
    policy = dataset.org.policy
    days = summary_refresh(now=NOW, tz=SHANGHAI)
    state = SummaryState.objects.get()
    assert state.until == date(2026, 12, 10) and state.timezone == "Asia/Shanghai"
    assert days >= 40 and DayCount.objects.exists() and not SummaryMark.objects.exists()
    reading = Reading(SHANGHAI, NOVEMBER.first_day, NOVEMBER.last_day, NOW, facts=["registered"])
    assert reading.live == [] and reading.stored_before == date(2026, 12, 1)  # November is stored whole
    for month, start, end in [(NOVEMBER, NOV_START, NOV_END),
                              (NOVEMBER.previous(), datetime(2026, 9, 30, 16, tzinfo=UTC), NOV_START),
                              (NOVEMBER.next(), NOV_END, datetime(2026, 12, 31, 16, tzinfo=UTC))]:
        assert_equals_brute_force(policy, month, start, end)


def test_the_month_edges_are_stored_on_their_shanghai_days(dataset: Any) -> None:
    summary_refresh(now=NOW, tz=SHANGHAI)
    letters = dict(DayCount.objects.filter(fact="registered", code="letter", level="major")
               .values_list("day", "count"))
    # 2026-10-31 15:59:59 UTC is 23:59:59 on 31 October in Shanghai; 16:00:00 is 1 November
    assert letters.get(date(2026, 10, 31), 0) >= 1 and letters.get(date(2026, 11, 1), 0) >= 1
    assert letters.get(date(2026, 11, 30), 0) >= 1 and letters.get(date(2026, 12, 1), 0) >= 1
    stats = monthly_statistics(dataset.org.policy, NOVEMBER, language="en", now=NOW)
    assert stats["totals"]["opened"] == brute_force(NOV_START, NOV_END, "2026-11", NOW)["opened"]


def test_a_complaint_changing_level_and_category_after_it_was_stored(dataset: Any) -> None:
    from complaintdesk.complaints.models import Complaint

    policy = dataset.org.policy
    summary_refresh(now=NOW, tz=SHANGHAI)
    complaint = dataset.numbers["EDGE-NOV-LAST"]  # 30 November 23:59:59 in Shanghai
    complaint.level, complaint.category = "normal", "service_attitude"
    complaint.save(update_fields=["level", "category"])
    Complaint.objects.filter(pk=dataset.numbers["EDGE-NOV-FIRST"].pk).update(level="normal")  # no save()
    assert marked_days(SHANGHAI, None, date(2026, 12, 10)) >= {date(2026, 11, 30), date(2026, 11, 1)}
    reading = Reading(SHANGHAI, NOVEMBER.first_day, NOVEMBER.last_day, NOW, facts=["registered"])
    assert reading.live  # the marked days are read from the rows, not from the stored lines
    stats = assert_equals_brute_force(policy, NOVEMBER, NOV_START, NOV_END)
    assert _counts(stats, "category")["service_attitude"] >= 1
    summary_refresh(now=NOW, tz=SHANGHAI)  # the worker recomputes the marked days
    assert not SummaryMark.objects.exists()
    stored = assert_equals_brute_force(policy, NOVEMBER, NOV_START, NOV_END)
    assert stored["dimensions"] == stats["dimensions"] and stored["totals"] == stats["totals"]


def test_a_clock_moved_to_another_day_leaves_both_days_right(dataset: Any) -> None:
    from complaintdesk.clocks.models import Clock

    summary_refresh(now=NOW, tz=SHANGHAI)
    clock = Clock.objects.filter(due_at__gte=NOV_START, due_at__lt=NOV_END - timedelta(days=3)).exclude(
        status="cancelled").order_by("pk").first()
    assert clock is not None
    clock.due_at = NOV_END + timedelta(days=2)  # extended into December
    clock.extensions = [{"by": "3d"}]
    clock.save()
    assert_equals_brute_force(dataset.org.policy, NOVEMBER, NOV_START, NOV_END)
    assert_equals_brute_force(dataset.org.policy, NOVEMBER.next(), NOV_END, datetime(2026, 12, 31, 16, tzinfo=UTC))


def test_the_dashboard_reads_the_same_from_stored_and_live_days(dataset: Any) -> None:
    policy = dataset.org.policy
    params = {"from": "2026-10-20", "to": "2026-12-09"}
    live = dashboard(policy, parse_filters(params, policy, NOW), now=NOW, language="en")
    summary_refresh(now=NOW, tz=SHANGHAI)
    assert dashboard(policy, parse_filters(params, policy, NOW), now=NOW, language="en") == live
    level = {**params, "level": "major"}
    live_major = dashboard(policy, parse_filters(level, policy, NOW), now=NOW, language="en")
    assert live_major != live
    summary_refresh(now=NOW, tz=SHANGHAI)
    assert dashboard(policy, parse_filters(level, policy, NOW), now=NOW, language="en") == live_major


def test_a_summary_made_in_another_zone_is_not_read_and_is_rebuilt(dataset: Any) -> None:
    summary_refresh(now=NOW, tz=ZoneInfo("Europe/London"))
    reading = Reading(SHANGHAI, NOVEMBER.first_day, NOVEMBER.last_day, NOW, facts=["registered"])
    assert reading.stored_before is None  # London's days are not Shanghai's: all read live
    assert_equals_brute_force(dataset.org.policy, NOVEMBER, NOV_START, NOV_END)
    summary_refresh(now=NOW, tz=SHANGHAI)
    assert SummaryState.objects.get().timezone == "Asia/Shanghai"
    assert_equals_brute_force(dataset.org.policy, NOVEMBER, NOV_START, NOV_END)
