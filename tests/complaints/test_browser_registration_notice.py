"""A crisis registered on the page wakes its supervisors at once (Playwright driving Debian's
Chromium), in both languages: the agent registers a complaint whose text names a journalist, the
policy suggests the crisis level, and the head of customer service — who supervises that level —
finds the notice as soon as they log in."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"last": "Carter", "first": "Emily", "address": "Shanghai, Xuhui", "reason": "The phone swelled and smoked",
           "description": "The battery swelled while charging; a journalist from the newspaper is writing about it.",
           "request": "A written explanation within three days", "harm": "Minor burn on the left hand",
           "identity": "Consumer", "fault": "Battery swelled and smoked", "when": "Last night 22:30, at home",
           "level": "Crisis complaint", "subject": "New complaint at your level",
           "body": "was registered at Crisis complaint; you supervise this level."},
    "zh-hans": {"last": "王", "first": "建国", "address": "上海市徐汇区漕溪北路 88 号",
                "reason": "用户投诉手机充电时电池鼓包并冒烟",
                "description": "昨晚充电时手机鼓包冒烟，报社记者正在采访此事。", "request": "三天内书面解释",
                "harm": "左手轻度烫伤", "identity": "普通消费者", "fault": "电池鼓包冒烟", "when": "昨晚 22:30，家中",
                "level": "危机投诉", "subject": "您主管级别的新投诉", "body": "已按危机投诉登记；您是该级别的主管。"},
}


def register_on_the_page(page: Any, text: dict[str, str], language: str) -> str:
    page.click("[data-testid=nav-register]")
    page.select_option("#id_channel", "hotline")
    page.select_option("#id_category", "serious_safety")
    page.wait_for_selector('#facts [data-fact="harm"]')
    page.select_option("#id_reason_codes", index=1)
    page.fill("#id-customer-last_name", text["last"])
    page.fill("#id-customer-first_name", text["first"])
    page.fill("#id-customer-phone", "13812345678")
    page.fill("#id-customer-address", text["address"])
    page.select_option("#id_language", language)
    page.select_option("#id_emotion", "angry")
    page.fill("#id-product-model", "Reno 8 Pro")
    page.fill("#id-product-imei", "490154203237518")
    page.fill("#id-product-purchase_date", "2026-05-01")
    page.fill("#id-reason", text["reason"])
    page.fill("#id-description", text["description"])
    page.fill("#id-customer_request", text["request"])
    page.wait_for_selector('[data-testid=suggested-level][data-level="crisis"]')
    page.fill("#id-fact-harm", text["harm"])
    page.fill("#id-fact-complainant_identity", text["identity"])
    page.fill("#id-fact-fault", text["fault"])
    page.fill("#id-fact-incident_time_place", text["when"])
    page.select_option("#id-fact-device_whereabouts", "kept_by_customer")
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=registered-banner]")
    assert page.locator("[data-testid=level]").inner_text() == text["level"]
    return str(page.url.rstrip("/").split("/complaints/", 1)[1].split("/")[0].split("?")[0])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_crisis_registration_notifies_its_supervisors_at_once(page_for: Any, org_tx: Any, language: str) -> None:
    text = TEXT[language]
    head = org_tx["cs_head"]
    head.language = language
    head.save(update_fields=["language"])
    agent = page_for("agent", language)
    number = register_on_the_page(agent, text, language)

    supervisor = page_for("cs_head", language)
    badge = supervisor.locator("[data-testid=nav-notices] .badge")
    assert badge.inner_text().strip() == "1"
    supervisor.click("[data-testid=nav-notices]")
    notice = supervisor.locator("[data-testid=notices] li[data-kind=registered_at_level]")
    assert notice.count() == 1
    assert text["subject"] in notice.inner_text()
    assert number in notice.inner_text() and text["body"] in notice.inner_text()
    # the notice leads to the complaint
    notice.locator(f"a:has-text('{number}')").click()
    supervisor.wait_for_selector("[data-testid=level]")
    assert supervisor.locator("[data-testid=level]").inner_text() == text["level"]
