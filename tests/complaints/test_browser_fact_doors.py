"""A fact required only through some doors, on the registration page (Playwright driving Debian's
Chromium), in both languages: the hypermarket's agent picks "checkout, prices, returns" — "when and
where" says it is required of phone complaints; choosing the phone marks it required and the
checklist counts it missing, choosing the service desk leaves it asked but optional."""

from __future__ import annotations

from typing import Any

import pytest

from orgkit import Org, install_org

pytestmark = pytest.mark.browser

DOORS = {"en": "(required through: Phone call)", "zh-hans": "(必填的渠道：顾客来电)"}
LABEL = {"en": "When and where (section)", "zh-hans": "时间、地点（课别）"}


@pytest.fixture
def org_tx(transactional_db: Any) -> Org:
    """The browser tests' organisation (``page_for`` logs in its users): the hypermarket."""
    return install_org("hypermarket")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_when_and_where_is_required_of_a_phone_complaint(page_for: Any, language: str) -> None:
    page = page_for("agent", language)
    page.click("[data-testid=nav-register]")
    page.select_option("#id_category", "checkout_price")
    fact = page.locator('#facts [data-fact="when_where"] label').first
    fact.wait_for()
    assert DOORS[language] in fact.inner_text()
    checklist = '#preview [data-fact="when_where"]'
    for channel, required, state in (("phone", True, "missing"), ("service_desk", False, "optional")):
        page.select_option("#id_channel", channel)
        page.wait_for_selector(f'{checklist}[data-state="{state}"]')
        page.wait_for_function(
            "([label, required]) => { const l = document.querySelector('#facts [data-fact=\"when_where\"] label');"
            " return l && l.textContent.includes(label + ' *') === required; }", arg=[LABEL[language], required])
        assert DOORS[language] in page.locator('#facts [data-fact="when_where"] label').first.inner_text()
