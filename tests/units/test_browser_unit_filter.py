"""The complaint list by unit in a real browser, in both languages: head office picks a dealer in
the filter and sees that dealer's complaints with the unit named in each row; a dealer's
supervisor is offered only the dealer's own unit and never sees the other dealer's complaint."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

NAMES = {"en": ("Dealer A", "Dealer B"), "zh-hans": ("经销商甲", "经销商乙")}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_head_office_filters_the_list_by_dealer(page_for: Any, units_tx: Any, language: str) -> None:
    dealer_a, dealer_b = NAMES[language]
    page = page_for("ho_supervisor", language)
    rows = page.locator("tr[data-row]")
    assert {rows.nth(i).get_attribute("data-number") for i in range(rows.count())} >= {
        units_tx.complaint_a.number, units_tx.complaint_b.number}
    page.select_option("[data-testid=filter-unit]", "dealer-b")
    page.wait_for_url(lambda url: "unit=dealer-b" in url)
    page.wait_for_function("() => document.querySelectorAll('tr[data-row]').length === 1")
    row = page.locator("tr[data-row]")
    assert row.get_attribute("data-number") == units_tx.complaint_b.number
    assert row.locator("[data-testid=row-unit]").inner_text().strip() == dealer_b
    options = page.locator("[data-testid=filter-unit] option").all_inner_texts()
    assert any(dealer_a in text for text in options) and any(dealer_b in text for text in options)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_dealer_never_sees_the_other_dealers_complaint(page_for: Any, units_tx: Any, language: str) -> None:
    page = page_for("b_supervisor", language)
    page.goto(f"{page.base_url}/complaints/?q={units_tx.complaint_a.number}")
    assert page.locator("tr[data-row]").count() == 0
    page.goto(f"{page.base_url}/complaints/")
    numbers = page.locator("tr[data-row]").evaluate_all("rows => rows.map(r => r.dataset.number)")
    assert numbers == [units_tx.complaint_b.number]
    assert page.locator("[data-testid=filter-unit]").count() == 0  # one unit: nothing to choose
