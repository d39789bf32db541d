"""Return visits, the survey and appeals in a real browser (Playwright driving Debian's Chromium), in
both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from followup_kit import hotline_registration, resolve, visit_of

from orgkit import install_org

pytestmark = pytest.mark.browser


def record_call(page: Any, outcome: str, at: str = "") -> None:
    page.select_option("[data-testid=rv-outcome]", outcome)
    if at:
        page.fill("[data-testid=rv-at]", at)
    page.click("[data-testid=rv-submit]")
    page.wait_for_load_state()


def test_an_agent_is_refused_callback_failed_until_the_third_call_on_the_third_day(page_for: Any, org_tx: Any,
                                                                                   registration: Any) -> None:
    complaint = resolve(org_tx, registration())
    page = page_for("agent", "en")
    page.goto(f"{page.base_url}/complaints/{complaint.number}/#return-visit")
    page.wait_for_selector("[data-testid=rv-form]")
    record_call(page, "no_answer", "2026-11-17T10:00")
    record_call(page, "switched_off", "2026-11-18T15:30")
    assert page.locator("[data-testid=rv-call]").count() == 2
    record_call(page, "callback_failed")
    alert = page.locator("main > .alert").first.inner_text()
    assert "so far 2 call(s) on 2 day(s) — 1 more call(s) on 1 more day(s) needed" in alert
    assert page.locator("[data-testid=status]").inner_text() == "Resolved"
    record_call(page, "no_answer", "2026-11-19T09:05")
    assert page.locator("[data-testid=rv-progress]").get_attribute("data-allowed") == "yes"
    record_call(page, "callback_failed")
    assert page.locator("[data-testid=status]").inner_text() == "Closed"
    assert page.locator("[data-testid=rv-history]").get_attribute("data-result") == "callback_failed"
    assert "Return visit: callback failed." in page.locator("[data-testid=timeline]").inner_text()


def test_the_team_lead_assigns_from_the_queue(page_for: Any, org_tx: Any, registration: Any) -> None:
    complaint = resolve(org_tx, registration())
    page = page_for("supervisor", "en")
    page.click("[data-testid=nav-return-visits]")
    page.click("[data-testid=rv-tab-overdue]")
    row = page.locator(f'tr[data-number="{complaint.number}"]')
    assert row.locator("[data-testid=rv-queue-due]").get_attribute("data-overdue") == "yes"
    row.locator("select[name=to]").select_option("agent")
    row.locator("[data-testid=rv-queue-assign]").click()
    page.wait_for_selector(".alert-success")
    assert page.locator(f'tr[data-number="{complaint.number}"] [data-testid=rv-queue-assignee]').inner_text() == \
        "Agent Test"


def test_a_customer_answers_the_survey_link_in_chinese(browser: Any, live_server: Any, org_tx: Any,
                                                       registration: Any) -> None:
    from complaintdesk.followup.services import survey_link_send

    data = registration()
    data["customer"] = {**data["customer"], "first_name": "丽", "last_name": "陈", "language": "zh-hans"}
    complaint = resolve(org_tx, data, note="已为您免费更换主板，并赠送手机壳一个。")
    _link, url = survey_link_send(actor=org_tx["agent"], number=complaint.number, base_url=live_server.url)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})  # a phone
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(url)
        assert page.locator("[data-testid=survey-title]").inner_text() == "您对投诉处理的满意程度如何？"
        assert "免费更换主板" in page.locator("[data-testid=survey-result]").inner_text()
        page.check("[data-testid=survey-dissatisfied]")
        page.click("[data-testid=survey-submit]")
        assert "请告诉我们您选择“不满意”的原因" in page.locator("[data-testid=survey-errors]").inner_text()
        page.fill("[data-testid=survey-reason]", "换了主板还是会自动关机")
        page.click("[data-testid=survey-submit]")
        assert page.locator("[data-testid=survey-thanks] h1").inner_text() == "感谢您的回答！"
        page.goto(url)
        assert page.locator("[data-testid=survey-refused]").get_attribute("data-reason") == "used"
        assert "已经回答" in page.locator("[data-testid=survey-refused-message]").inner_text()
        page.goto(re.sub(r"/survey/.{4}", "/survey/abcd", url))
        assert page.locator("[data-testid=survey-refused]").get_attribute("data-reason") == "invalid"
    finally:
        context.close()
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    visit = visit_of(complaint)
    assert visit.channel == "survey" and visit.reason == "换了主板还是会自动关机"


def test_a_representative_appeals_and_the_supervisor_upholds_in_chinese(page_for: Any, org_tx: Any) -> None:
    from complaintdesk.followup.services import JudgementInput, judgement_record

    install_org("community_hotline")
    complaint = resolve(org_tx, hotline_registration())
    judgement_record(actor=org_tx["supervisor"], number=complaint.number, data=JudgementInput(
        validity="valid", category="business", company_at_fault=True, staff="agent", compensation="30",
        note="录音核实：报错物业费标准"))
    agent = page_for("agent", "zh-hans")
    agent.click("[data-testid=nav-my-judgements]")
    row = agent.locator(f'tr[data-number="{complaint.number}"]')
    assert "业务类投诉" in row.inner_text() and "赔偿由您本人承担" in row.inner_text()
    row.locator("[data-testid=my-judgement-open]").click()
    agent.fill("[data-testid=appeal-grounds]", "知识库中的收费标准未更新，并非本人差错。")
    agent.click("[data-testid=appeal-submit]")
    agent.wait_for_selector(".alert-success")
    assert agent.locator("[data-testid=judgement-appeal-state]").inner_text() == "申诉待复核"
    supervisor = page_for("supervisor", "zh-hans")
    supervisor.click("[data-testid=nav-appeals]")
    supervisor.locator(f'tr[data-number="{complaint.number}"] [data-testid=appeal-open]').click()
    supervisor.check("[data-testid=decision-upheld]")
    supervisor.fill("[data-testid=decision-note]", "录音显示知识库已于上月更新。")
    supervisor.click("[data-testid=decision-submit]")
    supervisor.wait_for_selector("[data-testid=appeal-final]")
    assert "维持原评判" in supervisor.locator("[data-testid=appeal-final]").inner_text()
    assert supervisor.locator("[data-testid=judgement-appeal-state]").inner_text() == "申诉已答复"
