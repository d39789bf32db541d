"""The work on a complaint in a real browser (Playwright driving Debian's Chromium): a specialist
accepts a complete complaint and dispatches a work order to the service centre; the department
handler answers it in the inbox; the specialist sees the answer, logs progress and resolves."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"accepted": "Accepted", "in_progress": "In progress", "resolved": "Resolved", "inbox": "Work orders",
           "answered": "Answered", "progress": "Daily progress"},
    "zh-hans": {"accepted": "已受理", "in_progress": "处理中", "resolved": "已解决", "inbox": "工单",
                "answered": "已答复", "progress": "每日处理进展"},
}


def registered(org: Any, registration: Any, language: str) -> Any:
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    data = registration()
    if language.startswith("zh"):
        data["customer"] = {**data["customer"], "first_name": "芳", "last_name": "王", "language": "zh-hans"}
        data["reason"] = "用户投诉系统升级后通话中断"
    return complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input())


def confirm(page: Any, action: str) -> None:
    page.click(f"[data-testid=action-{action}]")
    page.wait_for_selector(f"#act-{action}.show")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_specialist_and_department_handle_a_complaint(page_for: Any, org_tx: Any, registration: Any,
                                                      language: str) -> None:
    text = TEXT[language]
    complaint = registered(org_tx, registration, language)
    specialist = page_for("specialist", language)
    detail = f"{specialist.base_url}/complaints/{complaint.number}/"
    specialist.goto(detail)

    # accept: the specialist becomes the owner
    confirm(specialist, "accept")
    specialist.click("[data-testid=submit-accept]")
    specialist.wait_for_selector("[data-testid=action-start]")
    assert specialist.locator("[data-testid=status]").inner_text().strip() == text["accepted"]
    assert org_tx["specialist"].display_name() in specialist.locator("[data-testid=owner]").inner_text()
    confirm(specialist, "start")
    specialist.click("[data-testid=submit-start]")
    specialist.wait_for_selector("[data-testid=action-resolve]")

    # dispatch a work order to the service centre (the policy's first department)
    specialist.click("[data-testid=dispatch-toggle]")
    specialist.select_option("#wo-dep", "service_centre")
    specialist.fill("#wo-req", "Check the repair record and call the customer" if language == "en"
                    else "请核实维修记录并回电客户")
    specialist.click("[data-testid=dispatch-submit]")
    specialist.wait_for_selector("[data-testid=work-order][data-status=open]")
    order_number = specialist.locator("[data-testid=work-order]").get_attribute("data-number")
    assert order_number == f"{complaint.number}-W1"

    # the department handler answers in the department's inbox
    handler = page_for("handler", language)
    handler.click("[data-testid=nav-inbox]")
    assert text["inbox"] in handler.locator("h1").inner_text()
    card = handler.locator(f'[data-testid=inbox-order][data-number="{order_number}"]')
    assert card.locator("[data-testid=deadline]").count() == 1
    answer = "Screen replaced on 9 June; customer informed" if language == "en" else "已于6月9日更换屏幕并告知客户"
    card.locator("textarea[name=reply]").fill(answer)
    card.locator("[data-testid=reply-submit]").click()
    handler.wait_for_selector("[data-testid=inbox-empty]")

    # the specialist sees the answer, logs today's progress and resolves
    specialist.goto(detail)
    assert specialist.locator("[data-testid=work-order]").get_attribute("data-status") == "answered"
    assert answer in specialist.locator("[data-testid=work-order-reply]").inner_text()
    assert text["progress"] in specialist.locator("[data-testid=progress-card]").inner_text()
    specialist.select_option("#pg-true", "yes")
    specialist.fill("#pg-verified", "Repair record confirms the customer's account" if language == "en"
                    else "维修记录与客户陈述一致")
    specialist.fill("#pg-done", "Read the service centre's answer" if language == "en" else "已阅服务中心答复")
    specialist.fill("#pg-next", "Confirm with the customer" if language == "en" else "与客户确认")
    specialist.click("[data-testid=progress-submit]")
    specialist.wait_for_selector("[data-testid=progress-entry]")

    confirm(specialist, "resolve")
    specialist.fill("#act-resolve textarea[name=note]", "Screen replaced free of charge" if language == "en"
                    else "免费更换屏幕")
    specialist.select_option("#act-resolve select[name=root_cause]", "product_quality/hardware/screen")
    specialist.fill("#act-resolve textarea[name=corrective_action]",
                    "Check the display connector at every repair" if language == "en" else "每次维修检查屏幕排线")
    specialist.click("[data-testid=submit-resolve]")
    specialist.wait_for_function(
        f"document.querySelector('[data-testid=status]').textContent.trim() === '{text['resolved']}'")
    timeline = specialist.locator("[data-testid=timeline]").inner_text()
    assert answer in timeline
    from complaintdesk.complaints.models import Complaint

    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.status == "resolved" and fresh.owner == org_tx["specialist"]
    assert fresh.root_cause == ["product_quality", "hardware", "screen"]
    assert fresh.work_orders.get().status == "answered" and fresh.progress.count() == 1
