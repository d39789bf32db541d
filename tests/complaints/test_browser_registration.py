"""Registration in a real browser (Playwright driving Debian's Chromium), in both languages."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def state(page: Any, fact: str) -> str:
    return str(page.locator(f'[data-testid=checklist] li[data-fact="{fact}"]').get_attribute("data-state"))


def wait_state(page: Any, fact: str, expected: str) -> None:
    page.wait_for_function(
        "([fact, expected]) => document.querySelector(`[data-testid=checklist] li[data-fact=${fact}]`)"
        "?.dataset.state === expected", arg=[fact, expected])


def register_serious_safety_in_chinese(page: Any) -> str:
    """The agent registers a serious-safety complaint on the Chinese page; returns its number."""
    page.click("[data-testid=nav-register]")
    assert page.locator("h1").inner_text().startswith("登记投诉")
    page.select_option("#id_channel", "hotline")
    page.select_option("#id_category", "serious_safety")
    page.wait_for_selector('#facts [data-fact="harm"]')
    page.wait_for_selector('[data-testid=checklist] li[data-fact="harm"]')
    assert state(page, "harm") == "missing"
    page.select_option("#id_reason_codes", index=1)
    page.fill("#id-customer-last_name", "王")
    page.fill("#id-customer-first_name", "建国")
    page.fill("#id-customer-phone", "13812345678")
    page.fill("#id-customer-address", "上海市徐汇区漕溪北路 88 号")
    page.select_option("#id_language", "zh-hans")
    page.select_option("#id_emotion", "angry")
    page.fill("#id-product-model", "Reno 8 Pro")
    page.fill("#id-product-imei", "490154203237518")
    page.fill("#id-product-purchase_date", "2026-05-01")
    page.fill("#id-reason", "用户投诉手机充电时电池鼓包并冒烟")
    page.fill("#id-description", "昨晚充电时手机发烫、鼓包冒烟，左手被烫伤。")
    page.fill("#id-customer_request", "三天内书面解释并赔偿医药费")
    page.wait_for_selector('[data-testid=suggested-level][data-level="major"]')
    assert page.locator("[data-testid=suggested-level]").inner_text() == "重大投诉"
    assert page.locator("[data-testid=primary-target]").inner_text() == "安全事件"
    page.fill("#id-fact-harm", "左手轻度烫伤，已就医")
    wait_state(page, "harm", "present")
    assert state(page, "imei") == "present" and state(page, "emotion") == "present"
    page.fill("#id-fact-complainant_identity", "普通消费者")
    page.fill("#id-fact-fault", "电池鼓包冒烟")
    page.fill("#id-fact-incident_time_place", "昨晚 22:30，家中")
    page.select_option("#id-fact-device_whereabouts", "kept_by_customer")
    page.wait_for_function(
        "document.querySelector('[data-testid=complete-badge]').textContent.includes('完整')")
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=registered-banner]")
    assert page.locator("[data-testid=level]").inner_text() == "重大投诉"
    assert page.locator("[data-testid=complete]").inner_text() == "完整"
    assert page.locator("[data-testid=customer-phone]").inner_text() == "138****5678"
    timeline = page.locator("[data-testid=timeline]").inner_text()
    assert "经热线电话登记" in timeline and "受理通知已排队" in timeline
    return str(page.locator("[data-testid=complaint-number]").inner_text())


def test_agent_registers_a_serious_safety_complaint_in_chinese(page_for: Any) -> None:
    number = register_serious_safety_in_chinese(page_for("agent", "zh-hans"))
    assert number.startswith("TS-")


def test_agent_registers_a_dealer_complaint_in_english_and_finds_both(page_for: Any) -> None:
    chinese = register_serious_safety_in_chinese(page_for("agent", "zh-hans"))
    page = page_for("agent", "en")
    page.goto(page.base_url + "/complaints/new/")
    page.select_option("#id_channel", "hotline")
    page.select_option("#id_category", "dealer")
    page.wait_for_selector('#facts [data-fact="store_name_location"]')
    page.select_option("#id_reason_codes", index=1)
    page.select_option("#id_title", "ms")
    page.fill("#id-customer-first_name", "Emily")
    page.fill("#id-customer-last_name", "Carter")
    page.fill("#id-customer-phone", "+60 12-345 6789")
    page.fill("#id-reason", "Customer complains the dealer refused to honour a promotion")
    page.fill("#id-description", "Free earphones were advertised but refused at the till.")
    page.fill("#id-customer_request", "The earphones or a 200 CNY refund this week")
    page.fill("#id-fact-store_name_location", "Sunway Pyramid authorised store")
    wait_state(page, "store_name_location", "present")
    assert state(page, "complaint_content") == "missing"
    page.fill("#id-fact-complaint_content", "Promotion not honoured")
    page.select_option("#id-fact-store_contacted", "yes")
    page.wait_for_selector('[data-testid=primary-target][data-target="dealer"]')
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=registered-banner]")
    number = page.locator("[data-testid=complaint-number]").inner_text()
    assert page.locator("[data-testid=level]").inner_text() == "General complaint"
    page.goto(page.base_url + "/complaints/")
    page.wait_for_selector(f'tr[data-number="{number}"]')
    assert page.locator(f'tr[data-number="{chinese}"]').count() == 1  # both are in the list
    assert "Major complaint" in page.locator(f'tr[data-number="{chinese}"]').inner_text()
    page.fill("#id_q", "Carter")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=complaint-table] tbody tr[data-number]').length === 1")
    assert page.locator(f'tr[data-number="{number}"]').count() == 1


def test_bad_input_shows_inline_errors_in_chinese_and_nothing_is_saved(page_for: Any) -> None:
    from complaintdesk.complaints.models import Complaint

    page = page_for("agent", "zh-hans")
    page.goto(page.base_url + "/complaints/new/")
    page.select_option("#id_channel", "hotline")
    page.select_option("#id_category", "product")
    page.wait_for_selector('#facts [data-fact="fault_scenario"]')
    page.fill("#id-customer-last_name", "李")
    page.fill("#id-customer-phone", "12345")
    page.fill("#id-product-imei", "490154203237519")
    page.fill("#id-product-purchase_date", "2099-01-01")
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=error-summary]")
    assert "校验位" in page.locator('[data-field="product.imei"]').inner_text()
    assert "不是有效的电话号码" in page.locator('[data-field="customer.phone"]').inner_text()
    assert "未来" in page.locator('[data-field="product.purchase_date"]').inner_text()
    assert page.locator("#id-customer-last_name").input_value() == "李"
    assert Complaint.objects.count() == 0


def test_the_list_and_detail_pages_switch_language(page_for: Any, registration: Any) -> None:
    from complaintdesk.accounts.models import User
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    complaint = complaint_register(actor=User.objects.get(username="agent"),
                                   data=ComplaintIn(**registration()).to_input())
    page = page_for("agent", "en")
    page.goto(page.base_url + f"/complaints/{complaint.number}/")
    assert page.locator("h2", has_text="Timeline").count() == 1
    page.select_option("[data-testid=language-select]", "zh-hans")
    page.wait_for_selector("h2:has-text('处理记录')")
    assert page.locator("[data-testid=status]").inner_text() == "已登记"


def test_a_role_that_may_not_register_has_no_form(page_for: Any) -> None:
    page = page_for("handler", "en")
    assert page.locator("[data-testid=nav-register]").count() == 0
    response = page.goto(page.base_url + "/complaints/new/")
    assert response is not None and response.status == 403
