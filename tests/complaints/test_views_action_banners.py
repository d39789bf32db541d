"""The complaint page's actions (complaints.services.actions.ACTIONS through the page) end with a
success banner naming the complaint and what happened, in the reader's language; a refused action
ends with the error banner and changes nothing.

The Chinese banner is the message rendered through the zh-Hans catalogue (``translation.override``),
so the test reads what a Chinese reader reads once the catalogue holds the text."""

from __future__ import annotations

from html import escape
from typing import Any

import pytest
from django.utils import translation
from workkit import bring_to, register, resolve_fields, state_of

from complaintdesk.complaints.services.actions import ACTIONS
from complaintdesk.complaints.views.lifecycle import ACTION_DONE, action_done
from complaintdesk.core.policies import policy_of
from orgkit import install_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def test_every_action_has_its_banner() -> None:
    assert set(ACTION_DONE) == set(ACTIONS)


def _post(client: Any, number: str, name: str, fields: dict[str, Any], language: str) -> str:
    response = client.post(f"/complaints/{number}/act/{name}/", fields, HTTP_ACCEPT_LANGUAGE=language,
                           follow=True)
    assert response.status_code == 200
    return str(response.content.decode())


CASES = [  # action, the state it starts from, what the form sends, the English banner's words
    ("accept", "registered", {}, "accepted."),
    ("start", "accepted", {"note": "Calling the customer"}, "handling started."),
    ("resolve", "in_progress", None, "resolved."),
    ("close", "resolved", {}, "closed."),
    ("reopen", "closed", {"note": "The fault is back"}, "reopened."),
    ("escalate", "accepted", {"reason": "Posted on social media"}, "escalated."),
    ("pause", "accepted", {"condition": "waiting_on_customer"}, "is waiting on the customer"),
    ("withdraw", "accepted", {"withdrawn_by": "The customer, by phone"}, "withdrawn."),
    ("handover", "accepted", {"to": "supervisor", "reason": "On leave"}, "handed over."),
]


def expected(name: str, number: str, language: str) -> str:
    with translation.override(language):
        return escape(action_done(name, number))


@pytest.mark.parametrize(("name", "state", "fields", "english"), CASES)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_action_from_the_page_ends_with_its_banner(org: Any, client: Any, name: str, state: str,
                                                      fields: dict[str, Any] | None, english: str,
                                                      language: str) -> None:
    complaint = bring_to(org, register(org["agent"]), state)
    if fields is None:
        resolved = resolve_fields(policy_of(complaint.policy_version))
        fields = {**resolved, "root_cause": "/".join(resolved["root_cause"])}
    client.force_login(org["specialist"])
    page = _post(client, complaint.number, name, fields, language)
    assert f'<div class="alert alert-success">{expected(name, complaint.number, language)}</div>' in page
    if language == "en":
        assert f"{complaint.number} {english}" in page or f"{complaint.number}: {english}" in page


def test_report_to_head_office_ends_with_its_banner(client: Any) -> None:
    org = install_org("hypermarket")
    complaint = register(org["specialist"], level="major", level_override_reason="Customer injured")
    client.force_login(org["specialist"])
    page = _post(client, complaint.number, "report_to_hq", {"reason": "Phoned the store manager"}, "zh-hans")
    assert f'<div class="alert alert-success">{expected("report_to_hq", complaint.number, "zh-hans")}</div>' in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_refused_action_ends_with_the_error_banner_and_changes_nothing(org: Any, client: Any,
                                                                          language: str) -> None:
    complaint = bring_to(org, register(org["agent"]), "accepted")
    before = state_of(complaint)
    client.force_login(org["specialist"])
    page = _post(client, complaint.number, "close", {}, language)
    assert 'class="alert alert-danger"' in page and 'class="alert alert-success"' not in page
    assert state_of(complaint) == before
