"""Units in a real browser, in both languages: the registration form's unit select (a unit under its
own policy reloads the form with that policy), and the complaint page's transfer form (head office
moves a complaint between dealers; a dealer reports one up and no longer sees it)."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import register

from orgkit import install_org
from unittree import build_tree, install_inactive, variant

pytestmark = pytest.mark.browser


def test_the_unit_select_of_the_registration_form(page_for: Any) -> None:
    from complaintdesk.units.models import Unit

    build_tree()
    own = install_inactive(variant("phone_maker", "2026.9-dealer-b",
                                   ("en: When and how the fault occurs", "en: Dealer B's fault scenario")))
    Unit.objects.filter(code="dealer-b").update(policy_version=own)
    page = page_for("sup_east", "en")
    page.goto(f"{page.base_url}/complaints/new/")
    options = page.locator("[data-testid=f-unit] option").all_inner_texts()[1:]
    assert [text.strip() for text in options] == ["East region", "Dealer A", "Dealer B"]
    indent = [len(text) - len(text.lstrip("\u00a0")) for text in options]
    assert indent[1] == indent[2] > indent[0]  # the dealers sit below their region
    page.select_option("[data-testid=f-unit]", "dealer-b")  # another policy version: the form reloads
    page.wait_for_url("**/complaints/new/?unit=dealer-b")
    assert "2026.9-dealer-b" in page.locator("h1").inner_text()
    page.select_option("#id_category", "product")
    page.wait_for_selector('[data-testid=checklist] li[data-fact="fault_scenario"]')
    assert page.locator('[data-testid=checklist] li[data-fact="fault_scenario"]').inner_text() == \
        "Dealer B's fault scenario"
    chinese = page_for("agent_a", "zh-hans")
    chinese.goto(f"{chinese.base_url}/complaints/new/")
    assert chinese.locator("h1").inner_text().startswith("登记投诉")
    assert chinese.locator("[data-testid=f-unit]").count() == 0


def test_head_office_moves_a_complaint_between_dealers_and_a_dealer_reports_one_up(page_for: Any) -> None:
    install_org("dealer_network")
    tree = build_tree()
    first = register(tree.users["agent_a"])
    second = register(tree.users["agent_a"])
    page = page_for("hq_sup", "zh-hans")
    page.goto(f"{page.base_url}/complaints/{first.number}/")
    assert page.locator("[data-testid=complaint-unit]").inner_text() == "经销商A"
    page.select_option("[data-testid=transfer-to]", "dealer-b")
    page.fill("[data-testid=transfer-reason]", "产品由经销商B售出")
    page.click("[data-testid=transfer-submit]")
    page.wait_for_selector(".alert-success")
    assert "经销商B" in page.locator(".alert-success").inner_text()
    assert page.locator("[data-testid=complaint-unit]").inner_text() == "经销商B"
    assert page.locator('[data-testid=timeline] li[data-kind="unit_transferred"]').inner_text().endswith(
        "由经销商A转至经销商B：产品由经销商B售出")
    dealer = page_for("agent_a", "en")
    dealer.goto(f"{dealer.base_url}/complaints/{second.number}/")
    options = dealer.locator("[data-testid=transfer-to] option").all_inner_texts()
    assert [text.strip() for text in options[1:]] == ["Head office · report up", "East region · report up"]
    dealer.select_option("[data-testid=transfer-to]", "hq")
    dealer.fill("[data-testid=transfer-reason]", "Beyond the dealer's means")
    dealer.click("[data-testid=transfer-submit]")
    dealer.wait_for_url("**/complaints/")
    assert f"Complaint {second.number} now belongs to Head office." in dealer.locator(".alert-success").inner_text()
