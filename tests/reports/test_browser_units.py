"""The budget page and the monthly statistics filtered by unit, in a real Chromium, in both
languages: head office's customer-service head picks store A in each page's unit filter and sees
store A's own budget and store A's complaints only."""

from __future__ import annotations

from typing import Any

import pytest
from reportkit import unit_tree

pytestmark = pytest.mark.browser

LANGUAGES = [("en", "Store A", "Budgets by unit", "Only Store A and the units below it."),
             ("zh-hans", "甲店", "各单位预算", "仅含甲店及其下属单位。")]


@pytest.mark.parametrize(("language", "store", "by_unit", "only"), LANGUAGES)
def test_budget_page_by_unit(page_for: Any, org_tx: Any, language: str, store: str, by_unit: str,
                             only: str) -> None:
    unit_tree(org_tx)
    page = page_for("cs_head", language)
    page.goto(f"{page.base_url}/budget/?month=2026-11")
    assert by_unit in page.inner_text("main")
    rows = page.locator("[data-testid=budget-unit-row]")
    assert [rows.nth(i).get_attribute("data-unit") for i in range(rows.count())] == ["hq", "store-a"]
    # head office's own budget first: store B's 40 and head office's 100, not store A's 250
    assert page.inner_text("[data-testid=budget-spend]").startswith("140.00")
    page.select_option("[data-testid=budget-filter] select[name=unit]", "store-a")
    page.click("[data-testid=budget-filter] button[type=submit]")
    page.wait_for_url(lambda url: "unit=store-a" in url)
    assert page.inner_text("[data-testid=budget-unit]") == store
    assert page.inner_text("[data-testid=budget-monthly]").startswith("1000.00")
    assert page.inner_text("[data-testid=budget-spend]").startswith("250.00")
    entries = page.locator("[data-testid=budget-entry]")
    assert entries.count() == 1 and entries.first.get_attribute("data-complaint") == "A-1"


@pytest.mark.parametrize(("language", "store", "by_unit", "only"), LANGUAGES)
def test_monthly_report_filtered_by_unit(page_for: Any, org_tx: Any, language: str, store: str, by_unit: str,
                                         only: str) -> None:
    unit_tree(org_tx)
    page = page_for("cs_head", language)
    page.goto(f"{page.base_url}/reports/?month=2026-11")
    assert page.inner_text("[data-testid=total-opened]") == "6"
    by = page.locator("[data-testid=report-table-by-unit] tbody tr")
    assert [by.nth(i).get_attribute("data-code") for i in range(by.count())] == ["hq", "store-a", "store-b"]
    page.select_option("[data-testid=report-month-form] [data-testid=unit-filter]", "store-a")
    page.click("[data-testid=report-month-form] button[type=submit]")
    page.wait_for_url(lambda url: "unit=store-a" in url)
    assert page.inner_text("[data-testid=total-opened]") == "3"
    assert page.inner_text("[data-testid=report-unit]") == only
    unit_table = page.locator("[data-testid=report-table-unit] tbody tr")
    assert unit_table.count() == 1 and store in unit_table.first.inner_text()
    # the previous month keeps the filter; the Excel link carries it
    assert "unit=store-a" in (page.get_attribute("[data-testid=report-previous]", "href") or "")
    assert "unit=store-a" in (page.get_attribute("[data-testid=report-xlsx]", "href") or "")
