"""The units page in a real browser, in both languages: the administrator creates a dealer, moves a
store under it, assigns a user and sees a refused move explained next to its field."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"title": "Organisation units", "created": "Unit dealer-c created.",
           "moved": "Unit store-9 moved under dealer-c.", "assigned": "agent now holds CC agent at dealer-c.",
           "loop": "dealer-c cannot move under store-9"},
    "zh-hans": {"title": "组织单位", "created": "单位 dealer-c 已创建。",
                "moved": "单位 store-9 已移到 dealer-c 之下。",
                "assigned": "agent 现在在 dealer-c 担任 呼叫中心坐席。", "loop": "dealer-c 不能移到 store-9 之下"},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_administrator_builds_the_tree(page_for: Any, language: str) -> None:
    from complaintdesk.units.models import Membership, Unit
    from complaintdesk.units.services import unit_create

    unit_create(actor=None, code="store-9", name_zh="九号店", name_en="Store 9", kind="store")
    page = page_for("admin", language)
    page.click("[data-testid=nav-units]")
    assert page.locator("[data-testid=units-title]").inner_text().strip() == TEXT[language]["title"]
    page.fill("[data-testid=create-code]", "dealer-c")
    page.fill("[data-testid=create-name_zh]", "经销商C")
    page.fill("[data-testid=create-name_en]", "Dealer C")
    page.select_option("[data-testid=create-kind]", "dealer")
    page.fill("[data-testid=create-number_prefix]", "DC")
    page.click("[data-testid=create-submit]")
    page.wait_for_selector(".alert-success")
    assert TEXT[language]["created"] in page.locator(".alert-success").inner_text()
    assert page.locator("[data-testid=unit-dealer-c]").count() == 1

    page.select_option("[data-testid=move-code]", "store-9")
    page.select_option("[data-testid=move-parent]", "dealer-c")
    page.click("[data-testid=move-submit]")
    page.wait_for_selector(".alert-success")
    assert TEXT[language]["moved"] in page.locator(".alert-success").inner_text()
    assert Unit.objects.get(code="store-9").parent.code == "dealer-c"

    page.fill("[data-testid=assign-username]", "agent")
    page.select_option("[data-testid=assign-unit]", "dealer-c")
    page.check("[data-testid=assign-role-agent]")
    page.click("[data-testid=assign-submit]")
    page.wait_for_selector(".alert-success")
    assert TEXT[language]["assigned"] in page.locator(".alert-success").inner_text()
    assert page.locator("[data-testid=members-dealer-c]").inner_text().strip() == "1"
    assert Membership.objects.filter(unit__code="dealer-c", user__username="agent").exists()

    page.select_option("[data-testid=move-code]", "dealer-c")
    page.select_option("[data-testid=move-parent]", "store-9")
    page.click("[data-testid=move-submit]")
    error = page.locator("[data-testid=error-move-parent]")
    error.wait_for()
    assert TEXT[language]["loop"] in error.inner_text()
    assert Unit.objects.get(code="dealer-c").parent.code == "hq"
