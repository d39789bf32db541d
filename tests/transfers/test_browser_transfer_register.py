"""The staff form for a transferred complaint (transfers/views.py ``transfer_register_view``): the
registration form with the transfer's fields, both written in one step, in a real browser in both
languages; a refused transfer field is shown next to the field and nothing is written."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from orgkit import install_org

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _fill_complaint(page: Any, policy: Any, *, name: str, reason: str) -> None:
    page.select_option("#id_channel", "regulator_12378")
    page.select_option("#id_category", policy.categories[0].code)
    page.wait_for_selector("#facts")
    page.select_option("#id_reason_codes", index=1)
    page.fill("#id-customer-last_name", name)
    page.fill("#id-customer-phone", "13912345678")
    page.fill("#id-reason", reason)
    page.fill("#id-description", reason)
    page.fill("#id-customer_request", reason)


def test_a_12378_transfer_is_registered_from_the_chinese_form(page_for: Any) -> None:
    from complaintdesk.clocks.models import Clock
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.transfers.models import Transfer

    page = page_for("agent", "zh-hans")
    insurer = install_org("insurer")
    page.click("[data-testid=nav-register]")  # the registration form links to the transfer form
    page.click("[data-testid=nav-transfer-register]")
    assert page.locator("[data-testid=transfer-fieldset] legend").inner_text() == "转办"
    assert page.locator("label[for=id-transfer-reference]").inner_text() == "转办编号"
    assert page.locator("#id_channel option[value=hotline]").count() == 0  # only the transfer doors
    _fill_complaint(page, insurer.policy, name="赵", reason="理赔拖延三个月未答复")
    page.fill("#id-transfer-body", "12378")
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=error-summary]")
    assert "转办编号" in page.locator('[data-field="transfer.reference"]').inner_text()
    assert page.locator("#id-customer-last_name").input_value() == "赵"
    assert Complaint.objects.count() == 0  # neither the complaint nor the transfer
    deadline = (datetime.now(tz=SHANGHAI) + timedelta(days=6)).replace(hour=17, minute=0, second=0, microsecond=0)
    page.fill("#id-transfer-reference", "BJ-2026-0815")
    page.fill("#id-transfer-deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=registered-banner]")
    assert page.locator("[data-testid=transfer-reference]").inner_text() == "BJ-2026-0815"
    transfer = Transfer.objects.get()
    assert transfer.body == "12378" and transfer.deadline == deadline
    assert Clock.objects.get(complaint=transfer.complaint, code="regulator_deadline").due_at == deadline


def test_a_transfer_is_registered_from_the_english_form(page_for: Any) -> None:
    from complaintdesk.transfers.models import Transfer

    page = page_for("agent", "en")
    insurer = install_org("insurer")
    page.goto(page.base_url + "/transfers/new/")
    assert page.locator("h1").inner_text().startswith("Register a transferred complaint")
    _fill_complaint(page, insurer.policy, name="Carter", reason="Claim unanswered for three months")
    page.fill("#id-transfer-body", "12378")
    page.fill("#id-transfer-reference", "SH-77")
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=registered-banner]")
    assert page.locator("[data-testid=transfer-body]").inner_text() == "12378"
    number = page.locator("[data-testid=complaint-number]").inner_text()
    assert Transfer.objects.get().complaint.number == number
