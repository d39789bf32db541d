"""Outcomes beyond close and reopen: the dealer loop (seed 003: 100 % return visit, unsatisfied
customers back to the dealer, the result back to customer service) and the community hotline's
difficult-customer path (seed 002: 咨询工单—疑难客户, second handling)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from followup_kit import BASE, dealer_registration, hotline_registration, resolve, status, visit_of

from complaintdesk.accounts.models import Department
from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import WorkOrder
from complaintdesk.complaints.services.actions import complaint_close
from complaintdesk.complaints.services.work import work_order_reply
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.followup.services import VisitInput, return_visit_record
from orgkit import install_org, install_variant

pytestmark = pytest.mark.django_db

LATER = BASE + timedelta(days=1)


def test_dealer_network_every_customer_gets_a_visit_and_no_visit_needed_is_not_offered(org: Any) -> None:
    install_org("dealer_network")
    complaint = resolve(org, dealer_registration())
    visit = visit_of(complaint)
    assert visit.assigned_to == org["agent"]  # assign: auto → the least-loaded agent
    # the policy's 3-working-day return-visit clock: resolved Monday → the end of Thursday's working hours
    assert visit.due_at == BASE.replace(day=19, hour=18)
    with pytest.raises(ValidationFailed) as exc:
        return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                            data=VisitInput(outcome="no_visit_needed", reason="Customer busy"))
    assert "every customer gets a return visit" in str(exc.value.problems[0].message)


def test_the_dealer_loop_goes_round_until_the_customer_is_satisfied(org: Any) -> None:
    install_org("dealer_network")
    handler = org["handler"]
    handler.department = Department.objects.get(code="dealer")
    handler.save(update_fields=["department"])
    complaint = resolve(org, dealer_registration())
    words = "The dealer came but the tiles are still loose"
    return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                        data=VisitInput(outcome="reached", satisfaction="unsatisfied", reason=words))
    first = visit_of(complaint)
    assert first.outcome == "dealer" and first.work_order is not None
    order = first.work_order
    assert order.department.code == "dealer" and words in order.request
    assert order.due_at == LATER + timedelta(hours=24)  # the dealer answers within 24 hours
    assert status(complaint) == "resolved"
    # while the dealer has it, the complaint cannot be closed
    with pytest.raises(ValidationFailed) as exc:
        complaint_close(actor=org["specialist"], number=complaint.number, now=LATER)
    assert order.number in str(exc.value.problems[0].message)
    # the dealer's result comes back to customer service: the customer is visited again
    answered = LATER + timedelta(hours=5)
    work_order_reply(actor=handler, order_id=order.pk, reply="Relaid the tiles; customer signed the form",
                     now=answered)
    second = visit_of(complaint)
    assert second.cycle == 2 and second.state == "open" and second.previous == first
    assert second.opened_at == answered
    clock = Clock.objects.filter(complaint=complaint, code="return_visit").order_by("-cycle").first()
    assert clock is not None and clock.status == "running" and clock.due_at == second.due_at
    assert complaint.timeline.filter(kind="dealer_answered").exists()
    return_visit_record(actor=org["agent"], number=complaint.number, now=answered + timedelta(hours=1),
                        data=VisitInput(outcome="reached", satisfaction="satisfied"))
    assert status(complaint) == "closed"
    assert WorkOrder.objects.get(pk=order.pk).status == "answered"


def test_an_odd_case_goes_back_to_the_dealer_too(org: Any) -> None:
    install_org("dealer_network")
    complaint = resolve(org, dealer_registration())
    return_visit_record(actor=org["agent"], number=complaint.number, now=LATER,
                        data=VisitInput(outcome="reached", satisfaction="oddity", reason="Says nobody ever came"))
    assert visit_of(complaint).work_order.department.code == "dealer"


def test_the_difficult_customer_path_reopens_flags_and_sends_a_work_order(org: Any) -> None:
    install_org("community_hotline")
    complaint = resolve(org, hotline_registration())
    visitor = visit_of(complaint).assigned_to
    words = "仍不满意，要求客户代表当面道歉并赔偿话费"
    return_visit_record(actor=visitor, number=complaint.number, now=LATER,
                        data=VisitInput(outcome="reached", satisfaction="difficult", reason=words))
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    assert "difficult_customer" in complaint.flags
    order = WorkOrder.objects.get(complaint=complaint)
    assert order.department.code == "difficult_team" and words in order.request
    assert "疑难客户" in order.request  # written in the organisation's language
    assert order.due_at == LATER + timedelta(hours=48)


def test_still_dissatisfied_on_the_hotline_is_handled_again(org: Any) -> None:
    install_org("community_hotline")
    complaint = resolve(org, hotline_registration())
    visitor = visit_of(complaint).assigned_to
    return_visit_record(actor=visitor, number=complaint.number, now=LATER,
                        data=VisitInput(outcome="reached", satisfaction="dissatisfied", reason="还是不满意"))
    complaint.refresh_from_db()
    assert complaint.status == "in_progress" and "difficult_customer" not in complaint.flags


def test_the_difficult_path_is_only_for_complaints_about_staff(org: Any) -> None:
    staff = "    target: rep_business\n    about_staff: true\n"
    install_variant("community_hotline", "2026.1-test", (staff, staff.replace("true", "false")))
    complaint = resolve(org, hotline_registration(category="rep_business", facts={
        "rep_id": "1", "call_time": "2026-11-15 09:30", "business": "x", "what_was_wrong": "x"}))
    visitor = visit_of(complaint).assigned_to
    with pytest.raises(ValidationFailed) as exc:
        return_visit_record(actor=visitor, number=complaint.number, now=LATER,
                            data=VisitInput(outcome="reached", satisfaction="difficult", reason="要求更高"))
    assert "only for disputes purely about staff service" in str(exc.value.problems[0].message)
    assert status(complaint) == "resolved"
