"""The portal in a real browser (Playwright driving Debian's Chromium) at a phone's size (390 px):
filing a complaint in Chinese with a photo, the acknowledgement and the PDF letter; following it in
English with a one-time code, adding information and answering the proposed solution."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from portalkit import last_code, png_bytes
from pypdf import PdfReader

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def phone_page(browser: Any, live_server: Any, locale: str, bypass_csp: bool = False) -> Any:
    """A phone-sized page; ``bypass_csp`` only where a test injects axe-core (the policy refuses it)."""
    context = browser.new_context(locale=locale, viewport=PHONE, accept_downloads=True, bypass_csp=bypass_csp)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    return page


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_customer_files_a_complaint_in_chinese_on_a_phone(browser: Any, live_server: Any, org_tx: Any,
                                                           tmp_path: Path) -> None:
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.portal.models import CustomerFile

    page = phone_page(browser, live_server, "zh-CN")
    try:
        page.goto(f"{live_server.url}/portal/")
        assert page.locator("[data-testid=portal-title]").inner_text() == "我们能为您做什么？"
        page.click("[data-testid=portal-new]")
        page.click("[data-testid=category-product]")
        assert page.locator("[data-testid=chosen-category]").inner_text() == "产品类投诉"
        assert fits_the_screen(page)
        page.fill("[data-testid=f-last-name]", "王")
        page.fill("[data-testid=f-first-name]", "建国")
        page.fill("[data-testid=f-phone]", "1381234567")  # one digit short
        page.select_option("[data-testid=f-reason-codes]", "product_quality/software")
        page.fill("[data-testid=f-reason]", "升级后通话经常中断")
        page.fill("[data-testid=f-description]", "上周系统升级后，通话一分钟左右就会自动中断。<b>不是加粗</b>")
        page.fill("[data-testid=f-request]", "一周内修好，否则退货")
        page.fill("[data-testid=fact-model]", "Reno 8 Pro")
        page.fill("[data-testid=fact-imei]", "490154203237518")
        photo = tmp_path / "通话截图.png"
        photo.write_bytes(png_bytes())
        page.set_input_files("[data-testid=f-files]", str(photo))
        page.click("[data-testid=portal-submit]")
        # every problem next to its field, in Chinese; nothing written
        assert "请检查下面标出的内容" in page.locator("[data-testid=portal-errors]").inner_text()
        assert "不是有效的电话号码" in page.locator('[data-field="customer.phone"]').inner_text()
        assert "请同意隐私声明" in page.locator('[data-field="consent"]').inner_text()
        assert Complaint.objects.count() == 0
        assert page.locator("[data-testid=f-description]").input_value().endswith("<b>不是加粗</b>")
        page.fill("[data-testid=f-phone]", "13812345678")
        page.set_input_files("[data-testid=f-files]", str(photo))
        page.check("[data-testid=f-consent]")
        page.click("[data-testid=portal-submit]")
        page.wait_for_selector("[data-testid=received-title]")
        assert page.locator("[data-testid=received-title]").inner_text() == "我们已收到您的投诉"
        complaint = Complaint.objects.get()
        assert page.locator("[data-testid=received-number]").inner_text() == complaint.number
        assert "年" in page.locator("[data-testid=reply-by]").inner_text()
        assert complaint.number in page.locator("[data-testid=ack-message]").inner_text()
        assert fits_the_screen(page)
        with page.expect_download() as info:
            page.click("[data-testid=ack-letter]")
        pdf = Path(info.value.path()).read_bytes()
        text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).replace("\n", "")
        assert "投诉受理函" in text and "尊敬的王建国" in text and complaint.number in text
        assert CustomerFile.objects.get(complaint=complaint).name == "通话截图.png"
        page.click("[data-testid=see-complaint]")
        assert "<b>不是加粗</b>" in (page.locator("[data-testid=c-description]").text_content() or "")
    finally:
        page.context.close()


def test_a_customer_follows_a_complaint_in_english_with_a_code(browser: Any, live_server: Any, org_tx: Any,
                                                              tmp_path: Path) -> None:
    from django.test import Client
    from django.utils import timezone
    from portalkit import form

    from complaintdesk.complaints.models import Complaint, TimelineEntry
    from complaintdesk.resolutions.models import Plan

    Client().post("/portal/new/", form(), HTTP_ACCEPT_LANGUAGE="en")
    complaint = Complaint.objects.get()
    plan = Plan.objects.create(complaint=complaint, sequence=1, what="We replace the phone free of charge.",
                               who="Service centre", when="within 3 days", where="Shanghai SC", why="fault confirmed",
                               how="swap", currency="CNY", total=0, budget_total=0, state=Plan.State.AUTHORISED,
                               author=complaint.owner, created_at=timezone.now())
    page = phone_page(browser, live_server, "zh-CN")
    try:
        page.goto(f"{live_server.url}/portal/")
        page.click("[data-testid=lang-en]")
        assert page.locator("[data-testid=portal-title]").inner_text() == "How can we help?"
        page.click("[data-testid=portal-track]")
        page.fill("[data-testid=t-number]", complaint.number)
        page.fill("[data-testid=t-contact]", "138 1234 5678")
        page.click("[data-testid=t-send]")
        page.wait_for_selector("[data-testid=code-form]")
        right = last_code()
        page.fill("[data-testid=t-code]", "000000" if right != "000000" else "111111")
        page.click("[data-testid=t-verify]")
        assert "4 attempt(s) left" in page.locator('[data-field="code"]').inner_text()
        page.fill("[data-testid=t-code]", right)
        page.click("[data-testid=t-verify]")
        page.wait_for_selector("[data-testid=c-number]")
        assert page.locator("[data-testid=c-number]").inner_text() == complaint.number
        assert page.locator("[data-testid=c-status]").inner_text() == "Registered"
        assert "Your complaint number is" in page.locator("[data-testid=c-conversation]").inner_text()
        assert fits_the_screen(page)
        note = tmp_path / "receipt.png"
        note.write_bytes(png_bytes())
        page.fill("[data-testid=add-text]", "The receipt is attached.")
        page.set_input_files("[data-testid=add-files]", str(note))
        page.click("[data-testid=add-send]")
        assert "we have added this" in page.locator("[data-testid=c-notice]").inner_text()
        assert "The receipt is attached." in page.locator("[data-testid=c-entry-you]").inner_text()
        assert "receipt.png" in page.locator("[data-testid=c-files]").inner_text()
        assert "replace the phone" in page.locator("[data-testid=c-plan-what]").inner_text()
        page.click("[data-testid=d-accept]")
        assert "your answer is recorded" in page.locator("[data-testid=c-notice]").inner_text()
        assert page.locator("[data-testid=c-plan]").count() == 0
        page.click("[data-testid=c-leave]")
        page.goto(f"{live_server.url}/portal/c/{complaint.number}/")
        assert "404" in page.title() or page.locator("[data-testid=c-number]").count() == 0
    finally:
        page.context.close()
    plan.refresh_from_db()
    assert plan.customer_decision == "accepted" and plan.customer_channel == "portal"
    assert TimelineEntry.objects.filter(complaint=complaint, kind="customer_information").count() == 1


AXE = Path(__file__).resolve().parent.parent / "browser" / "vendor" / "axe.min.js"


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_portal_pages_have_no_serious_accessibility_violation(browser: Any, live_server: Any, org_tx: Any,
                                                              locale: str) -> None:
    from django.test import Client
    from portalkit import form

    from complaintdesk.complaints.models import Complaint

    Client().post("/portal/new/", form(), HTTP_ACCEPT_LANGUAGE="en")
    number = Complaint.objects.get().number
    page = phone_page(browser, live_server, locale, bypass_csp=True)
    found: dict[str, list[Any]] = {}

    def check(name: str) -> None:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        serious = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result
                   if v["impact"] in {"serious", "critical"}]
        if serious:
            found[name] = serious

    try:
        for url in ("/portal/", "/portal/new/", "/portal/new/?category=product", "/portal/track/"):
            page.goto(f"{live_server.url}{url}")
            check(url)
        page.fill("[data-testid=t-number]", number)
        page.fill("[data-testid=t-contact]", "13812345678")
        page.click("[data-testid=t-send]")
        page.wait_for_selector("[data-testid=code-form]")
        check("code")
        page.fill("[data-testid=t-code]", last_code())
        page.click("[data-testid=t-verify]")
        page.wait_for_selector("[data-testid=c-number]")
        check("complaint")
    finally:
        page.context.close()
    assert not found, found


def test_a_provisional_promise_shows_its_note_on_a_phone(browser: Any, live_server: Any, org_tx: Any) -> None:
    """A promise counted into 2027, whose official holidays are not published, is shown with its note
    under the time, in Chinese, on a phone-sized screen."""
    from datetime import UTC, datetime

    from django.test import Client
    from portalkit import form

    from complaintdesk.complaints.models import Complaint

    Client().post("/portal/new/", form(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    complaint = Complaint.objects.get()
    Complaint.objects.filter(pk=complaint.pk).update(received_at=datetime(2026, 12, 30, 2, 0, tzinfo=UTC),
                                                     reply_due_at=datetime(2027, 1, 5, 10, 0, tzinfo=UTC),
                                                     reply_due_provisional=True)
    page = phone_page(browser, live_server, "zh-CN")
    try:
        page.goto(f"{live_server.url}/portal/track/")
        page.fill("[data-testid=t-number]", complaint.number)
        page.fill("[data-testid=t-contact]", "13812345678")
        page.click("[data-testid=t-send]")
        page.wait_for_selector("[data-testid=code-form]")
        page.fill("[data-testid=t-code]", last_code())
        page.click("[data-testid=t-verify]")
        page.wait_for_selector("[data-testid=c-number]")
        assert page.locator("[data-testid=c-reply-by]").inner_text().startswith("2027年1月5日 18:00")
        note = page.locator("[data-testid=c-reply-by-note]")
        assert note.is_visible() and note.inner_text() == "2027年的国家法定节假日安排尚未公布，该时间可能随之调整。"
        assert fits_the_screen(page)
    finally:
        page.context.close()
