"""The answer to a registration is built from what the registration wrote (issue 14): it must be the
record a read gives right after, and one registration must keep its few round trips."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.policy.schema import ClockEvent

pytestmark = pytest.mark.django_db

# the queries of one registration over the API as measured when the answer stopped reading the record
# back (tests/complaints/test_api_registration_answer.py, issue 14): a change that adds round trips
# shows here; raise the bound only with the reason in docs/performance.md
QUERY_BOUND = 30


def _without_countdown(body: dict[str, Any]) -> dict[str, Any]:
    """The record without the seconds left on each clock (they are counted when the answer is made)."""
    out = dict(body)
    out["clocks"] = [{k: v for k, v in clock.items() if k != "remaining_seconds"} for clock in body["clocks"]]
    return out


@pytest.mark.parametrize("overrides", [
    {},
    {"urgent": True, "urgency_reason": "Customer threatens to go to the press"},
    {"facts": {}, "missing_notes": {}},
    {"level": "major", "level_override_reason": "VIP customer"},
    {"customer": {"first_name": "Ann", "last_name": "Li", "email": "li@example.com", "language": "zh-hans"}},
    {"customer": {"first_name": "Ann", "last_name": "Li", "address": "Shanghai"}},
    {"received_at": "2026-11-30 09:00"},
], ids=["plain", "urgent", "incomplete", "level-override", "email-only", "no-phone-no-email", "received-earlier"])
def test_the_answer_is_the_record_read_back(api: Any, registration: Any, overrides: dict[str, Any]) -> None:
    agent = api("agent")
    response = agent.post("/complaints", registration(**overrides))
    assert response.status_code == 201, response.json_body
    read = agent.get(f"/complaints/{response.json_body['number']}")
    assert read.status_code == 200
    assert _without_countdown(response.json_body) == _without_countdown(read.json_body)
    assert response.json_body["timeline"] and response.json_body["clocks"]


def test_the_bench_registration_answers_the_record_read_back(api: Any) -> None:
    """The body the bench posts (no product, a moment among the facts, Chinese text)."""
    agent = api("agent", language="zh-hans")
    response = agent.post("/complaints", {
        "customer": {"first_name": "Ann",
                     "last_name": "李", "phone": "13912340000"}, "channel": "hotline", "category": "other_service",
        "targets": ["cc"], "reason_codes": ["service", "attitude"], "reason": "服务态度差",
        "description": "坐席挂断电话", "customer_request": "道歉",
        "facts": {"parties_involved": "CC", "incident_time": "2026-11-01 10:00", "what_happened": "挂机"}})
    assert response.status_code == 201, response.json_body
    read = agent.get(f"/complaints/{response.json_body['number']}").json_body
    assert _without_countdown(response.json_body) == _without_countdown(read)
    assert response.json_body["product"] is None


def test_a_repeat_answers_with_its_repeats(api: Any, registration: Any) -> None:
    agent = api("agent")
    first = agent.post("/complaints", registration()).json_body
    second = agent.post("/complaints", registration())
    assert second.status_code == 201
    assert second.json_body["repeats"] == [first["number"]]
    assert "repeat" in [entry["kind"] for entry in second.json_body["timeline"]]
    read = agent.get(f"/complaints/{second.json_body['number']}").json_body
    assert _without_countdown(second.json_body) == _without_countdown(read)


def test_one_registration_keeps_its_round_trips(api: Any, registration: Any) -> None:
    agent = api("agent")
    agent.post("/complaints", registration())  # warm: the policy cache, the connection, the root unit
    with CaptureQueriesContext(connection) as captured:
        response = agent.post("/complaints", registration(customer={"first_name": "Ann",
                                                                    "last_name": "Wang", "phone": "13900001111"}))
    assert response.status_code == 201
    sql = [query["sql"] for query in captured.captured_queries]
    assert len(sql) <= QUERY_BOUND, "\n".join(sql)
    # the answer reads nothing back: no read of the new complaint's timeline, clocks or work
    reads = [q for q in sql if q.lstrip().upper().startswith("SELECT")]
    for table in ("complaints_timelineentry", "clocks_clock", "complaints_workorder", "complaints_progressentry",
                  "complaints_contactattempt"):
        assert not [q for q in reads if f'FROM "{table}"' in q], table


@pytest.mark.parametrize("urgent", [False, True])
def test_the_clocks_of_a_new_complaint_are_those_the_engine_starts(org: Any, registration: Any,
                                                                   urgent: bool) -> None:
    """The fast path (clocks computed before the complaint's insert, inserted in one statement) starts
    the same clocks, due at the same moments, as the engine run on the saved complaint."""
    data = registration(urgent=urgent, urgency_reason="press" if urgent else "")
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input())
    fields = ("code", "subject", "cycle", "status", "started_at", "due_at", "warn_at", "next_fire_at", "provisional",
              "stopped_at")
    fast = list(Clock.objects.filter(complaint=complaint).order_by("code", "cycle").values_list(*fields))
    promised = (complaint.reply_due_at, complaint.reply_due_provisional)
    assert fast
    Clock.objects.filter(complaint=complaint).delete()
    Complaint.objects.filter(pk=complaint.pk).update(reply_due_at=None)
    saved = Complaint.objects.get(pk=complaint.pk)
    clock_event(complaint=saved, event=ClockEvent.REGISTERED, at=saved.received_at)
    if urgent:
        clock_event(complaint=saved, event=ClockEvent.URGENCY_RAISED, at=saved.received_at)
    slow = list(Clock.objects.filter(complaint=complaint).order_by("code", "cycle").values_list(*fields))
    assert fast == slow
    saved.refresh_from_db()
    assert (saved.reply_due_at, saved.reply_due_provisional) == promised
