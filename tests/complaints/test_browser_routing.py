"""Routing in a real browser (Playwright driving Debian's Chromium), in both languages: once the
IPTV complaint is accepted its page proposes the work order to the team its reason names, the
department pre-selected and the request pre-filled; one click dispatches it with the policy's due
time."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

# the team's name comes from the policy in the reader's language (the sentence around it from the catalogue)
TEAM = {"en": "Technical centre — NOC first-line team", "zh-hans": "技术中心NOC一线团队"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_accepted_complaint_proposes_its_work_order(page_for: Any, org_tx: Any, language: str) -> None:
    from workkit import register

    from complaintdesk.complaints.services.actions import complaint_accept
    from orgkit import install_org

    iptv = install_org("iptv")
    complaint = register(iptv["agent"], category="playback", reason_codes=["network"])
    specialist = page_for("specialist", language)
    detail = f"{specialist.base_url}/complaints/{complaint.number}/"
    specialist.goto(detail)
    assert specialist.locator("[data-testid=work-order-proposal]").count() == 0  # not before acceptance

    complaint_accept(actor=iptv["specialist"], number=complaint.number)
    specialist.goto(detail)
    proposal = specialist.locator("[data-testid=work-order-proposal]")
    assert proposal.get_attribute("data-department") == "noc_l1"
    assert TEAM[language] in proposal.inner_text()
    assert complaint.work_orders.count() == 0  # proposed, not yet dispatched
    assert specialist.locator("#wo-dep").input_value() == "noc_l1"
    assert complaint.number in specialist.locator("#wo-req").input_value()
    specialist.click("[data-testid=dispatch-submit]")
    specialist.wait_for_selector("[data-testid=work-order][data-status=open]")
    order = complaint.work_orders.get()
    assert order.department.code == "noc_l1" and complaint.number in order.request
    assert specialist.locator("[data-testid=work-order-proposal]").count() == 0  # routed: nothing more proposed
