"""The privacy requests page in a real browser, in both languages: legal finds a person by phone,
sees what is held, downloads the Excel export, places and releases a legal hold, and erases only
after the confirmation that names what will be erased."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

TITLE = {"en": "Privacy requests", "zh-hans": "个人信息请求"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_legal_answers_a_request_to_see_and_to_erase(page_for: Any, registration: Any, language: str) -> None:
    from complaintdesk.accounts.models import User
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services.intake import complaint_register
    from complaintdesk.privacy.models import Erasure, LegalHold

    complaint = complaint_register(actor=User.objects.get(username="agent"), data=ComplaintIn(**registration(
        customer={"first_name": "Emily", "last_name": "Carter", "phone": "13812345678", "address": "1 High Street",
                  "language": "en"})))
    page = page_for("legal", language)
    page.click("[data-testid=nav-privacy]")
    assert page.locator("[data-testid=privacy-title]").inner_text().strip() == TITLE[language]
    assert page.locator("html").get_attribute("lang") == ("zh-hans" if language == "zh-hans" else "en")

    page.fill("[data-testid=privacy-contact]", "138 1234 5678")
    page.click("[data-testid=privacy-find]")
    card = page.locator(f"[data-testid=privacy-complaint-{complaint.number}]")
    card.wait_for()
    assert "+8613812345678" in page.locator("[data-testid=held-phone]").inner_text()
    assert "13812345678" not in page.url  # contact data never in a URL

    with page.expect_download() as download:
        page.click("[data-testid=privacy-export-xlsx]")
    assert download.value.suggested_filename == "privacy-export.xlsx"

    page.fill("[data-testid=privacy-hold-reason]", "Court case 2026-17")
    page.click("[data-testid=privacy-hold]")
    page.wait_for_selector(".alert-success")
    assert page.locator(f"[data-testid=privacy-hold-{complaint.number}]").count() == 1
    page.click("[data-testid=privacy-erase]")
    assert complaint.number in page.locator("[data-testid=privacy-erase-blocked]").inner_text()
    page.fill("[data-testid=privacy-release-reason]", "Case closed")
    page.click("[data-testid=privacy-release]")
    page.wait_for_selector(".alert-success")
    assert not LegalHold.objects.filter(complaint=complaint, released_at__isnull=True).exists()

    page.click("[data-testid=privacy-erase]")
    listed = page.locator("[data-testid=privacy-erase-list]").inner_text()
    assert complaint.number in listed and "Carter" in listed
    assert not Erasure.objects.exists()  # asking is not erasing
    page.fill("[data-testid=privacy-erase-reason]", "Request of 2026-12-01, identity card seen")
    page.click("[data-testid=privacy-erase-confirmed]")
    page.wait_for_selector(".alert-success")
    assert Erasure.objects.filter(complaint=complaint).exists()
    # the erased phone finds nobody any more: its blind-index digests are gone
    assert page.locator("[data-testid=privacy-none]").count() == 1
