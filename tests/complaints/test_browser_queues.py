"""The new queue and the landing pages in a real browser (Playwright driving Debian's Chromium),
in both languages: a specialist accepts a complaint from the new queue and sees the confirmation;
each role lands on its own work after signing in."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"new": "New complaints", "accepted": "accepted; you own it now."},
    "zh-hans": {"new": "新投诉", "accepted": "已受理，现由您负责。"},
}


def sign_in(browser: Any, live_server: Any, role: str, language: str) -> Any:
    from orgkit import PASSWORD

    context = browser.new_context(locale="zh-CN" if language.startswith("zh") else "en-US",
                                  viewport={"width": 1440, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", role)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_specialist_accepts_from_the_new_queue(page_for: Any, org_tx: Any, registration: Any,
                                                 language: str) -> None:
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    complaint = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()))
    page = page_for("specialist", language)
    badge = page.locator("[data-testid=nav-new] .badge")
    assert badge.inner_text().strip() == "1"
    page.click("[data-testid=nav-new]")
    assert page.locator("[data-testid=queue-title]").inner_text().strip() == TEXT[language]["new"]
    row = page.locator(f'tr[data-number="{complaint.number}"]')
    row.locator("[data-testid=queue-accept]").click()
    page.wait_for_selector(".alert-success")
    assert TEXT[language]["accepted"] in page.locator(".alert-success").inner_text()
    assert page.locator(f'tr[data-number="{complaint.number}"]').count() == 0
    assert page.locator("[data-testid=nav-new] .badge").count() == 0
    assert Complaint.objects.get(pk=complaint.pk).owner == org_tx["specialist"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_roles_land_on_their_work(browser: Any, live_server: Any, org_tx: Any, language: str) -> None:
    expected = {"agent": "/complaints/queues/new/", "handler": "/work-orders/", "supervisor": "/supervision/",
                "vp": "/supervision/", "specialist": "/complaints/queues/mine/"}
    from django.urls import NoReverseMatch, reverse

    with contextlib.suppress(NoReverseMatch):
        expected["vp"] = reverse("dashboard")
    for role, url in expected.items():
        page = sign_in(browser, live_server, role, language)
        assert page.url == f"{live_server.url}{url}", role
        if url == "/supervision/":
            text = page.locator("main").inner_text()
            assert "You supervise no level" not in text and "您不督办此政策" not in text
        page.context.close()
