"""A clock's own actions (close, raise the level) go through the same services as a person's: the
same guards apply, and a refusal is recorded with the firing instead of failing every sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from workkit import registration_for

from complaintdesk.clocks.models import Clock, ClockFiring
from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services import lifecycle
from complaintdesk.core.models import AuditEvent
from orgkit import install_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def unreachable(api: Any) -> tuple[Complaint, Clock]:
    """A hotline complaint in handling whose customer did not answer and got the SMS."""
    hotline = install_org("community_hotline")
    number = api("agent").post("/complaints", registration_for(hotline.policy)).json_body["number"]
    client = api("specialist")
    for path, body in ((f"/complaints/{number}/actions/accept", {}), (f"/complaints/{number}/actions/start", {}),
                       (f"/complaints/{number}/contacts", {"outcome": "no_answer", "note": "Rang"}),
                       (f"/complaints/{number}/unreachable-sms", {})):
        assert client.post(path, body).status_code in (200, 201)
    complaint = Complaint.objects.get(number=number)
    return complaint, Clock.objects.get(complaint=complaint, code="unreachable_close")


def test_the_policys_close_runs_the_guards_and_a_refusal_is_recorded_once(
        org: Any, api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    complaint, clock = unreachable(api)

    def deposit_unreturned(complaint: Any, policy: Any, change: Any, problems: Any) -> None:
        problems.add("deposit", "The customer's deposit is not returned yet.")

    monkeypatch.setitem(lifecycle.GUARDS, "close", [deposit_unreturned])
    sweep(now=clock.due_at)
    assert Complaint.objects.get(pk=complaint.pk).status == "in_progress"
    assert not AuditEvent.objects.filter(action="complaint.close", complaint_number=complaint.number).exists()
    breach = complaint.timeline.get(kind="clock_breach", data__clock="unreachable_close")
    assert breach.data["actions"] == [{"do": "refused", "action": "close",
                                       "problems": ["The customer's deposit is not returned yet."]}]
    # fired once and recorded: the next sweeps do not try again
    sweep(now=clock.due_at + timedelta(hours=1))
    assert ClockFiring.objects.filter(clock=clock, kind="breach").count() == 1
    assert complaint.timeline.filter(kind="clock_breach", data__clock="unreachable_close").count() == 1


def test_the_policys_close_of_an_unresolved_complaint_is_a_normal_close(org: Any, api: Any) -> None:
    complaint, clock = unreachable(api)
    sweep(now=clock.due_at)
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.status == "closed" and fresh.outcome_reason == "unreachable" and fresh.resolved_at is None
    event = AuditEvent.objects.get(action="complaint.close", complaint_number=complaint.number)
    assert event.actor is None and event.before == {"status": "in_progress"}
    assert event.after == {"status": "closed", "reason": "unreachable"}
    assert complaint.timeline.get(kind="status_close").data["reason"] == "unreachable"

