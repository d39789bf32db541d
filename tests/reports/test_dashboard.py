"""The dashboard: filters, every chart's figures against a brute-force count, the page, the CSV of
each chart, and management landing on it."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from reportkit import NOW, SHANGHAI

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.reports.selectors.dashboard import dashboard, parse_filters

PERIOD = {"from": "2026-10-01", "to": "2026-12-31"}


def _charts(org: Any, params: dict[str, str], language: str = "en") -> dict[str, Any]:
    filters = parse_filters(params, org.policy, NOW)
    return {chart["code"]: chart for chart in dashboard(org.policy, filters, now=NOW, language=language)}


def test_default_period_is_twelve_weeks_to_today(pc_org: Any) -> None:
    filters = parse_filters({}, pc_org.policy, NOW)
    assert filters.last == NOW.astimezone(SHANGHAI).date()
    assert (filters.last - filters.first).days == 12 * 7 - 1
    assert filters.start == datetime(filters.first.year, filters.first.month, filters.first.day, tzinfo=SHANGHAI)


def test_bad_filters_are_all_named(pc_org: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_filters({"from": "2026-13-01", "to": "soon", "level": "huge", "category": "x", "department": "nope"},
                      pc_org.policy, NOW)
    assert [p.field for p in caught.value.problems] == ["to", "from", "level", "category", "department"]
    with pytest.raises(ValidationFailed) as caught:
        parse_filters({"from": "2026-12-01", "to": "2026-11-01"}, pc_org.policy, NOW)
    assert caught.value.problems[0].field == "from"


def test_weekly_trend_counts_every_complaint_once_in_its_shanghai_week(dataset: Any) -> None:
    from complaintdesk.complaints.models import Complaint

    trend = _charts(dataset.org, PERIOD)["trend"]
    expected: Counter[tuple[str, str]] = Counter()
    for complaint in Complaint.objects.all():
        local = complaint.registered_at.astimezone(SHANGHAI).date()
        if date(2026, 10, 1) <= local <= date(2026, 12, 31):
            expected[((local - timedelta(days=local.weekday())).isoformat(), complaint.level)] += 1
    got = Counter({(week, series["code"]): n for series in trend["series"]
                   for week, n in zip(trend["categories"], series["data"], strict=True) if n})
    assert got == expected
    assert all(date.fromisoformat(week).weekday() == 0 for week in trend["categories"])
    # the complaint registered at 00:00 on 1 November Shanghai time is in the week of Monday 26 October
    assert expected[("2026-10-26", "major")] >= 1


def test_filters_narrow_every_chart(dataset: Any) -> None:
    from complaintdesk.complaints.models import Complaint

    charts = _charts(dataset.org, {**PERIOD, "level": "major"})
    assert {s["code"] for s in charts["trend"]["series"] if any(s["data"])} == {"major"}
    total = sum(sum(s["data"]) for s in charts["trend"]["series"])
    assert total == Complaint.objects.filter(level="major", registered_at__gte=datetime(2026, 9, 30, 16, tzinfo=UTC),
                                             registered_at__lt=datetime(2026, 12, 31, 16, tzinfo=UTC)).count()
    department = dataset.org.policy.departments[0].code
    with_department = _charts(dataset.org, {**PERIOD, "department": department})
    expected = Complaint.objects.filter(work_orders__department__code=department,
                                        registered_at__gte=datetime(2026, 9, 30, 16, tzinfo=UTC)).distinct().count()
    assert sum(sum(s["data"]) for s in with_department["trend"]["series"]) == expected


def test_pareto_is_sorted_with_a_cumulative_line_to_100(dataset: Any) -> None:
    from complaintdesk.complaints.models import Complaint

    pareto = _charts(dataset.org, PERIOD)["pareto"]
    counts, cumulative = pareto["series"][0]["data"], pareto["series"][1]["data"]
    assert counts == sorted(counts, reverse=True) or pareto["categories"][-1] == "Others"
    assert cumulative[-1] == 100.0 and cumulative == sorted(cumulative)
    expected = Counter("/".join(c.root_cause) for c in Complaint.objects.all()
                       if c.root_cause and datetime(2026, 9, 30, 16, tzinfo=UTC) <= c.registered_at
                       < datetime(2026, 12, 31, 16, tzinfo=UTC))
    assert sorted(counts, reverse=True) == sorted(expected.values(), reverse=True)


def test_open_complaints_by_age_and_level(dataset: Any) -> None:
    from complaintdesk.complaints.models import Complaint

    chart = _charts(dataset.org, PERIOD)["open_age"]
    bounds = [(0, 1), (1, 3), (3, 7), (7, 30), (30, None)]
    expected: Counter[tuple[int, str]] = Counter()
    for complaint in Complaint.objects.exclude(status__in=["closed", "rejected", "withdrawn"]):
        for index, (low, high) in enumerate(bounds):
            if complaint.registered_at <= NOW - timedelta(days=low) and (
                    high is None or complaint.registered_at > NOW - timedelta(days=high)):
                expected[(index, complaint.level)] += 1
    got = Counter({(i, s["code"]): n for s in chart["series"] for i, n in enumerate(s["data"]) if n})
    assert got == expected


def test_cost_against_the_budget_per_month(dataset: Any) -> None:
    from complaintdesk.resolutions.models import BudgetEntry

    chart = _charts(dataset.org, PERIOD)["cost"]
    assert chart["categories"] == ["2026-10", "2026-11", "2026-12"]
    for month, spent in zip(chart["categories"], chart["series"][0]["data"], strict=True):
        expected = sum(float(e.amount) for e in BudgetEntry.objects.filter(month=month, counts=True, currency="CNY",
                                                                            reversed_at__isnull=True))
        assert spent == pytest.approx(expected)
    assert chart["series"][1]["data"] == [5000.0, 5000.0, 5000.0]



def test_without_a_budget_the_chart_shows_what_solutions_cost(db: Any) -> None:
    """A policy without ``budget:`` (the phone maker's, the demo's) counts nothing against a budget:
    the chart then shows every approved cost in the policy's currency, reversals left out."""
    from django.utils import translation
    from reportkit import build

    from complaintdesk.resolutions.models import BudgetEntry
    from orgkit import install_org

    org = install_org("phone_maker")
    assert org.policy.budget is None
    build(org)
    for language, title in (("en", "Cost of solutions (CNY)"), ("zh-hans", "解决方案费用 (CNY)")):
        with translation.override(language):
            chart = _charts(org, PERIOD, language)["cost"]
        assert chart["title"] == title and len(chart["series"]) == 1
        assert len(chart["columns"]) == 2
    expected = [sum(float(e.amount) for e in BudgetEntry.objects.filter(month=month, currency="CNY",
                                                                         reversed_at__isnull=True))
                for month in chart["categories"]]
    assert chart["series"][0]["data"] == pytest.approx(expected)
    assert sum(expected) > 0 and BudgetEntry.objects.filter(counts=False, reversed_at__isnull=True).exists()
    assert chart["rows"] == [[month, f"{amount:.2f}"] for month, amount in zip(chart["categories"], expected,
                                                                               strict=True)]

def test_page_csv_and_permissions(dataset: Any, client: Any) -> None:
    client.force_login(dataset.org["gm"])
    response = client.get("/dashboard/", {**PERIOD}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("trend", "on_time", "satisfaction", "pareto", "cost", "open_age", "departments"):
        assert f'data-testid="chart-{code}"' in html and f'data-testid="table-{code}"' in html
    assert 'id="dashboard-data"' in html and "vendor/echarts.min.js" in html
    bad = client.get("/dashboard/", {"from": "2026-02-30"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.content.decode()
    exported = client.get("/dashboard/trend.csv", PERIOD, HTTP_ACCEPT_LANGUAGE="en")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Week from" and rows[0][-1] == "Total"
    trend = _charts(dataset.org, PERIOD)["trend"]
    assert [int(r[-1]) for r in rows[1:]] == [row[-1] for row in trend["rows"]]
    assert client.get("/dashboard/nothing.csv", PERIOD).status_code == 404
    client.force_login(dataset.org["agent"])
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/trend.csv").status_code == 403


@pytest.mark.parametrize(("role", "landing"), [("vp", "/dashboard/"), ("gm", "/dashboard/"), ("admin", "/dashboard/"),
                                               ("cs_head", "/dashboard/"), ("agent", "/complaints/queues/new/")])
def test_management_lands_on_the_dashboard(pc_org: Any, client: Any, role: str, landing: str) -> None:
    client.force_login(pc_org[role])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == landing
