"""Issue 15's story in a real browser (Playwright driving Chromium), in both languages.

Dealer A's agent registers a complaint through the form; dealer B's agent cannot find it (not in the
list, not by its number, 404 at its address); head office's supervisor sees both dealers' complaints
and transfers A's to dealer B. Then a hypermarket store whose own policy lets its section chief
approve up to 300 CNY: store A's chief approves a 250 CNY gift from the approvals inbox."""

from __future__ import annotations

from typing import Any

import pytest
from reskit import make_complaint, plan_input

from orgkit import install_org
from unitkit import build_tree as build_stores
from unitkit import own_policy, person, received_by
from unittree import build_tree as build_dealers

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"moved": "Dealer B", "approved": "approved"},
    "zh-hans": {"moved": "经销商B", "approved": "批准"},
}


def _register_in_the_form(page: Any) -> str:
    page.goto(f"{page.base_url}/complaints/new/")
    page.select_option("#id_channel", index=1)
    page.select_option("#id_category", index=1)
    page.select_option("#id_reason_codes", index=1)
    page.select_option("#id_title", "ms")
    page.fill("#id-customer-first_name", "晓梅")
    page.fill("#id-customer-last_name", "王")
    page.fill("#id-customer-phone", "13912345678")
    page.fill("#id-reason", "热水器安装后漏水")
    page.fill("#id-description", "安装第二天接口处持续漏水，地板受潮。")
    page.fill("#id-customer_request", "三天内上门维修并赔偿地板")
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=registered-banner]")
    return str(page.locator("[data-testid=complaint-number]").inner_text()).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dealers_see_only_their_own_and_head_office_moves_one(page_for: Any, language: str) -> None:
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register
    from orgkit import valid_registration

    install_org("dealer_network")
    tree = build_dealers()
    dealer_a = page_for("agent_a", language)
    number = _register_in_the_form(dealer_a)
    assert Complaint.objects.get(number=number).unit.code == "dealer-a"
    data = valid_registration()
    policy_data = {k: v for k, v in data.items() if k in ("customer", "reason", "description", "customer_request")}
    mine = Complaint.objects.get(number=number)
    other = complaint_register(actor=tree.users["agent_b"], data=ComplaintIn(
        **policy_data, channel=mine.channel, category=mine.category, reason_codes=mine.reason_codes,
        targets=mine.targets, facts={}).to_input())
    dealer_b = page_for("agent_b", language)
    dealer_b.goto(f"{dealer_b.base_url}/complaints/")
    assert dealer_b.locator(f'tr[data-number="{other.number}"]').count() == 1
    assert dealer_b.locator(f'tr[data-number="{number}"]').count() == 0
    dealer_b.goto(f"{dealer_b.base_url}/complaints/?q={number}")
    assert dealer_b.locator("tr[data-number]").count() == 0
    response = dealer_b.goto(f"{dealer_b.base_url}/complaints/{number}/")
    assert response is not None and response.status == 404
    head = page_for("hq_sup", language)
    head.goto(f"{head.base_url}/complaints/")
    assert head.locator(f'tr[data-number="{number}"]').count() == 1
    assert head.locator(f'tr[data-number="{other.number}"]').count() == 1
    head.goto(f"{head.base_url}/complaints/{number}/")
    head.select_option("[data-testid=transfer-to]", "dealer-b")
    head.fill("[data-testid=transfer-reason]", "产品由经销商B售出" if language == "zh-hans" else "Sold by dealer B")
    head.click("[data-testid=transfer-submit]")
    head.wait_for_selector(".alert-success")
    assert TEXT[language]["moved"] in head.locator(".alert-success").inner_text()
    assert Complaint.objects.get(number=number).unit.code == "dealer-b"
    dealer_b.goto(f"{dealer_b.base_url}/complaints/{number}/")
    assert dealer_b.locator("[data-testid=complaint-number]").inner_text().strip() == number


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_store_chief_approves_within_the_store_own_limit(page_for: Any, language: str) -> None:
    from complaintdesk.resolutions.models import Plan
    from complaintdesk.resolutions.services import plan_submit

    hyper = install_org("hypermarket")
    stores = build_stores()
    own_policy(stores.store_a, "hypermarket", "2026.1-store-a",
               ("{up_to: 100, role: supervisor}", "{up_to: 300, role: supervisor}"),
               ("  limit: 100 ", "  limit: 200 "))
    person(stores, "clerk_a", "store-a", "agent")
    person(stores, "chief_a", "store-a", "supervisor")
    complaint = received_by(make_complaint(hyper, owner="specialist"), stores.store_a, owner=stores["clerk_a"])
    plan = plan_submit(actor=stores["clerk_a"], number=complaint.number,
                       data=plan_input("250", tier="small_gift", kind="gift"))
    chief = page_for("chief_a", language)
    chief.click("[data-testid=nav-approvals]")
    row = chief.locator(f'[data-testid=inbox-approval][data-complaint="{complaint.number}"]')
    row.locator("[data-testid=approve]").click()
    chief.wait_for_selector(".alert-success")
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.APPROVED
