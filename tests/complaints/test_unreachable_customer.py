"""The unreachable customer, end to end through the REST API (002 community hotline 五.2(3):
no answer, busy, switched off → the SMS; "如果客户2个工作日内没有再次联系可以直接结束工单"; a later
contact is handled again by the same team)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from workkit import registration_for

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.models import AuditEvent
from complaintdesk.notify.models import Message
from orgkit import install_org, install_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


@pytest.fixture
def hotline(org: Any) -> Any:
    return install_org("community_hotline")


def open_complaint(hotline: Any, api: Any) -> str:
    response = api("agent").post("/complaints", registration_for(hotline.policy))
    assert response.status_code == 201, response.json_body
    number = response.json_body["number"]
    assert number.startswith(hotline.policy.number.prefix)
    assert api("specialist").post(f"/complaints/{number}/actions/accept").status_code == 200
    assert api("specialist").post(f"/complaints/{number}/actions/start").status_code == 200
    return number


def test_unreachable_customer_sms_close_and_reopen(hotline: Any, api: Any) -> None:
    number = open_complaint(hotline, api)
    client = api("specialist")
    # no failed attempt yet: no SMS (the policy wants 1 attempt first)
    response = client.post(f"/complaints/{number}/unreachable-sms")
    assert response.status_code == 409 and "1 failed attempt" in response.json_body["message"]
    assert not Message.objects.filter(kind="unreachable_sms").exists()

    response = client.post(f"/complaints/{number}/contacts", {"outcome": "no_answer", "note": "Rang 10 times"})
    assert response.status_code == 201
    assert response.json_body["contacts"][0]["outcome"] == "no_answer"

    response = client.post(f"/complaints/{number}/unreachable-sms")
    assert response.status_code == 200, response.json_body
    sms = Message.objects.get(kind="unreachable_sms")
    assert sms.channel == "sms" and sms.recipient == "+8613812345678"
    expected = hotline.policy.messages.unreachable_sms.get("en").replace("{number}", number).replace(
        "{organisation}", hotline.policy.organisation.get("en"))
    assert sms.body == expected
    assert "could not reach you" in sms.body
    kinds = [entry["kind"] for entry in response.json_body["timeline"]]
    assert "unreachable_sms" in kinds
    complaint = Complaint.objects.get(number=number)
    close_clock = Clock.objects.get(complaint=complaint, code="unreachable_close")
    assert close_clock.status == "running"
    # the first reply counts as given once the SMS went out
    assert Clock.objects.get(complaint=complaint, code="first_reply").status == "stopped"
    assert client.post(f"/complaints/{number}/unreachable-sms").status_code == 409  # sent already

    # 2 working days without contact: the sweep closes the complaint as unreachable
    sweep(now=close_clock.due_at - timedelta(minutes=1))
    assert Complaint.objects.get(number=number).status == "in_progress"
    sweep(now=close_clock.due_at)
    detail = client.get(f"/complaints/{number}").json_body
    assert detail["status"] == "closed" and detail["outcome_reason"] == "unreachable"
    assert AuditEvent.objects.filter(action="complaint.close", actor=None).count() == 1
    closing = next(entry for entry in detail["timeline"] if entry["kind"] == "status_close")
    assert closing["text"] == "Closed: the customer could not be reached after the SMS."
    assert client.post(f"/complaints/{number}/progress", {"done": "x", "next_step": "y"}).status_code == 409

    # the customer calls back later: the complaint is open again, with the same owner
    response = client.post(f"/complaints/{number}/contacts", {"outcome": "reached",
                                                               "note": "Customer called back, still unhappy"})
    assert response.status_code == 201
    body = response.json_body
    assert body["status"] == "in_progress" and body["outcome_reason"] == ""
    assert body["owner"] == hotline["specialist"].display_name()
    assert {"status_close", "status_reopen", "contact"} <= {entry["kind"] for entry in body["timeline"]}
    trail = list(AuditEvent.objects.filter(action__in=["complaint.close", "complaint.reopen"]).order_by("id")
                 .values_list("action", flat=True))
    assert trail == ["complaint.close", "complaint.reopen"]


def test_the_sms_is_sent_only_after_the_policys_attempts(hotline: Any, api: Any) -> None:
    number = open_complaint(hotline, api)
    client = api("specialist")
    client.post(f"/complaints/{number}/contacts", {"outcome": "reached", "note": "Talked"})
    assert client.post(f"/complaints/{number}/unreachable-sms").status_code == 409  # a reached call is no failure
    client.post(f"/complaints/{number}/contacts", {"outcome": "switched_off"})
    assert client.post(f"/complaints/{number}/unreachable-sms").status_code == 200


def test_contact_within_two_working_days_keeps_the_complaint_open(hotline: Any, api: Any) -> None:
    number = open_complaint(hotline, api)
    client = api("specialist")
    client.post(f"/complaints/{number}/contacts", {"outcome": "busy"})
    client.post(f"/complaints/{number}/unreachable-sms")
    due = Clock.objects.get(complaint__number=number, code="unreachable_close").due_at
    client.post(f"/complaints/{number}/contacts", {"outcome": "reached", "note": "Customer replied to the SMS"})
    assert Clock.objects.get(complaint__number=number, code="unreachable_close").status == "stopped"
    sweep(now=due + timedelta(days=1))
    assert Complaint.objects.get(number=number).status == "in_progress"


def test_bad_contact_input_and_a_complaint_closed_otherwise(hotline: Any, api: Any) -> None:
    number = open_complaint(hotline, api)
    client = api("specialist")
    response = client.post(f"/complaints/{number}/contacts", {"outcome": "telepathy", "at": "tomorrow"})
    assert response.status_code == 422
    assert {f["field"] for f in response.json_body["fields"]} == {"outcome", "at"}
    assert client.post(f"/complaints/{number}/actions/withdraw",
                       {"withdrawn_by": "The customer"}).status_code == 200
    response = client.post(f"/complaints/{number}/contacts", {"outcome": "reached"})
    assert response.status_code == 409  # only an unreachable closure reopens on contact
    assert Complaint.objects.get(number=number).status == "withdrawn"


def test_a_policy_without_the_unreachable_path_refuses_the_sms(org: Any, api: Any, registration: Any) -> None:
    number = api("agent").post("/complaints", registration()).json_body["number"]
    api("agent").post(f"/complaints/{number}/contacts", {"outcome": "no_answer"})
    response = api("agent").post(f"/complaints/{number}/unreachable-sms")
    assert response.status_code == 409
    assert not Message.objects.filter(kind="unreachable_sms").exists()


def test_no_reopening_when_the_policy_says_so(org: Any) -> None:
    from workkit import at, bring_to, register

    from complaintdesk.complaints.services.work import contact_record, unreachable_sms
    from complaintdesk.core.errors import Conflict

    hotline = install_variant("community_hotline", "2026.1-noreopen",
                              ("reopen_on_contact: true", "reopen_on_contact: false"))
    complaint = bring_to(hotline, register(hotline["agent"], when=at("2026-06-08 10:00")), "in_progress",
                         now=at("2026-06-08 10:00"))
    contact_record(actor=hotline["specialist"], number=complaint.number, outcome="no_answer",
                   now=at("2026-06-08 11:00"))
    unreachable_sms(actor=hotline["specialist"], number=complaint.number, now=at("2026-06-08 11:05"))
    sweep(now=at("2026-06-10 18:00"))  # 2 working days: Tuesday and Wednesday, to 18:00
    assert Complaint.objects.get(pk=complaint.pk).status == "closed"
    with pytest.raises(Conflict):
        contact_record(actor=hotline["specialist"], number=complaint.number, outcome="reached",
                       now=at("2026-06-11 09:00"))
    assert Complaint.objects.get(pk=complaint.pk).status == "closed"


def test_the_timeline_tells_when_the_unreachable_complaint_closes(hotline: Any, api: Any) -> None:
    """``unreachable.close_after`` is what the timeline tells staff about the SMS (the clock closes it)."""
    number = open_complaint(hotline, api)
    client = api("specialist")
    client.post(f"/complaints/{number}/contacts", {"outcome": "busy", "note": "Line busy"})
    response = client.post(f"/complaints/{number}/unreachable-sms")
    entry = Complaint.objects.get(number=number).timeline.get(kind="unreachable_sms")
    assert entry.data["close_after"] == str(hotline.policy.unreachable.close_after) == "2wd"
    texts = [e["text"] for e in response.json_body["timeline"] if e["kind"] == "unreachable_sms"]
    assert texts and "the complaint closes after 2wd without contact" in texts[0]
