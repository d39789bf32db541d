"""The customer page in a real browser (Playwright driving Debian's Chromium), in both languages: a
customer page shows two complaints of one customer, reached from the complaint's customer card."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"registered": "Registered", "customer": "Customer"},
    "zh-hans": {"registered": "已登记", "customer": "客户"},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_customer_page_shows_two_complaints_of_one_customer(page_for: Any, org_tx: Any, registration: Any,
                                                              language: str) -> None:
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    customer = {"first_name": "芳", "last_name": "王", "phone": "13812345678", "language": "zh-hans"}
    first = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration(
        customer=customer, reason="用户投诉系统升级后通话中断")).to_input())
    # the same customer calls again from the same number: the same record, a second complaint
    second = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration(
        customer=customer, reason="用户投诉屏幕闪烁")).to_input())
    assert first.customer_id == second.customer_id
    page = page_for("specialist", language)
    page.goto(f"{page.base_url}/complaints/{first.number}/")
    page.click("[data-testid=customer-page-link]")
    page.wait_for_url(f"**/customers/{first.customer_id}/")
    assert page.inner_text("[data-testid=customer-heading]") == "王芳"
    rows = page.locator("[data-testid=customer-complaints] tr[data-row]")
    assert rows.count() == 2
    assert [rows.nth(i).get_attribute("data-number") for i in range(2)] == [second.number, first.number]
    table = page.inner_text("[data-testid=customer-complaints]")
    assert "用户投诉屏幕闪烁" in table and "用户投诉系统升级后通话中断" in table
    assert TEXT[language]["registered"] in table
    assert page.inner_text("[data-testid=customer-phone]") == "138****5678"
    assert TEXT[language]["customer"] in page.inner_text("[data-testid=customer-id]")
    page.click(f"[data-testid=customer-complaints] a:text('{second.number}')")
    page.wait_for_url(f"**/complaints/{second.number}/")
