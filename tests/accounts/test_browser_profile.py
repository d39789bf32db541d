"""The profile's notice preferences in a real browser, both languages: the head of service switches
deadline warnings off and plans to e-mail, sees the confirmation, and finds no "off" for missed
deadlines and approvals."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_notice_preferences_from_the_profile(page_for: Any, org_tx: Any, language: str) -> None:
    from complaintdesk.accounts.models import User
    from complaintdesk.notify.models import NoticePreference

    User.objects.filter(username="cs_head").update(email="head@example.com")
    page = page_for("cs_head", language)
    page.goto(f"{page.base_url}/profile/")
    form = page.locator("[data-testid=notice-preferences]")
    assert form.locator("[data-testid=pref-breaches-off]").count() == 0
    assert form.locator("[data-testid=pref-approvals-off]").count() == 0
    assert form.locator("[data-testid=pref-warnings-page]").is_checked()
    form.locator("[data-testid=pref-warnings-off]").check()
    form.locator("[data-testid=pref-plans-email]").check()
    form.locator("[data-testid=pref-save]").click()
    page.wait_for_selector(".alert-success")
    with translation.override(language):
        saved = translation.gettext("Your notice preferences are saved.")
    assert page.locator(".alert-success").inner_text().strip() == saved
    assert page.locator("[data-testid=pref-warnings-off]").is_checked()
    assert dict(NoticePreference.objects.filter(user__username="cs_head").values_list("group", "choice")) == {
        "warnings": "off", "plans": "email"}
