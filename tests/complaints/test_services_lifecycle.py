"""One lifecycle for people and the system: a close or reopen by the system (a clock, a return visit)
goes through the same transition as a person's and leaves the same record — status, dates, clocks,
timeline and audit — except for who acted."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from workkit import at, bring_to, register

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services import lifecycle
from complaintdesk.complaints.services.actions import complaint_close, complaint_reopen
from complaintdesk.complaints.services.work import work_order_dispatch, work_order_dispatch_system
from complaintdesk.core.errors import Conflict, InvalidTransition, ValidationFailed
from complaintdesk.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]

START = at("2026-03-02 10:00")
LATER = START + timedelta(hours=3)


def same_for_both(value: Any, complaint: Complaint) -> Any:
    """What necessarily differs between two complaints — their number, their customer and product
    rows, their acknowledgement message — left out, so the rest can be compared."""
    text = json.dumps(value, default=str, sort_keys=True).replace(complaint.number, "NUMBER")
    data = json.loads(text)
    for entry in data:
        if isinstance(entry[-1], dict):
            for key in ("customer", "product", "message"):
                entry[-1].pop(key, None)
    return data


def record(complaint: Complaint) -> dict[str, Any]:
    """Everything a transition leaves, minus the complaint's number and who acted."""
    fresh = Complaint.objects.get(pk=complaint.pk)
    return {
        "status": fresh.status,
        "dates": (fresh.accepted_at, fresh.resolved_at, fresh.closed_at, fresh.updated_at),
        "outcome": (fresh.outcome_reason, fresh.outcome_note, fresh.withdrawn_by),
        "version": fresh.version,
        "clocks": sorted((c.code, c.status, c.started_at, c.stopped_at, c.due_at)
                         for c in Clock.objects.filter(complaint=fresh)),
        "timeline": same_for_both([(e.kind, e.at, e.data) for e in fresh.timeline.order_by("at", "id")], fresh),
        "audit": same_for_both([(e.action, e.before, e.after) for e in
                                AuditEvent.objects.filter(complaint_number=fresh.number).order_by("id")], fresh),
    }


def last_actor(complaint: Complaint) -> Any:
    return AuditEvent.objects.filter(complaint_number=complaint.number).order_by("id").last().actor


def pair(org: Any, state: str) -> tuple[Complaint, Complaint]:
    """Two complaints with the same history, registered and moved at the same moments."""
    out = []
    for index in range(2):  # two customers, so that the second is not a repeat of the first
        customer = {"first_name": "Emily", "last_name": "Carter", "phone": f"1381234567{index}",
                    "email": f"emily{index}@example.com", "language": "en"}
        complaint = register(org["agent"], when=START, customer=customer, product={"model": "Reno 8 Pro"})
        out.append(bring_to(org, complaint, state, now=START + timedelta(hours=1)))
    return out[0], out[1]


def test_a_system_close_and_a_human_close_leave_identical_records(org: Any) -> None:
    by_person, by_system = pair(org, "resolved")
    complaint_close(actor=org["specialist"], number=by_person.number, now=LATER, note="Customer satisfied")
    complaint_close(actor=None, number=by_system.number, now=LATER, note="Customer satisfied")
    assert record(by_person) == record(by_system)
    assert record(by_system)["status"] == "closed"
    assert last_actor(by_person) == org["specialist"] and last_actor(by_system) is None
    # the work orders and clocks are treated alike too: nothing runs on either closed complaint
    assert not Clock.objects.filter(complaint__in=[by_person, by_system], status="running").exists()


def test_a_system_reopen_and_a_human_reopen_leave_identical_records(org: Any) -> None:
    by_person, by_system = pair(org, "closed")
    complaint_reopen(actor=org["specialist"], number=by_person.number, now=LATER, note="The fault came back")
    complaint_reopen(actor=None, number=by_system.number, now=LATER, note="The fault came back")
    person, system = record(by_person), record(by_system)
    assert person == system
    # the drift that was: a system reopen left resolved_at set where the human one cleared it
    assert system["status"] == "in_progress"
    assert system["dates"][1] is None and system["dates"][2] is None
    assert system["outcome"][0] == ""


def test_a_work_order_the_system_sends_matches_the_owners_own(org: Any) -> None:
    """A work order sent back by the system (a return visit's dealer rule) takes the owner's path:
    the same number, department, deadline, clock, timeline and audit; only who acted differs."""
    by_person, by_system = pair(org, "in_progress")
    request = "Call the customer about the repair"
    mine = work_order_dispatch(actor=org["specialist"], number=by_person.number, department="service_centre",
                               request=request, now=LATER)
    theirs = work_order_dispatch_system(complaint=Complaint.objects.get(pk=by_system.pk),
                                        department="service_centre", request=request, now=LATER)
    assert (mine.number.replace(by_person.number, "N"), mine.due_at, mine.created_by, mine.urgent) == \
        (theirs.number.replace(by_system.number, "N"), theirs.due_at, theirs.created_by, theirs.urgent)
    assert record(by_person) == record(by_system)
    def clocks_of(complaint: Complaint, order: Any) -> list[tuple[str, Any]]:
        return sorted(Clock.objects.filter(complaint=complaint, subject=f"work_order:{order.pk}")
                      .values_list("code", "due_at"))

    assert clocks_of(by_system, theirs) == clocks_of(by_person, mine)
    assert last_actor(by_person) == org["specialist"] and last_actor(by_system) is None


def test_the_system_cannot_send_a_work_order_on_a_closed_complaint(org: Any) -> None:
    _open, closed = pair(org, "closed")
    with pytest.raises(Conflict):
        work_order_dispatch_system(complaint=closed, department="service_centre", request="Too late", now=LATER)


def test_a_system_reopen_of_a_resolved_complaint_matches_a_human_one(org: Any) -> None:
    by_person, by_system = pair(org, "resolved")
    complaint_reopen(actor=org["specialist"], number=by_person.number, now=LATER, reason="Customer refused")
    complaint_reopen(actor=None, number=by_system.number, now=LATER, note="Customer refused")
    assert record(by_person) == record(by_system)


def test_the_system_is_refused_by_other_apps_guards_like_a_person(org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def unpaid(complaint: Any, policy: Any, change: Any, problems: Any) -> None:
        problems.add("plan", "The approved cost is not countersigned yet.")

    monkeypatch.setitem(lifecycle.GUARDS, "close", [unpaid])
    by_person, by_system = pair(org, "resolved")
    before = record(by_system)
    for actor, complaint in ((org["specialist"], by_person), (None, by_system)):
        with pytest.raises(ValidationFailed) as refused:
            complaint_close(actor=actor, number=complaint.number, now=LATER)
        assert [p.field for p in refused.value.problems] == ["plan"]
    assert record(by_system) == before


def test_only_the_systems_policy_close_reason_closes_an_unresolved_complaint(org: Any) -> None:
    """The policy may close an unresolved complaint (a clock's ``close`` action, e.g. the customer
    stayed unreachable); a person may not, and the system only for the policy's reason."""
    complaint = bring_to(org, register(org["agent"], when=START), "in_progress", now=START)
    for actor, reason in ((org["specialist"], ""), (org["specialist"], "unreachable"), (None, "")):
        with pytest.raises(InvalidTransition):
            complaint_close(actor=actor, number=complaint.number, now=LATER, reason=reason)
    assert Complaint.objects.get(pk=complaint.pk).status == "in_progress"


def test_the_transition_table_has_one_entry_per_status_action() -> None:
    from complaintdesk.complaints.services.actions import ACTIONS

    assert set(lifecycle.TRANSITIONS) <= set(ACTIONS)
    for name, entry in ACTIONS.items():
        assert "actor" not in entry.fields and "number" not in entry.fields, name
        assert entry.function.__name__.startswith("complaint_"), name


