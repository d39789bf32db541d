"""A complaint registered (or suggested) above the first level reaches that level's supervisors at
once, in each supervisor's own language — a crisis wakes its supervisors at registration, not only
at a later escalation."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import notices, register

from complaintdesk.notify.models import Message

pytestmark = [pytest.mark.django_db]

CRISIS_TEXT = "The customer says a journalist from the newspaper will write about it."


def test_a_crisis_registration_notifies_the_crisis_supervisors_at_once(org: Any) -> None:
    complaint = register(org["agent"], reason=CRISIS_TEXT)
    assert complaint.level == "crisis"  # taken from the suggestion (public media keywords)
    [notice] = notices(org["cs_head"], "registered_at_level")
    assert notice.complaint == complaint and notice.channel == "internal"
    assert complaint.number in notice.body and "Crisis complaint" in notice.body
    # nobody else is told: the first level's team lead follows the queue, the agent registered it
    assert not notices(org["supervisor"]) and not notices(org["agent"])


def test_the_notice_is_written_in_the_supervisors_language(org: Any) -> None:
    org["cs_head"].language = "zh-hans"
    org["cs_head"].save(update_fields=["language"])
    complaint = register(org["agent"], reason=CRISIS_TEXT)
    [notice] = notices(org["cs_head"], "registered_at_level")
    assert notice.language == "zh-hans"
    assert notice.subject == "您主管级别的新投诉"
    assert f"投诉 {complaint.number} 已按危机投诉登记" in notice.body


def test_a_lower_level_chosen_against_the_suggestion_still_tells_the_suggested_levels_supervisors(org: Any) -> None:
    complaint = register(org["specialist"], reason=CRISIS_TEXT, level="general",
                         level_override_reason="The journalist is the customer's cousin; no publication planned")
    assert complaint.level == "general" and complaint.suggested_level == "crisis"
    [notice] = notices(org["cs_head"], "registered_suggested_level")
    assert "no publication planned" in notice.body and "Crisis complaint" in notice.body


def test_a_first_level_registration_sends_no_supervisor_notice(org: Any) -> None:
    register(org["agent"])
    assert not Message.objects.filter(kind__in=["registered_at_level", "registered_suggested_level"]).exists()


def test_the_registering_supervisor_is_not_told_about_their_own_registration(org: Any) -> None:
    register(org["cs_head"], reason=CRISIS_TEXT)
    assert not notices(org["cs_head"])


def test_a_crisis_registered_through_the_api_notifies_at_once(org: Any, api: Any, registration: Any) -> None:
    body = registration(reason=CRISIS_TEXT)
    response = api("agent").post("/complaints", body)
    assert response.status_code == 201, response.json_body
    assert response.json_body["level"]["code"] == "crisis"
    assert len(notices(org["cs_head"], "registered_at_level")) == 1
