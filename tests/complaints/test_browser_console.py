"""The complaint list as a console in a real browser, in both languages: keyboard shortcuts and
the skip link; cards without sideways scrolling at 390 px; at 1440 px the supervisor's navigation
on one line and no filter text cut."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

CUT_TEXT = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const cut = [];
  for (const el of document.querySelectorAll("[data-testid=filters] select, [data-testid=filters] label")) {
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    if (el.tagName === "SELECT") {
      const text = el.options[el.selectedIndex].text;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (canvas.measureText(text).width > room + 1) cut.push(text);
    } else if (el.scrollWidth > el.clientWidth + 1) {
      cut.push(el.textContent);
    }
  }
  return cut;
}"""


def complaints(org: Any, registration: Any, count: int) -> list[Any]:
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    out = []
    for i in range(count):
        data = registration()
        data["customer"] = {**data["customer"], "phone": f"1391234567{i}"}
        out.append(complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input()))
    return out


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_keyboard_shortcuts_and_skip_link(page_for: Any, org_tx: Any, registration: Any, language: str) -> None:
    made = complaints(org_tx, registration, 3)
    page = page_for("specialist", language)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    selected = page.locator("tr.row-selected")
    assert selected.count() == 1 and selected.get_attribute("data-number") == made[1].number  # newest first
    page.keyboard.press("k")
    assert page.locator("tr.row-selected").get_attribute("data-number") == made[2].number
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/complaints/{made[2].number}/")
    page.go_back()
    page.locator("h1").click()
    page.keyboard.press("?")
    assert page.locator("[data-testid=shortcut-dialog]").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("[data-testid=shortcut-dialog]").is_visible()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_cards_at_390_px_and_one_line_menu_at_1440_px(page_for: Any, org_tx: Any, registration: Any,
                                                       language: str) -> None:
    complaints(org_tx, registration, 2)
    page = page_for("supervisor", language)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.reload()
    tops = page.eval_on_selector_all("#nav .navbar-nav > li",
                                     "els => els.map(e => Math.round(e.getBoundingClientRect().top))")
    assert len(tops) > 5 and len(set(tops)) == 1, tops
    assert page.evaluate(CUT_TEXT) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("[data-testid=complaint-table] thead").is_hidden()
    card = page.locator("tr[data-row]").first
    assert card.evaluate("el => getComputedStyle(el).display") == "block"
    assert page.evaluate(CUT_TEXT) == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_bulk_accept_with_a_result_per_row(page_for: Any, org_tx: Any, registration: Any, language: str) -> None:
    from complaintdesk.complaints.models import Complaint

    made = complaints(org_tx, registration, 2)
    page = page_for("specialist", language)
    page.check("[data-select-all]")
    assert page.locator("[data-testid=select-row]:checked").count() == 2
    page.select_option("[data-testid=bulk-action]", "accept")
    page.click("[data-testid=bulk-apply]")
    page.wait_for_selector(".alert-success")
    done = "accepted." if language == "en" else "已受理。"
    texts = page.locator(".alert-success").all_inner_texts()
    assert sorted(texts) == sorted(f"{c.number}{':' if language == 'en' else '：'}{' ' if language == 'en' else ''}"
                                   f"{done}" for c in made)
    assert set(Complaint.objects.values_list("status", flat=True)) == {"accepted"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_saved_view_brings_its_filters_back(page_for: Any, org_tx: Any, registration: Any, language: str) -> None:
    complaints(org_tx, registration, 1)
    page = page_for("specialist", language)
    page.select_option("[data-testid=filter-due]", "overdue")
    page.wait_for_url("**due=overdue**")
    name = "Overdue" if language == "en" else "超时的"
    page.fill("#save-view-name", name)
    page.click("[data-testid=save-view]")
    page.wait_for_selector(".alert-success")
    page.goto(f"{page.base_url}/complaints/")
    assert page.locator("[data-testid=filter-due]").input_value() == ""
    page.click(f"[data-testid=saved-view]:has-text('{name}')")
    page.wait_for_url("**due=overdue**")
    assert page.locator("[data-testid=filter-due]").input_value() == "overdue"
    assert page.locator("tr[data-row]").count() == 0
