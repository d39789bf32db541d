"""Waiting on the customer pauses exactly the clocks the policy names; an extension needs a reason
and the policy's approver, before the old time passes, and the customer is told the new time
(DOMAIN.md §8: "the customer is told before the promised time passes and a new time agreed")."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from workkit import act, at, bring_to, register, state_of

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.work import work_order_dispatch
from complaintdesk.core.audit import seal_text
from complaintdesk.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.notify.models import Message
from orgkit import install_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def clock(complaint: Complaint, code: str) -> Clock:
    return Clock.objects.filter(complaint=complaint, code=code).latest("cycle")


def problems_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


# --- pause and resume ---------------------------------------------------------------------------


def test_waiting_on_the_customer_pauses_only_the_clocks_the_policy_names(db: Any) -> None:
    """pc_maker: technical_solution pauses on waiting_on_customer; a work order's department_reply
    clock does not."""
    pc = install_org("pc_maker")
    monday = at("2026-06-08 10:00")
    complaint = bring_to(pc, register(pc["agent"], when=monday), "in_progress", now=monday)
    work_order_dispatch(actor=pc["specialist"], number=complaint.number, department="repair_station",
                        request="Inspect the mainboard", now=monday)
    act(pc["specialist"], complaint, "pause", condition="waiting_on_customer", note="Receipt",
        now=at("2026-06-08 16:00"))
    solution = clock(complaint, "technical_solution")
    assert solution.status == "paused" and solution.next_fire_at is None
    assert solution.paused_since == at("2026-06-08 16:00")
    assert clock(complaint, "department_reply").status == "running"
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.waiting_on == "waiting_on_customer"
    assert fresh.timeline.get(kind="paused").data["clocks"] == 1
    assert AuditEvent.objects.get(action="complaint.pause").after["clocks_paused"] == 1


def test_resume_moves_the_due_time_by_the_paused_working_time(db: Any) -> None:
    """Registered Monday 2026-06-08 10:00: 3 working days → the end of Thursday 06-11's working
    hours, 18:00; warning 4 working hours before → Thursday 14:00. Paused Monday 16:00 to Tuesday
    10:00 = 2 h (16–18) + 1 h (9–10) = 3 working hours, which the clock gets back: due → Thursday
    18:00 + 3 wh = Friday 06-12 12:00 (9–12); warning → Thursday 14:00 + 3 wh = 17:00 (4 working
    hours before Friday 12:00)."""
    pc = install_org("pc_maker")
    complaint = bring_to(pc, register(pc["agent"], when=at("2026-06-08 10:00")), "in_progress",
                         now=at("2026-06-08 10:00"))
    assert clock(complaint, "technical_solution").due_at == at("2026-06-11 18:00")
    assert clock(complaint, "technical_solution").warn_at == at("2026-06-11 14:00")
    act(pc["specialist"], complaint, "pause", condition="waiting_on_customer", now=at("2026-06-08 16:00"))
    act(pc["specialist"], complaint, "resume", now=at("2026-06-09 10:00"))
    solution = clock(complaint, "technical_solution")
    assert solution.status == "running"
    assert solution.due_at == at("2026-06-12 12:00")
    assert solution.warn_at == at("2026-06-11 17:00")
    assert solution.next_fire_at == solution.warn_at
    assert [[datetime.fromisoformat(x) for x in pause] for pause in solution.pauses] == [
        [at("2026-06-08 16:00"), at("2026-06-09 10:00")]]
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.waiting_on == "" and fresh.reply_due_at == at("2026-06-12 12:00")
    assert fresh.timeline.get(kind="resumed").data["clocks"] == 1


def test_a_calendar_clock_moves_by_the_paused_wall_time(org: Any) -> None:
    complaint = register(org["agent"], when=at("2026-06-10 10:00"))
    complaint = bring_to(org, complaint, "accepted", now=at("2026-06-10 10:00"))
    act(org["specialist"], complaint, "pause", condition="waiting_on_customer", now=at("2026-06-10 11:00"))
    # the daily update is not paused by waiting on the customer
    assert clock(complaint, "daily_update").status == "running"
    act(org["specialist"], complaint, "resume", now=at("2026-06-10 20:30"))
    assert clock(complaint, "first_reply").due_at == at("2026-06-11 19:30")  # 24 h + 9.5 h


def test_a_paused_clock_does_not_fire(org: Any) -> None:
    complaint = register(org["agent"], when=at("2026-06-10 10:00"))
    act(org["agent"], complaint, "pause", condition="waiting_on_customer", now=at("2026-06-10 10:30"))
    assert sweep(now=at("2026-06-12 10:00")) == 0
    assert clock(complaint, "first_reply").firings.count() == 0


def test_the_appraisal_pause_of_the_insurer_leaves_other_conditions_alone(db: Any) -> None:
    insurer = install_org("insurer")
    complaint = register(insurer["agent"])
    act(insurer["agent"], complaint, "pause", condition="waiting_on_customer")
    assert clock(complaint, "decision").status == "running"
    act(insurer["agent"], complaint, "resume")
    act(insurer["agent"], complaint, "pause", condition="external_appraisal")
    assert clock(complaint, "decision").status == "paused"


def test_pause_twice_and_resume_without_pause_are_refused(org: Any) -> None:
    complaint = register(org["agent"])
    with pytest.raises(InvalidTransition):
        act(org["agent"], complaint, "resume")
    act(org["agent"], complaint, "pause", condition="waiting_on_customer")
    before = state_of(complaint)
    with pytest.raises(InvalidTransition):
        act(org["agent"], complaint, "pause", condition="external_appraisal")
    assert state_of(complaint) == before


# --- extension ----------------------------------------------------------------------------------

EXTEND = {"clock": "final_reply", "by": "1wd", "reason": "the lab needs two more days"}


@pytest.fixture
def scenic(db: Any) -> Any:
    return install_org("scenic_area")


def test_an_extension_moves_the_deadline_and_tells_the_customer(scenic: Any) -> None:
    """final_reply: 5 working days from Monday 2026-06-08 09:00 → the end of Monday 06-15's working
    hours, 17:30; + 1 working day → the end of Tuesday 2026-06-16, 17:30."""
    complaint = bring_to(scenic, register(scenic["agent"], when=at("2026-06-08 09:00")), "in_progress",
                         now=at("2026-06-08 09:00"))
    act(scenic["supervisor"], complaint, "extend", now=at("2026-06-12 10:00"), **EXTEND)
    final = clock(complaint, "final_reply")
    assert final.due_at == at("2026-06-16 17:30")
    assert final.warn_at == at("2026-06-15 17:30")  # the warning moves with the deadline
    assert final.extensions[0]["reason"] == "the lab needs two more days"
    assert final.extensions[0]["by"] == "supervisor"
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.reply_due_at == at("2026-06-16 17:30")
    event = AuditEvent.objects.get(action="clock.extend")
    assert event.after["reason"] == seal_text("the lab needs two more days")  # free text sealed in the chain
    assert datetime.fromisoformat(fresh.timeline.get(kind="clock_extended").data["new_due"]) == at("2026-06-16 17:30")
    notice = Message.objects.get(kind="extension_notice")
    assert notice.channel == "sms" and notice.recipient == "+8613812345678"
    assert "2026-06-16 17:30" in notice.body and "the lab needs two more days" in notice.body
    assert fresh.timeline.filter(kind="message_queued", data__message_kind="extension_notice").count() == 1


def test_the_customer_is_told_in_their_language(scenic: Any) -> None:
    complaint = register(scenic["agent"], when=at("2026-06-08 09:00"),
                         customer={"last_name": "王", "first_name": "芳", "phone": "13812345678",
                                   "language": "zh-hans"})
    # typed as a Chinese-speaking supervisor writes it: the same two working days as "2wd"
    act(scenic["supervisor"], complaint, "extend", now=at("2026-06-08 10:00"), clock="final_reply", by="2个工作日",
        reason="需要等待检测报告")
    body = Message.objects.get(kind="extension_notice").body
    assert "2026年6月17日 17:30" in body and "需要等待检测报告" in body


@pytest.mark.parametrize(
    ("role", "fields", "error"),
    [
        ("specialist", EXTEND, PermissionDenied),  # the owner is not the policy's approver
        ("agent", EXTEND, PermissionDenied),
        ("supervisor", {**EXTEND, "reason": " "}, ValidationFailed),
        ("supervisor", {**EXTEND, "by": "soon"}, ValidationFailed),
        ("supervisor", {**EXTEND, "by": "0wd"}, ValidationFailed),
        ("supervisor", {**EXTEND, "clock": "register"}, ValidationFailed),  # no extension in the policy
        ("supervisor", {**EXTEND, "clock": "nonsense"}, ValidationFailed),
    ],
)
def test_bad_extensions_are_refused_and_change_nothing(scenic: Any, role: str, fields: dict[str, str],
                                                       error: type[Exception]) -> None:
    complaint = bring_to(scenic, register(scenic["agent"], when=at("2026-06-08 09:00")), "in_progress",
                         now=at("2026-06-08 09:00"))
    before = state_of(complaint)
    with pytest.raises(error):
        act(scenic[role], complaint, "extend", now=at("2026-06-09 09:00"), **fields)
    assert state_of(complaint) == before
    assert not Message.objects.filter(kind="extension_notice").exists()


def test_every_problem_of_an_extension_is_named_at_once(scenic: Any) -> None:
    complaint = register(scenic["agent"])
    with pytest.raises(ValidationFailed) as info:
        act(scenic["supervisor"], complaint, "extend")
    assert set(problems_of(info)) == {"clock", "by", "reason"}


def test_an_extension_after_the_deadline_passed_is_refused(scenic: Any) -> None:
    complaint = register(scenic["agent"], when=at("2026-06-08 09:00"))
    before = state_of(complaint)
    with pytest.raises(Conflict) as info:
        act(scenic["supervisor"], complaint, "extend", now=at("2026-06-15 17:30"), **EXTEND)
    assert "before" in str(info.value.message)
    assert state_of(complaint) == before


def test_at_most_the_policys_number_of_extensions(scenic: Any) -> None:
    complaint = register(scenic["agent"], when=at("2026-06-08 09:00"))
    act(scenic["supervisor"], complaint, "extend", now=at("2026-06-09 09:00"), **EXTEND)
    act(scenic["supervisor"], complaint, "extend", now=at("2026-06-10 09:00"), **EXTEND)
    before = state_of(complaint)
    with pytest.raises(Conflict):
        act(scenic["supervisor"], complaint, "extend", now=at("2026-06-11 09:00"), **EXTEND)
    assert state_of(complaint) == before
    assert clock(complaint, "final_reply").due_at == at("2026-06-17 17:30")  # 15 + 2 working days, end of day
    assert Message.objects.filter(kind="extension_notice").count() == 2


def test_the_insurers_extensions_add_at_most_45_days(db: Any) -> None:
    """decision: 15 days; extensions approved by the VP, 45 days in all (60 days at most)."""
    insurer = install_org("insurer")
    start = at("2026-06-08 14:00")
    complaint = register(insurer["agent"], when=start)
    with pytest.raises(PermissionDenied):
        act(insurer["supervisor"], complaint, "extend", now=start + timedelta(days=1), clock="decision", by="15d",
            reason="complex case")
    act(insurer["vp"], complaint, "extend", now=start + timedelta(days=1), clock="decision", by="15d",
        reason="complex case")
    assert clock(complaint, "decision").due_at == at("2026-07-09 00:00")  # 24:00 of 06-23, + 15 days
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as info:
        act(insurer["vp"], complaint, "extend", now=start + timedelta(days=2), clock="decision", by="31d",
            reason="especially complex")
    assert "45d" in problems_of(info)["by"]
    assert state_of(complaint) == before
    act(insurer["vp"], complaint, "extend", now=start + timedelta(days=2), clock="decision", by="30d",
        reason="especially complex")
    assert clock(complaint, "decision").due_at == at("2026-08-08 00:00")  # 24:00 of the 60th day


# --- a deadline moved into a year without official holidays -------------------------------------


def _last_monday_but_one_of_the_last_known_year() -> date:
    """A Monday in the middle of December of the last year the official calendar knows: a clock
    started there ends in that year, and one moved by a week or two ends in the next, unknown one."""
    from django.conf import settings

    from complaintdesk.worktime import ChinaCalendar

    year = max(ChinaCalendar(settings.COMPLAINTDESK_CALENDAR_DIR).known_years())
    day = date(year, 12, 14)
    return day + timedelta(days=-day.weekday() % 7)


def test_a_resume_that_moves_the_promise_into_an_unknown_year_marks_it_provisional(db: Any) -> None:
    """pc_maker: 3 working days from a mid-December Monday end that Thursday (official days); paused
    from Monday 16:00 until the Monday three weeks later, the clock gets back more than two weeks of
    working time and ends in January of a year whose official holidays are not published."""
    pc = install_org("pc_maker")
    monday = _last_monday_but_one_of_the_last_known_year()
    start = at(f"{monday} 10:00")
    complaint = bring_to(pc, register(pc["agent"], when=start), "in_progress", now=start)
    assert clock(complaint, "technical_solution").provisional is False
    act(pc["specialist"], complaint, "pause", condition="waiting_on_customer", now=at(f"{monday} 16:00"))
    act(pc["specialist"], complaint, "resume", now=at(f"{monday + timedelta(days=21)} 10:00"))
    solution = clock(complaint, "technical_solution")
    assert solution.due_at.year == monday.year + 1 and solution.provisional is True
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.reply_due_at == solution.due_at and fresh.reply_due_provisional is True


def test_an_extension_into_an_unknown_year_marks_the_promise_provisional(scenic: Any) -> None:
    """scenic_area: final_reply, 5 working days from a mid-December Monday, ends the next Monday;
    extended by 10 working days it ends in January of a year whose official holidays are not published."""
    monday = _last_monday_but_one_of_the_last_known_year()
    complaint = bring_to(scenic, register(scenic["agent"], when=at(f"{monday} 09:00")), "in_progress",
                         now=at(f"{monday} 09:00"))
    assert clock(complaint, "final_reply").provisional is False
    act(scenic["supervisor"], complaint, "extend", now=at(f"{monday + timedelta(days=1)} 10:00"),
        clock="final_reply", by="10wd", reason="the lab needs more time")
    final = clock(complaint, "final_reply")
    assert final.due_at.year == monday.year + 1 and final.provisional is True
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.reply_due_at == final.due_at and fresh.reply_due_provisional is True
