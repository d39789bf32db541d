"""Banners after actions, in a real browser and both languages: the agent accepts from the new queue
(decision 0010), starts handling and escalates from the complaint page, and amends the record; each
step ends with a success banner naming the complaint, and a refused step with the error banner.

The expected texts are rendered through the catalogue of the page's language
(``translation.override``), as tests/complaints/test_views_action_banners.py does."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

pytestmark = pytest.mark.browser


def _banner(page: Any) -> str:
    page.wait_for_selector(".alert-success, .alert-danger")
    return str(page.locator("main .alert").first.inner_text()).strip()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_step_ends_with_a_banner_in_the_readers_language(page_for: Any, org_tx: Any, registration: Any,
                                                               language: str) -> None:
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register
    from complaintdesk.complaints.views.lifecycle import action_done

    complaint = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()))
    number = complaint.number
    page = page_for("agent", language)
    page.goto(f"{page.base_url}/complaints/queues/new/")
    page.locator(f'tr[data-number="{number}"] [data-testid=queue-accept]').click()
    assert number in _banner(page)
    assert Complaint.objects.get(pk=complaint.pk).owner == org_tx["agent"]

    page.goto(f"{page.base_url}/complaints/{number}/")
    page.click("[data-testid=action-start]")
    page.wait_for_selector("#act-start.show")
    page.locator("[data-testid=form-start] button[type=submit]").click()
    with translation.override(language):
        started = action_done("start", number)
    assert _banner(page) == started

    page.click("[data-testid=action-escalate]")
    page.wait_for_selector("#act-escalate.show")
    page.fill("#act-escalate input[name=reason]", "Posted on social media" if language == "en" else "客户在微博发帖")
    page.locator("[data-testid=form-escalate] button[type=submit]").click()
    with translation.override(language):
        escalated = action_done("escalate", number)
    assert _banner(page) == escalated
    assert page.locator(".alert-success").count() == 1

    page.click("[data-testid=action-handover]")
    page.wait_for_selector("#act-handover.show")
    page.locator("[data-testid=form-handover] button[type=submit]").click()  # no colleague chosen
    page.wait_for_selector(".alert-danger")
    assert page.locator(".alert-success").count() == 0
    assert Complaint.objects.get(pk=complaint.pk).owner == org_tx["agent"]
