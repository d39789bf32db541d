"""The resolutions in a real browser (Playwright driving Debian's Chromium), in both languages: a
specialist proposes a 2,500 CNY replacement, it reaches the VP's inbox, the VP approves, the budget
page shows it, the specialist resolves; petty cash with its countersignature; the legal panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from reskit import make_complaint

from complaintdesk.complaints.models import Complaint
from complaintdesk.resolutions.models import Approval, LegalConsultation, PettyCashPayout, Plan
from orgkit import install_org

pytestmark = pytest.mark.browser


def test_a_replacement_goes_to_the_vp_is_approved_counted_and_resolved_in_chinese(page_for: Any) -> None:
    org = install_org("pc_maker")
    complaint = make_complaint(org)
    specialist = page_for("specialist", "zh-hans")
    specialist.goto(f"{specialist.base_url}/complaints/{complaint.number}/")
    specialist.click("[data-testid=plan-write]")
    specialist.wait_for_selector("[data-testid=plan-form]")
    assert specialist.locator("h1").inner_text().startswith("处理方案")
    specialist.select_option("#id_tier", "replacement")
    specialist.fill("#id_what", "为用户更换同型号整机")
    specialist.fill("#id_who", "投诉处理专员张伟")
    specialist.fill("#id_when", "三个工作日内")
    specialist.fill("#id_where", "北京海淀维修站")
    specialist.fill("#id_why", "主板三次维修仍黑屏，用户无法继续等待")
    specialist.fill("#id_how", "用户到站，旧机回收，新机当场开箱验机")
    specialist.select_option("#line-0-kind", "spare_part")
    specialist.fill("#line-0-description", "同型号整机")
    specialist.fill("#line-0-amount", "2500")
    specialist.locator("#line-0-amount").dispatch_event("change")
    specialist.wait_for_function(
        "document.querySelector('[data-testid=preview-total]')?.textContent.includes('2,500.00 CNY')")
    assert "技术服务公司副总经理" in specialist.locator("[data-testid=preview-step]").inner_text()
    assert "2,500.00 CNY" in specialist.locator("[data-testid=preview-budget]").inner_text()
    specialist.click("[data-testid=plan-submit]")
    specialist.wait_for_selector('[data-testid=plan][data-state="pending"]')
    assert specialist.locator('[data-testid=approval][data-role="vp"]').count() == 1
    plan = Plan.objects.get(complaint=complaint)
    assert plan.total == 2500 and plan.state == Plan.State.PENDING

    vp = page_for("vp", "zh-hans")
    assert vp.locator("[data-testid=nav-approvals]").inner_text().startswith("审批")
    vp.click("[data-testid=nav-approvals]")
    row = vp.locator(f'[data-testid=inbox-approval][data-complaint="{complaint.number}"]')
    assert "2500.00 CNY" in row.locator("[data-testid=inbox-amount]").inner_text()
    row.locator("input[name=comment]").fill("同意换机，控制在本月预算内")
    row.locator("[data-testid=approve]").click()
    vp.wait_for_selector("[data-testid=inbox-empty]")
    assert Approval.objects.get(plan=plan).state == Approval.State.APPROVED

    vp.click("[data-testid=nav-budget]")
    vp.wait_for_selector("[data-testid=budget-spend]")
    assert vp.locator("[data-testid=budget-spend]").inner_text() == "2500.00 CNY"
    assert vp.locator("[data-testid=budget-left]").inner_text() == "2500.00 CNY"
    assert vp.locator(f'[data-testid=budget-entry][data-complaint="{complaint.number}"]').count() == 1

    specialist.goto(f"{specialist.base_url}/complaints/{complaint.number}/")
    specialist.wait_for_selector('[data-testid=plan][data-state="approved"]')
    specialist.click("[data-testid=action-resolve]")
    form = specialist.locator("[data-testid=form-resolve]")
    form.locator("textarea[name=note]").fill("已为用户更换同型号整机，用户确认")
    form.locator("select[name=root_cause]").select_option("product/hardware/mainboard")
    form.locator("textarea[name=corrective_action]").fill("主板来料加严抽检，维修站首次维修即做老化测试")
    specialist.click("[data-testid=submit-resolve]")
    with translation.override("zh-hans"):
        resolved = str(Complaint.Status.RESOLVED.label)
    specialist.wait_for_function(f"document.querySelector('[data-testid=status]').textContent.includes('{resolved}')")
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.RESOLVED
    assert "主板来料加严抽检" in specialist.locator("[data-testid=prevention]").inner_text()


def test_petty_cash_paid_at_the_desk_and_countersigned_in_english(page_for: Any) -> None:
    org = install_org("hypermarket")
    complaint = make_complaint(org, owner="supervisor")
    chief = page_for("supervisor", "en")
    chief.goto(f"{chief.base_url}/complaints/{complaint.number}/")
    chief.click("[data-testid=pay-toggle]")
    assert "100.00 CNY" in chief.locator("[data-testid=pay-toggle]").inner_text()
    chief.select_option("#pc-kind", "gift")
    chief.fill("#pc-amount", "80")
    chief.fill("#pc-voucher", "BYJ-20260310-01")
    chief.fill("#pc-desc", "Shopping card as an apology")
    chief.click("[data-testid=pay-submit]")
    chief.wait_for_selector('[data-testid=payout][data-state="awaiting"]')
    assert "Countersignature due" in chief.locator("[data-testid=payout]").inner_text()
    assert chief.locator("[data-testid=countersign]").count() == 0  # the payer never countersigns

    manager = page_for("cs_head", "en")
    manager.click("[data-testid=nav-approvals]")
    manager.wait_for_selector("[data-testid=inbox-payout]")
    assert "80.00 CNY" in manager.locator("[data-testid=inbox-payout]").inner_text()
    manager.locator("[data-testid=inbox-payout] input[name=comment]").fill("Checked against the voucher")
    manager.click("[data-testid=inbox-payout] [data-testid=countersign]")
    manager.wait_for_selector(".alert-success")
    assert PettyCashPayout.objects.get().state == PettyCashPayout.State.COUNTERSIGNED


def test_urgent_legal_call_then_the_form_and_the_advice_in_english(page_for: Any) -> None:
    org = install_org("pc_maker")
    complaint = make_complaint(org)
    specialist = page_for("specialist", "en")
    specialist.goto(f"{specialist.base_url}/complaints/{complaint.number}/#legal")
    specialist.click("[data-testid=legal-toggle]")
    specialist.check("#lg-phoned")
    specialist.fill("#lg-phone-note", "Customer threatens to sue; legal says: do not promise compensation")
    specialist.click("[data-testid=legal-submit]")
    specialist.wait_for_selector('[data-testid=consultation][data-state="phoned"]')
    assert specialist.locator("[data-testid=filing-due]").count() == 1
    specialist.click("[data-testid=file-toggle]")
    form = specialist.locator("[data-testid=file-form]")
    form.locator("[name=field-complaint_summary]").fill("Laptop caught fire while charging")
    form.locator("[name=field-customer_demand]").fill("50,000 CNY")
    form.locator("[name=field-handling_so_far]").fill("Device collected for inspection")
    form.locator("[name=field-legal_question]").fill("Extent of our liability")
    form.locator("[name=field-our_fault]").select_option("unknown")
    specialist.click("[data-testid=file-submit]")
    specialist.wait_for_selector('[data-testid=consultation][data-state="filed"]')

    legal = page_for("legal", "en")
    legal.goto(f"{legal.base_url}/complaints/{complaint.number}/#legal")
    legal.fill("[data-testid=advice-form] textarea[name=advice]", "Offer a settlement limited to the actual loss")
    legal.select_option("[data-testid=advice-form] select[name=company_at_fault]", "no")
    legal.click("[data-testid=advice-submit]")
    legal.wait_for_selector("[data-testid=legal-advice]")
    assert "actual loss" in legal.locator("[data-testid=timeline]").inner_text()
    assert LegalConsultation.objects.get().company_at_fault is False
