"""The pages work under their Content-Security-Policy in a real browser: no violation reported, and
what used to be inline handlers (the language switch) still works."""

from __future__ import annotations

from typing import Any

import pytest

from orgkit import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_run_under_the_policy_without_violations(browser: Any, live_server: Any, org_tx: Any,
                                                       registration: Any) -> None:
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    complaint = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()).to_input())
    context = browser.new_context(locale="en-US")  # the policy enforced, as in any browser
    problems: list[str] = []
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text
                or "Refused to" in msg.text else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "agent")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/complaints/queues/new/")  # the agent lands on the new complaints
        for path in ("/complaints/", "/complaints/new/", f"/complaints/{complaint.number}/",
                     "/complaints/queues/mine/"):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")
        # the language switch submits its form from app.js, not from an inline handler
        page.select_option("[data-testid=language-select]", "zh-hans")
        page.wait_for_load_state("load")
        page.wait_for_selector("html[lang=zh-hans]")
    finally:
        context.close()
    assert problems == []
