"""Return visits through the services: due when resolved, assigned, worked, and every outcome's next
state (phone maker, seed 000 §1.5: CSAT within 48 h; reason for general or dissatisfied)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from followup_kit import BASE, SH, resolve_under, status, visit_of

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import ContactAttempt
from complaintdesk.complaints.services.actions import complaint_close, complaint_resolve, complaint_withdraw
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.followup.models import ReturnVisit
from complaintdesk.followup.services import VisitInput, return_visit_assign, return_visit_record
from complaintdesk.notify.models import Message

pytestmark = pytest.mark.django_db

LATER = BASE + timedelta(days=3)


def fields(exc: Any) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


def test_resolving_makes_a_return_visit_due_in_48_hours_with_the_policys_clock(org: Any, resolved: Any) -> None:
    complaint = resolved()
    visit = visit_of(complaint)
    assert visit.state == "open" and visit.cycle == 1
    assert visit.opened_at == BASE + timedelta(hours=1)
    assert visit.due_at == BASE + timedelta(hours=49)
    clock = Clock.objects.get(complaint=complaint, code="return_visit")
    assert clock.status == "running" and clock.due_at == visit.due_at
    # manual assignment: nobody yet; the team lead is told
    assert visit.assigned_to is None
    assert Message.objects.filter(recipient_user=org["supervisor"], kind="return_visit_due").exists()
    assert complaint.timeline.filter(kind="return_visit_due").exists()


def test_the_team_lead_assigns_to_an_agent_and_nobody_else_may(org: Any, resolved: Any) -> None:
    visit = visit_of(resolved())
    with pytest.raises(PermissionDenied):
        return_visit_assign(actor=org["agent"], visit_id=visit.pk, to="agent", now=LATER)
    with pytest.raises(ValidationFailed) as exc:
        return_visit_assign(actor=org["supervisor"], visit_id=visit.pk, to="legal", now=LATER)
    assert "does not make return visits" in fields(exc)["to"]
    return_visit_assign(actor=org["supervisor"], visit_id=visit.pk, to="agent", now=LATER)
    visit.refresh_from_db()
    assert visit.assigned_to == org["agent"] and visit.assigned_by == org["supervisor"]
    assert Message.objects.filter(recipient_user=org["agent"], kind="return_visit_assigned").exists()
    assert AuditEvent.objects.filter(action="return_visit.assign").count() == 1


def test_an_agent_cannot_work_a_visit_assigned_to_a_colleague(org: Any, resolved: Any) -> None:
    from complaintdesk.accounts.services import user_create
    from complaintdesk.policy.schema import Role

    colleague = user_create(actor=None, username="agent2", password="x" * 12, roles=[Role.AGENT])
    complaint = resolved()
    return_visit_assign(actor=org["supervisor"], visit_id=visit_of(complaint).pk, to="agent2", now=LATER)
    with pytest.raises(PermissionDenied):
        return_visit_record(actor=org["agent"], number=complaint.number, data=VisitInput(outcome="no_answer"),
                            now=LATER)
    return_visit_record(actor=colleague, number=complaint.number, data=VisitInput(outcome="no_answer"), now=LATER)
    assert visit_of(complaint).calls.count() == 1


def test_an_unassigned_visit_is_taken_by_the_agent_who_calls(org: Any, resolved: Any) -> None:
    complaint = resolved()
    return_visit_record(actor=org["agent"], number=complaint.number,
                        data=VisitInput(outcome="busy", at="2026-11-17 10:00"), now=LATER)
    visit = visit_of(complaint)
    assert visit.assigned_to == org["agent"]
    attempt = ContactAttempt.objects.get(complaint=complaint)
    assert attempt.purpose == "return_visit" and attempt.outcome == "busy"
    assert attempt.at == BASE.replace(day=17)


def test_satisfied_closes_the_complaint(org: Any, resolved: Any) -> None:
    complaint = resolved()
    visit = return_visit_record(actor=org["agent"], number=complaint.number,
                                data=VisitInput(outcome="reached", satisfaction="satisfied"), now=LATER)
    assert visit.state == "done" and visit.result == "answered" and visit.score == 3
    assert status(complaint) == "closed"
    assert complaint.outcome_reason == "return_visit"
    assert Clock.objects.get(complaint=complaint, code="return_visit").status == "stopped"
    assert complaint.timeline.filter(kind="return_visit_result").exists()


@pytest.mark.parametrize("point", ["general", "dissatisfied"])
def test_general_or_dissatisfied_needs_the_reason_and_nothing_changes_without(org: Any, resolved: Any,
                                                                             point: str) -> None:
    complaint = resolved()
    with pytest.raises(ValidationFailed) as exc:
        return_visit_record(actor=org["agent"], number=complaint.number,
                            data=VisitInput(outcome="reached", satisfaction=point), now=LATER)
    assert "reason" in fields(exc)
    assert ContactAttempt.objects.filter(complaint=complaint).count() == 0
    assert visit_of(complaint).state == "open" and status(complaint) == "resolved"


def test_general_with_its_reason_closes(org: Any, resolved: Any) -> None:
    complaint = resolved()
    return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                        data=VisitInput(outcome="reached", satisfaction="general", reason="Took too long"))
    assert status(complaint) == "closed"
    assert visit_of(complaint).reason == "Took too long"


def test_dissatisfied_reopens_for_second_handling_with_the_customers_words(org: Any, resolved: Any) -> None:
    complaint = resolved()
    words = "The phone still drops calls after the repair"
    return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                        data=VisitInput(outcome="reached", satisfaction="dissatisfied", reason=words))
    assert status(complaint) == "in_progress"
    reopen = complaint.timeline.get(kind="status_reopen")
    assert reopen.data["note"] == words
    assert Message.objects.filter(recipient_user=org["specialist"], kind="return_visit_reopened",
                                  body__contains=words).exists()
    # the second handling ends in a new resolution, and a new return visit falls due
    complaint_resolve(actor=org["specialist"], number=complaint.number, now=LATER + timedelta(hours=2),
                  note="Replaced the phone", root_cause=["product_quality", "hardware", "battery"],
                                   corrective_action="Check batteries")
    second = visit_of(complaint)
    assert second.cycle == 2 and second.state == "open"
    assert second.due_at == LATER + timedelta(hours=50)


def test_a_call_without_reaching_the_customer_carries_no_satisfaction(org: Any, resolved: Any) -> None:
    complaint = resolved()
    with pytest.raises(ValidationFailed) as exc:
        return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                            data=VisitInput(outcome="no_answer", satisfaction="satisfied"))
    assert "satisfaction" in fields(exc)


def test_reaching_the_customer_without_an_answer_is_just_a_call(org: Any, resolved: Any) -> None:
    complaint = resolved()
    visit = return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                                data=VisitInput(outcome="reached", note="Customer asked to be called tomorrow"))
    assert visit.state == "open" and visit.calls.count() == 1
    assert status(complaint) == "resolved"


def test_unknown_satisfaction_names_the_scale(org: Any, resolved: Any) -> None:
    complaint = resolved()
    with pytest.raises(ValidationFailed) as exc:
        return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                            data=VisitInput(outcome="reached", satisfaction="delighted"))
    assert "satisfied" in fields(exc)["satisfaction"] and "dissatisfied" in fields(exc)["satisfaction"]


def test_calls_in_the_future_or_before_the_visit_fell_due_are_refused(org: Any, resolved: Any) -> None:
    complaint = resolved()
    with pytest.raises(ValidationFailed) as exc:
        return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                            data=VisitInput(outcome="no_answer", at=(LATER + timedelta(hours=2)).isoformat()))
    assert "future" in fields(exc)["at"]
    with pytest.raises(ValidationFailed) as exc:
        return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                            data=VisitInput(outcome="no_answer", at="2026-11-16 10:30"))
    assert "before the return visit fell due" in fields(exc)["at"]
    assert ContactAttempt.objects.filter(complaint=complaint).count() == 0


def test_no_visit_needed_is_explicit_with_its_reason(org: Any, resolved: Any) -> None:
    complaint = resolved()
    with pytest.raises(ValidationFailed) as exc:
        return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                            data=VisitInput(outcome="no_visit_needed"))
    assert "reason" in fields(exc)
    visit = return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                                data=VisitInput(outcome="no_visit_needed", reason="Customer moved abroad"))
    assert visit.result == "no_visit_needed" and visit.reason == "Customer moved abroad"
    assert status(complaint) == "closed" and complaint.outcome_reason == "no_visit_needed"


def test_a_resolved_complaint_closes_only_after_its_return_visit(org: Any, resolved: Any) -> None:
    complaint = resolved()
    with pytest.raises(ValidationFailed) as exc:
        complaint_close(actor=org["specialist"], number=complaint.number, now=LATER)
    assert "return visit is not done" in fields(exc)["return_visit"]
    assert status(complaint) == "resolved"


def test_the_owner_closes_after_callback_failed_counts_as_completed(org: Any, resolved: Any) -> None:
    from complaintdesk.complaints.services.lifecycle import Transition
    from complaintdesk.core.errors import Problems
    from complaintdesk.core.policies import policy_of
    from complaintdesk.followup.services.visits import guard_close

    complaint = resolved()
    visit = visit_of(complaint)
    ReturnVisit.objects.filter(pk=visit.pk).update(state="done", result="callback_failed", outcome="close")
    problems = Problems()
    guard_close(complaint, policy_of(complaint.policy_version),
                Transition(action="close", actor=org["specialist"], at=LATER), problems)
    assert not problems
    complaint_close(actor=org["specialist"], number=complaint.number, now=LATER)
    assert status(complaint) == "closed"


def test_nothing_is_due_on_a_closed_complaint(org: Any, resolved: Any) -> None:
    complaint = resolved()
    return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                        data=VisitInput(outcome="reached", satisfaction="satisfied"))
    with pytest.raises(Conflict):
        return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                            data=VisitInput(outcome="reached", satisfaction="satisfied"))


def test_withdrawing_cancels_the_open_visit(org: Any, resolved: Any) -> None:
    complaint = resolved()
    complaint_withdraw(actor=org["specialist"], number=complaint.number, now=LATER,
                  withdrawn_by="Customer")
    assert visit_of(complaint).state == "cancelled"


def test_where_coverage_is_optional_the_owner_closes_without_a_visit(org: Any) -> None:
    complaint = resolve_under("hypermarket", org)
    assert visit_of(complaint).state == "open"
    complaint_close(actor=org["specialist"], number=complaint.number, now=LATER)
    assert status(complaint) == "closed"


def test_the_due_time_is_local_48_hours_even_across_a_weekend(org: Any, resolved: Any) -> None:
    friday = BASE.replace(day=20, hour=17)  # Friday 17:00 → resolved 18:00 → due Sunday 18:00 (calendar hours)
    visit = visit_of(resolved(at=friday))
    assert visit.due_at.astimezone(SH) == friday.replace(day=22, hour=18)


def test_when_another_condition_refuses_closing_the_visit_is_kept_and_the_owner_told(
        org: Any, resolved: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from complaintdesk.complaints.services import lifecycle

    def unpaid(complaint: Any, policy: Any, data: Any, problems: Any) -> None:
        problems.add("plan", "The approved cost is not countersigned yet.")

    monkeypatch.setitem(lifecycle.GUARDS, "close", [*lifecycle.GUARDS["close"], unpaid])
    complaint = resolved()
    visit = return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                                data=VisitInput(outcome="reached", satisfaction="satisfied"))
    assert visit.state == "done" and status(complaint) == "resolved"
    blocked = complaint.timeline.get(kind="return_visit_close_blocked")
    assert blocked.data["problems"] == ["The approved cost is not countersigned yet."]
    assert Message.objects.filter(recipient_user=org["specialist"], kind="return_visit_blocked").exists()
