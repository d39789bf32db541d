"""Monthly classification statistics: every figure against a brute-force count of a hand-built
data set (SQLite and PostgreSQL), month boundaries in Asia/Shanghai, the API, the page, the Excel
workbook and the CLI."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from reportkit import NOV_END, NOV_START, NOW, SHANGHAI, brute_force, make_complaint

from complaintdesk.reports.periods import Month, parse_month
from complaintdesk.reports.selectors.monthly import monthly_statistics
from complaintdesk.reports.selectors.sla import work_order_performance

NOVEMBER = Month(2026, 11, SHANGHAI)


def _counts(stats: dict[str, Any], code: str) -> dict[str, int]:
    dimension = next(d for d in stats["dimensions"] if d["code"] == code)
    return {row["code"]: row["count"] for row in dimension["rows"]}


def test_month_starts_and_ends_at_midnight_in_shanghai() -> None:
    month = parse_month("2026-11", SHANGHAI)
    assert month.start == NOV_START and month.end == NOV_END
    december = parse_month("2026-12", SHANGHAI)
    assert december.end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert december.next().code == "2027-01" and parse_month("2027-01", SHANGHAI).previous().code == "2026-12"


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "26-11", "november", "2026/11", "1999-12"])
def test_bad_month_names_the_field(bad: str) -> None:
    from complaintdesk.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        parse_month(bad, SHANGHAI)
    assert caught.value.problems[0].field == "month"


def test_edges_of_the_month_fall_on_the_right_side(pc_org: Any) -> None:
    for number, at in [("OCT", NOV_START - timedelta(seconds=1)), ("NOV1", NOV_START),
                       ("NOV30", NOV_END - timedelta(microseconds=1)), ("DEC", NOV_END)]:
        make_complaint(pc_org, number, at)
    stats = monthly_statistics(pc_org.policy, NOVEMBER, language="en", now=NOW)
    assert stats["totals"]["opened"] == 2
    october = monthly_statistics(pc_org.policy, NOVEMBER.previous(), language="en", now=NOW)
    december = monthly_statistics(pc_org.policy, NOVEMBER.next(), language="en", now=NOW)
    assert october["totals"]["opened"] == 1 and december["totals"]["opened"] == 1
    # 2026-11-01 00:00 in Shanghai is still 31 October in UTC
    assert NOV_START.astimezone(ZoneInfo("UTC")).day == 31


def test_every_figure_equals_a_brute_force_count(dataset: Any) -> None:
    policy = dataset.org.policy
    stats = monthly_statistics(policy, NOVEMBER, language="en", now=NOW)
    expected = brute_force(NOV_START, NOV_END, "2026-11", NOW)
    assert expected["opened"] > 10, "the data set must put complaints in November"
    for key in ("opened", "closed", "rejected", "withdrawn", "open_at_end", "repeats"):
        assert stats["totals"][key] == expected[key], key
    for code in ("level", "category", "channel", "target", "product_model", "reason", "root_cause",
                 "department", "validity", "responsibility"):
        assert _counts(stats, code) == dict(expected[code]), code
    clocks = {row["code"]: {k: row[k] for k in ("due", "met", "breached", "running", "paused", "extended")}
              for row in stats["clocks"]}
    assert clocks == {code: {k: counter[k] for k in ("due", "met", "breached", "running", "paused", "extended")}
                      for code, counter in expected["clocks"].items()}
    for row in stats["clocks"]:
        decided = row["met"] + row["breached"]
        assert row["on_time_rate"] == (round(row["met"] * 100 / decided, 1) if decided else None)
    work = {row["code"]: {k: row[k] for k in ("due", "met", "breached", "running")}
            for row in work_order_performance(NOVEMBER, NOW, "en")}
    assert work == {code: {k: c[k] for k in ("due", "met", "breached", "running")}
                    for code, c in expected["work_orders"].items()}
    assert {r["code"]: r["count"] for r in stats["satisfaction"]["rows"]} == dict(expected["satisfaction"])
    assert stats["satisfaction"]["mean_score"] == expected["mean_score"]
    cost = {(r["kind"], r["currency"], r["counts_against_budget"]): r["amount"] for r in stats["cost"]["by_kind"]}
    assert cost == expected["cost"]
    spent = sum((amount for (kind, currency, counts), amount in expected["cost"].items()
                 if counts and currency == "CNY"), Decimal("0"))
    assert stats["cost"]["spent"] == spent
    assert stats["cost"]["budget"] == Decimal("5000.00") and stats["cost"]["left"] == Decimal("5000.00") - spent


def test_the_edges_and_shares_of_the_hand_built_rows(dataset: Any) -> None:
    stats = monthly_statistics(dataset.org.policy, NOVEMBER, language="en", now=NOW)
    letters = _counts(stats, "channel").get("letter", 0)
    # the four edge complaints came by letter: the first and the last second of November count
    expected = sum(1 for c in dataset.complaints if c.channel == "letter" and NOV_START <= c.registered_at < NOV_END)
    assert letters == expected + 2
    level = next(d for d in stats["dimensions"] if d["code"] == "level")
    assert [row["code"] for row in level["rows"]] == ["major", "normal"]  # most severe first
    assert sum(row["count"] for row in level["rows"]) == stats["totals"]["opened"]
    total = stats["totals"]["opened"]
    for row in level["rows"]:
        assert row["share"] == round(row["count"] * 100 / total, 1)
    reason = next(d for d in stats["dimensions"] if d["code"] == "reason")
    labels = {row["code"]: row["label"] for row in reason["rows"]}
    assert labels["product/hardware/mainboard"].count("›") == 2
    assert "retired_category" in _counts(stats, "category")  # a code the policy no longer lists is kept


def test_labels_follow_the_language(dataset: Any) -> None:
    zh = monthly_statistics(dataset.org.policy, NOVEMBER, language="zh-hans", now=NOW)
    en = monthly_statistics(dataset.org.policy, NOVEMBER, language="en", now=NOW)
    policy = dataset.org.policy
    zh_levels = {r["code"]: r["label"] for r in next(d for d in zh["dimensions"] if d["code"] == "level")["rows"]}
    en_levels = {r["code"]: r["label"] for r in next(d for d in en["dimensions"] if d["code"] == "level")["rows"]}
    assert zh_levels["major"] == policy.level("major").label.zh
    assert en_levels["major"] == policy.level("major").label.en


# --- API -----------------------------------------------------------------------------------------


def test_api_monthly_json(dataset: Any, api: Any) -> None:
    response = api("cs_head").get("/reports/monthly?month=2026-11")
    assert response.status_code == 200, response.json_body
    body = response.json_body
    assert body["month"] == "2026-11" and body["timezone"] == "Asia/Shanghai"
    assert body["start"].startswith("2026-11-01T00:00:00+08:00") or body["start"].startswith("2026-10-31T16:00:00")
    assert body["totals"]["opened"] == brute_force(NOV_START, NOV_END, "2026-11", datetime.now(tz=UTC))["opened"]
    assert {d["code"] for d in body["dimensions"]} >= {"level", "target", "category", "channel", "department",
                                                       "validity", "responsibility", "reason", "root_cause",
                                                       "product_model"}


@pytest.mark.parametrize(("language", "text"), [("en", "YYYY-MM"), ("zh-hans", "YYYY-MM")])
def test_api_bad_month_is_422_naming_the_field(dataset: Any, api: Any, language: str, text: str) -> None:
    response = api("vp", language=language).get("/reports/monthly?month=2026-13")
    assert response.status_code == 422
    assert response.json_body["fields"][0]["field"] == "month"
    assert text in response.json_body["fields"][0]["message"]
    if language == "zh-hans":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json_body["fields"][0]["message"])


@pytest.mark.parametrize("role", ["agent", "handler", "legal"])
def test_api_refuses_roles_without_reports(dataset: Any, api: Any, role: str) -> None:
    client = api(role)
    for path in ("/reports/monthly?month=2026-11", "/reports/monthly.xlsx?month=2026-11", "/reports/sla?month=2026-11"):
        assert client.client.get(f"/api/v1{path}", **client.headers).status_code == 403


def test_api_sla(dataset: Any, api: Any) -> None:
    response = api("gm").get("/reports/sla?month=2026-11")
    assert response.status_code == 200
    body = response.json_body
    expected = brute_force(NOV_START, NOV_END, "2026-11", datetime.now(tz=UTC))
    assert {r["code"]: r["due"] for r in body["clocks"]} == {c: v["due"] for c, v in expected["clocks"].items()}
    work = expected["work_orders"]
    assert {r["code"]: r["due"] for r in body["departments"]} == {c: v["due"] for c, v in work.items()}


@pytest.mark.parametrize(("language", "summary", "header"),
                         [("zh-hans", "汇总", "投诉"), ("en", "Summary", "Complaints")])
def test_excel_has_a_formatted_sheet_per_dimension(dataset: Any, api: Any, language: str, summary: str,
                                                   header: str) -> None:
    client = api("admin", language=language)
    response = client.client.get("/api/v1/reports/monthly.xlsx?month=2026-11", **client.headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="complaints-2026-11.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == summary
    # summary, ten dimensions, deadlines, satisfaction, cost, by unit (the unit dimension's own sheet)
    assert len(book.sheetnames) == 1 + 10 + 3 + 1
    stats = monthly_statistics(dataset.org.policy, NOVEMBER, language=language)
    by_unit = book[book.sheetnames[-1]]
    assert [by_unit.cell(row=3, column=c).value for c in (2, 3, 4)] == [
        stats["units"][0]["opened"], stats["units"][0]["finished"], stats["units"][0]["open_at_end"]]
    summary_sheet = book[summary]
    assert summary_sheet["B3"].value == stats["totals"]["opened"]
    dimensions = [d for d in stats["dimensions"] if d["code"] != "unit"]
    for dimension, title in zip(dimensions, book.sheetnames[1:11], strict=True):
        sheet = book[title]
        assert sheet.freeze_panes == "A3"
        header_row = [cell.value for cell in sheet[2]]
        assert header in header_row
        assert sheet.cell(row=2, column=1).font.bold
        count_column = header_row.index(header) + 1
        counts = [sheet.cell(row=r, column=count_column).value for r in range(3, sheet.max_row + 1)]
        assert counts == [row["count"] for row in dimension["rows"]], title
        if dimension["rows"]:
            assert sheet.cell(row=3, column=count_column + 1).number_format == "0.0%"


def test_page_shows_the_month_in_both_languages(dataset: Any, client: Any) -> None:
    client.force_login(dataset.org["vp"])
    stats = monthly_statistics(dataset.org.policy, NOVEMBER, language="en")
    response = client.get("/reports/?month=2026-11", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="total-opened">{stats["totals"]["opened"]}<' in html
    assert "Monthly statistics 2026-11" in html
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/reports/?month=2026-11")
    assert "月度统计 2026-11" in response.content.decode()
    bad = client.get("/reports/?month=2026-99")
    assert bad.status_code == 422 and 'data-testid="report-error"' in bad.content.decode()


def test_page_is_refused_to_an_agent(dataset: Any, client: Any) -> None:
    client.force_login(dataset.org["agent"])
    assert client.get("/reports/").status_code == 403


def test_cli_prints_and_writes_excel(dataset: Any, tmp_path: Path, capsys: Any) -> None:
    from complaintdesk.cli import main

    target = tmp_path / "nov.xlsx"
    assert main(["report", "monthly", "--month", "2026-11", "--xlsx", str(target), "--language", "en"]) == 0
    out = capsys.readouterr().out
    opened = monthly_statistics(dataset.org.policy, NOVEMBER, language="en")["totals"]["opened"]
    assert "Monthly statistics 2026-11 (Asia/Shanghai)" in out
    assert any(line.startswith("Registered in the month") and line.rstrip().endswith(str(opened))
               for line in out.splitlines())
    assert load_workbook(target)["Summary"]["B3"].value == opened
    assert main(["report", "monthly", "--month", "2026-13", "--language", "en"]) == 2
    assert "--month" in capsys.readouterr().err
