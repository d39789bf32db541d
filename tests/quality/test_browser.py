"""The quality alert pages in a real Chromium, in both languages: the quality department finds the
group, records a containment decision and the corrective action, and closes the group."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services.intake import complaint_register
from complaintdesk.quality.models import AlertGroup, Containment
from orgkit import valid_registration

pytestmark = pytest.mark.browser

TEXTS = {
    "en": {"title": "Quality alerts", "recall": "Recall", "closed": "Closed", "saved": "Corrective action recorded.",
           "refused": "Choose the containment"},
    "zh-hans": {"title": "质量预警", "recall": "召回", "closed": "已关闭", "saved": "纠正措施已记录。",
                "refused": "请选择围堵措施"},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_quality_records_and_closes_an_alert_group(page_for: Any, org_tx: Any, language: str) -> None:
    now = timezone.now()
    for hours in range(5):
        data = valid_registration()
        data["product"] = {**data["product"], "lot_number": "LOT-2026-11"}
        complaint_register(actor=org_tx["agent"], data=ComplaintIn(**data).to_input(),
                           now=now - timedelta(hours=5 - hours))
    group = AlertGroup.objects.get()
    text = TEXTS[language]
    page = page_for("quality", language)
    page.goto(f"{page.base_url}/quality/alerts/")
    assert page.inner_text("[data-testid=alerts-title]") == text["title"]
    row = page.locator(f"[data-testid=alerts-table] tr[data-group='{group.pk}']")
    assert "Reno 8 Pro" in row.inner_text() and "5" in row.inner_text()
    row.locator("a").click()
    page.wait_for_selector("[data-testid=alert-figures]")
    assert page.inner_text("[data-testid=alert-count]") == "5"
    assert "LOT-2026-11 × 5" in page.inner_text("[data-testid=alert-lots]")
    assert page.locator("[data-testid=alert-complaints] tbody tr").count() == 5
    # no choice: refused with the reason, nothing recorded
    page.click("[data-testid=containment-form] button[type=submit]")
    page.wait_for_selector(".alert-danger")
    assert text["refused"] in page.inner_text(".alert-danger")
    assert not Containment.objects.exists()
    page.select_option("#kind", "recall")
    page.fill("#note", "Batch LOT-2026-11")
    page.click("[data-testid=containment-form] button[type=submit]")
    page.wait_for_selector(f"[data-testid=alert-containments] >> text={text['recall']}")
    page.fill("#corrective_action", "Replace the antenna supplier")
    page.click("[data-testid=corrective-form] button[type=submit]")
    page.wait_for_selector(f".alert-success >> text={text['saved']}")
    page.click("[data-testid=close-form] button[type=submit]")
    page.wait_for_selector("[data-testid=alert-closed]")
    assert page.inner_text("[data-testid=alert-state]") == text["closed"]
    assert page.locator("[data-testid=close-form]").count() == 0
    group.refresh_from_db()
    assert group.state == "closed" and group.corrective_action == "Replace the antenna supplier"


def test_an_agent_may_not_open_the_alert_pages(page_for: Any, org_tx: Any) -> None:
    page = page_for("agent", "en")
    response = page.goto(f"{page.base_url}/quality/alerts/")
    assert response is not None and response.status == 403
