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
    from complaintdesk.accounts.models import User
    from orgkit import PASSWORD

    User.objects.filter(username=role).update(language=language)
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

    complaint = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()).to_input())
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


FIGURES = {
    "en": {"days": r"^overdue (\d+) days?( \d+ h)?$", "working": r"^overdue (\d+) working days?( \d+ h)?$"},
    "zh-hans": {"days": r"^超时 (\d+)天(\d+小时)?$", "working": r"^超时 (\d+)个工作日(\d+小时)?$"},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_overdue_figures_read_in_the_clocks_own_unit(page_for: Any, org_tx: Any, language: str) -> None:
    """A complaint registered 15 days ago: its 24-hour first-reply deadline reads in days of 24 hours
    (14); its work order, due one working day after dispatch 14 days ago, reads in working days of
    the policy's hours — at most 10 in 14 calendar days, never elapsed hours cut into 8-hour days."""
    import re
    from datetime import timedelta

    from django.utils import timezone
    from workkit import act, register

    from complaintdesk.complaints.services.work import work_order_dispatch

    now = timezone.now()
    # 10:00 in Shanghai, inside the working day: registered after its end, the daily update's deadline
    # (the end of the next working day) would come before the 24-hour one and lead the row
    registered = (now - timedelta(days=15)).replace(hour=2, minute=0, second=0, microsecond=0)
    expected_days = (now - registered - timedelta(hours=24)).days
    complaint = act(org_tx["specialist"], register(org_tx["agent"], when=registered), "accept", now=registered)
    work_order_dispatch(actor=org_tx["specialist"], number=complaint.number, department="service_centre",
                        request="Check the repair record", now=registered + timedelta(days=1))
    page = page_for("specialist", language)
    page.goto(f"{page.base_url}/complaints/queues/overdue/")
    badge = page.locator(f'tr[data-number="{complaint.number}"] [data-testid=deadline]').inner_text().strip()
    found = re.match(FIGURES[language]["days"], badge)
    assert found is not None and int(found.group(1)) == expected_days, badge
    handler = page_for("handler", language)
    handler.goto(f"{handler.base_url}/work-orders/")
    badge = handler.locator("[data-testid=inbox-order] [data-testid=deadline]").first.inner_text().strip()
    found = re.match(FIGURES[language]["working"], badge)
    assert found is not None and 8 <= int(found.group(1)) <= 10, badge


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_profile_language_follows_the_user(browser: Any, live_server: Any, org_tx: Any, language: str) -> None:
    """A user sets the other language on the profile page; the pages switch at once and come back in
    it at the next sign-in."""
    other = "en" if language.startswith("zh") else "zh-hans"
    page = sign_in(browser, live_server, "specialist", language)
    page.click("[data-testid=whoami]")
    page.select_option("[data-testid=profile-language]", other)
    page.click("[data-testid=profile-save]")
    page.wait_for_selector(".alert-success")
    assert page.locator("html").get_attribute("lang") == other
    page.context.close()
    from orgkit import PASSWORD

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    again = context.new_page()
    again.goto(f"{live_server.url}/login/")
    again.fill("#id_username", "specialist")
    again.fill("#id_password", PASSWORD)
    again.click("button[type=submit]")
    again.wait_for_url(lambda url: "/login/" not in url)
    assert again.locator("html").get_attribute("lang") == other
    context.close()
