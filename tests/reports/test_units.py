"""Reports by unit (issue 15 item 4): every report reads only the reader's units, filters by a unit
(that unit and everything below it) and breaks the figures down by unit; cost is compared with the
budget of the unit's own ledger; a unit's own policy's scheduled reports carry its own figures."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from reportkit import NOW, unit_tree

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.reports.periods import Month
from complaintdesk.reports.scope import ReportScope, report_scope
from complaintdesk.reports.selectors.dashboard import dashboard, parse_filters
from complaintdesk.reports.selectors.monthly import monthly_statistics
from complaintdesk.reports.selectors.sla import sla_report
from unitkit import Tree

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def tree(org: Any) -> Tree:
    return unit_tree(org)


def _month(org: Any) -> Month:
    from zoneinfo import ZoneInfo

    return Month(2026, 11, ZoneInfo(org.policy.timezone))


def _units(stats: dict[str, Any]) -> dict[str, int]:
    return {row["code"]: row["count"] for row in next(d for d in stats["dimensions"] if d["code"] == "unit")["rows"]}


def test_head_office_reads_the_whole_tree_with_the_breakdown_by_unit(org: Any, tree: Tree) -> None:
    stats = monthly_statistics(org.policy, _month(org), language="en", now=NOW, scope=report_scope(org["gm"]))
    assert stats["totals"]["opened"] == 6 and stats["unit"] is None
    assert _units(stats) == {"hq": 2, "store-a": 3, "store-b": 1}
    assert [(row["code"], row["opened"], row["depth"]) for row in stats["units"]] == [
        ("hq", 2, 0), ("store-a", 3, 2), ("store-b", 1, 2)]
    # cost against head office's own ledger: store A's spend is on its own budget
    assert (stats["cost"]["budget"], stats["cost"]["spent"]) == (Decimal("5000.00"), Decimal("140.00"))


def test_a_unit_filter_means_that_unit_and_everything_below_it(org: Any, tree: Tree) -> None:
    east = monthly_statistics(org.policy, _month(org), language="en", now=NOW,
                              scope=report_scope(org["gm"], "east"))
    assert east["totals"]["opened"] == 4 and east["unit"] == {"code": "east", "label": "East region"}
    assert _units(east) == {"store-a": 3, "store-b": 1}
    assert east["cost"]["budget"] is None and east["cost"]["spent"] == Decimal("290.00")
    store_a = monthly_statistics(org.policy, _month(org), language="zh-hans", now=NOW,
                                 scope=report_scope(org["gm"], "store-a"))
    assert store_a["totals"]["opened"] == 3
    assert (store_a["cost"]["budget"], store_a["cost"]["spent"]) == (Decimal("1000.00"), Decimal("250.00"))
    assert [row["label"] for row in store_a["units"]] == ["甲店"]


def test_a_store_reads_only_its_own_complaints_and_no_other_unit(org: Any, tree: Tree) -> None:
    mine = monthly_statistics(org.policy, _month(org), language="en", now=NOW, scope=report_scope(tree["chief_a"]))
    assert mine["totals"]["opened"] == 3 and _units(mine) == {"store-a": 3}
    # store A's own budget, not head office's
    assert (mine["cost"]["budget"], mine["cost"]["spent"]) == (Decimal("1000.00"), Decimal("250.00"))
    for other in ("store-b", "east", "hq", "nowhere"):
        with pytest.raises(ValidationFailed):
            report_scope(tree["chief_a"], other)
    region = monthly_statistics(org.policy, _month(org), language="en", now=NOW, scope=report_scope(tree["east_head"]))
    assert region["totals"]["opened"] == 4
    assert region["cost"]["budget"] is None and region["cost"]["spent"] == Decimal("290.00")


def test_monthly_api_and_excel_by_unit(org: Any, tree: Tree, api: Any) -> None:
    body = api("gm").get("/reports/monthly?month=2026-11&unit=east").json_body
    assert body["totals"]["opened"] == 4 and body["unit"]["code"] == "east"
    assert [row["code"] for row in body["units"]] == ["store-a", "store-b"]
    assert api("gm").get("/reports/monthly?month=2026-11&unit=nowhere").status_code == 422
    client = api("gm", language="zh-hans")
    response = client.client.get("/api/v1/reports/monthly.xlsx?month=2026-11", **client.headers)
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["按单位"]
    assert [cell.value for cell in sheet[2]] == ["单位", "本月登记", "本月办结", "月末未结"]
    assert [sheet.cell(row=r, column=2).value for r in range(3, 6)] == [2, 3, 1]


def test_monthly_page_filtered_by_unit(org: Any, tree: Tree, client: Any) -> None:
    client.force_login(org["gm"])
    page = client.get("/reports/", {"month": "2026-11", "unit": "store-a"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="report-unit"' in html and 'data-testid="total-opened">3<' in html
    client.force_login(tree["chief_b"])
    refused = client.get("/reports/", {"month": "2026-11", "unit": "store-a"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422 and 'data-testid="total-opened">1<' in refused.content.decode()


def test_dashboard_filter_by_unit(org: Any, tree: Tree, client: Any) -> None:
    filters = parse_filters({**PERIOD, "unit": "store-a"}, org.policy, NOW, org["gm"])
    charts = {c["code"]: c for c in dashboard(org.policy, filters, now=NOW, language="en")}
    assert sum(row[-1] for row in charts["trend"]["rows"]) == 3
    assert charts["cost"]["rows"][0][1:3] == ["250.00", "1000.00"]
    everything = parse_filters(PERIOD, org.policy, NOW, tree["chief_b"])
    charts = {c["code"]: c for c in dashboard(org.policy, everything, now=NOW, language="en")}
    assert sum(row[-1] for row in charts["trend"]["rows"]) == 1
    with pytest.raises(ValidationFailed) as caught:
        parse_filters({**PERIOD, "unit": "store-a"}, org.policy, NOW, tree["chief_b"])
    assert [p.field for p in caught.value.problems] == ["unit"]
    client.force_login(org["gm"])
    page = client.get("/dashboard/", {**PERIOD, "unit": "store-b"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'data-testid="unit-filter"' in page.content.decode()
    csv_body = client.get("/dashboard/trend.csv", {**PERIOD, "unit": "store-b"}).content.decode("utf-8-sig")
    assert sum(int(line.rsplit(",", 1)[1]) for line in csv_body.strip().splitlines()[1:]) == 1


def test_sla_accountability_and_exports_per_unit(org: Any, tree: Tree, client: Any) -> None:
    from complaintdesk.reports.selectors.accountability import accountability

    report = sla_report(org.policy, _month(org), language="en", now=NOW, scope=ReportScope(unit=tree.store_a))
    assert report["unit"]["code"] == "store-a"
    assert all(row["code"] == "store-a" for row in report["units"])
    assert accountability(_month(org), "en", report_scope(tree["chief_a"]))["units"] == []
    client.force_login(tree["chief_a"])
    rows = client.get("/exports/complaints.csv", HTTP_ACCEPT_LANGUAGE="en").getvalue().decode("utf-8-sig")
    lines = rows.strip().splitlines()
    assert lines[0].endswith(",Unit,Number in the earlier system") and len(lines) == 4
    assert all(line.endswith(",Store A,") for line in lines[1:])  # the unit, then no earlier number


def test_a_units_own_policy_reports_go_to_its_people_with_its_figures(org: Any, tree: Tree) -> None:
    from complaintdesk.core.models import PolicyVersion
    from complaintdesk.reports.models import ReportDelivery, ReportRun
    from complaintdesk.reports.services import scheduled_reports_run

    PolicyVersion.objects.filter(policy_id="pc_maker").update(installed_at=datetime(2026, 10, 1, tzinfo=UTC))
    for user in (tree["chief_a"], tree["chief_b"], org["supervisor"]):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    scheduled_reports_run(now=datetime(2026, 12, 10, 2, 0, tzinfo=UTC))
    november = ReportRun.objects.filter(code="monthly_statistics", period_start="2026-11-01")
    head_office = november.get(unit=tree.hq)
    store_a = november.get(unit=tree.store_a)
    assert head_office.summary["opened"] == 6 and store_a.summary["opened"] == 3
    assert set(ReportDelivery.objects.filter(run=store_a).values_list("email", flat=True)) == {"chief_a@example.com"}
    # head office's report goes to head office's people, not to a store's section chief
    assert set(ReportDelivery.objects.filter(run=head_office).values_list("email", flat=True)) == {
        "supervisor@example.com"}
    assert not november.filter(unit=tree.store_b).exists()


def test_cli_reads_one_unit(org: Any, tree: Tree, capsys: Any) -> None:
    from complaintdesk.cli import main

    assert main(["report", "monthly", "--month", "2026-11", "--unit", "store-a", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert any(line.startswith("Registered in the month") and line.rstrip().endswith(" 3")
               for line in out.splitlines())
    assert main(["report", "monthly", "--month", "2026-11", "--unit", "nowhere", "--language", "en"]) == 2
    assert "--unit" in capsys.readouterr().err


def test_quality_alerts_count_the_whole_tree_but_a_unit_sees_its_own(org: Any, tree: Tree, client: Any) -> None:
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.core.errors import NotFound
    from complaintdesk.quality.models import AlertGroup, AlertMember
    from complaintdesk.reports.quality import alert_group_get, alert_group_list, group_figures
    from unitkit import person

    quality_a = person(tree, "quality_a", "store-a", "quality")
    both = AlertGroup.objects.create(product_model="ThinkBook 14", category="machine_quality", threshold=3,
                                     within_days=30, opened_at=NOW)
    only_b = AlertGroup.objects.create(product_model="ThinkPad X1", category="machine_quality", threshold=3,
                                       within_days=30, opened_at=NOW)
    for group, numbers in ((both, ("A-1", "A-2", "B-1", "HQ-1")), (only_b, ("B-1",))):
        for complaint in Complaint.objects.filter(number__in=numbers):
            AlertMember.objects.create(group=group, complaint=complaint, joined_at=NOW)
    assert {g.pk: g.count for g in alert_group_list(org["quality"])} == {both.pk: 4, only_b.pk: 1}
    assert {g.pk: g.count for g in alert_group_list(quality_a)} == {both.pk: 2}
    assert group_figures(both, quality_a).count == 2 and group_figures(both).count == 4
    with pytest.raises(NotFound):
        alert_group_get(quality_a, only_b.pk)
    client.force_login(quality_a)
    page = client.get(f"/quality/alerts/{both.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A-1" in page and "B-1" not in page and "HQ-1" not in page
