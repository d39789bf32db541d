"""Deadline semantics through the services (docs/policy.md, "Deadlines"), on the official 2026
calendar: periods of working days end with the hours of their last working day, the same day is
the end of that day's hours, an earliest-start window refuses an early act, a same-day cut-off
promises the reply that day, and the repeat window counts days."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from workkit import at, bring_to, register

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import ValidationFailed
from orgkit import install_org, install_variant

pytestmark = pytest.mark.django_db

_RESKIT = str(Path(__file__).resolve().parent.parent / "resolutions")
if _RESKIT not in sys.path:
    sys.path.insert(0, _RESKIT)


def test_an_unreachable_close_waits_to_the_end_of_the_second_official_working_day(db: Any) -> None:
    """community_hotline close_after 2wd (seed 002 五.2(3)). The SMS goes out on Wednesday
    30 September 2026 at 11:05; 1–7 October are the National Day holiday, so the two working days
    are Thursday 8 and Friday 9 October, and the complaint closes at 18:00 on the 9th."""
    from complaintdesk.complaints.services.work import contact_record, unreachable_sms

    hotline = install_org("community_hotline")
    complaint = bring_to(hotline, register(hotline["agent"], when=at("2026-09-30 10:00")), "in_progress",
                         now=at("2026-09-30 10:00"))
    contact_record(actor=hotline["specialist"], number=complaint.number, outcome="no_answer",
                   now=at("2026-09-30 11:00"))
    unreachable_sms(actor=hotline["specialist"], number=complaint.number, now=at("2026-09-30 11:05"))
    close = Clock.objects.get(complaint=complaint, code="unreachable_close")
    assert close.due_at == at("2026-10-09 18:00")
    sweep(now=at("2026-10-09 17:59"))
    assert Complaint.objects.get(pk=complaint.pk).status != "closed"
    sweep(now=at("2026-10-09 18:00"))
    assert Complaint.objects.get(pk=complaint.pk).status == "closed"


def test_the_same_day_approval_ends_with_the_days_working_hours(db: Any) -> None:
    """pc_maker tier_approval_same_day (seed 001 "当天审批"): 0wd."""
    from reskit import make_complaint, plan_input

    from complaintdesk.resolutions.services import plan_submit

    pc = install_org("pc_maker")
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, now=at("2026-06-09 10:00"),
                       data=plan_input("2500", tier="replacement", kind="replacement_difference"))
    clock = Clock.objects.get(complaint=complaint, subject=f"approval:{plan.approvals.get().pk}")
    assert clock.code == "tier_approval_same_day" and clock.due_at == at("2026-06-09 18:00")
    late = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=late.number, now=at("2026-06-09 19:30"),
                       data=plan_input("2500", tier="replacement", kind="replacement_difference"))
    clock = Clock.objects.get(complaint=late, subject=f"approval:{plan.approvals.get().pk}")
    assert clock.due_at == at("2026-06-10 18:00")  # after hours: the next working day


def test_a_same_day_cut_off_promises_the_reply_that_day_or_the_next_working_day(db: Any) -> None:
    """A variant of scenic_area whose promised reply is due the same day before 15:30, else by the end
    of the next working day (the securities branch's rule, seed 002 第七条)."""
    scenic = install_variant("scenic_area", "2026.1-cutoff", (
        "    duration: 5wd\n    promise: true", '    duration: {same_day_until: "15:30"}\n    promise: true'))
    morning = register(scenic["agent"], when=at("2026-06-12 10:00"))  # a Friday
    assert Complaint.objects.get(pk=morning.pk).reply_due_at == at("2026-06-12 15:30")
    evening = register(scenic["agent"], when=at("2026-06-12 16:00"),
                       customer={"last_name": "Li", "phone": "13912345677", "language": "zh-hans"})
    assert Complaint.objects.get(pk=evening.pk).reply_due_at == at("2026-06-15 17:30")  # Monday, end of hours


def test_an_act_before_the_earliest_start_window_is_refused(db: Any) -> None:
    """A variant of scenic_area whose result may be told no earlier than 1 working day after the
    implementation (not_before) and no later than 3 working days."""
    from complaintdesk.clocks.services import clock_event
    from complaintdesk.policy.schema import ClockEvent

    scenic = install_variant("scenic_area", "2026.1-window", (
        "    starts: solution_implemented\n    stops: [customer_replied, resolved, closed]\n    duration: 1wd",
        "    starts: solution_implemented\n    stops: [customer_replied, resolved, closed]\n"
        "    not_before: 1wd\n    duration: 3wd"))
    complaint = bring_to(scenic, register(scenic["agent"], when=at("2026-06-08 09:00")), "in_progress",
                         now=at("2026-06-08 09:00"))
    clock_event(complaint=complaint, event=ClockEvent.SOLUTION_IMPLEMENTED, at=at("2026-06-08 10:00"))
    with pytest.raises(ValidationFailed) as info:
        clock_event(complaint=complaint, event=ClockEvent.CUSTOMER_REPLIED, at=at("2026-06-09 17:00"))
    problem = info.value.problems[0]
    assert problem.field == "clock" and "2026-06-09 17:30" in str(problem.message)
    clock_event(complaint=complaint, event=ClockEvent.CUSTOMER_REPLIED, at=at("2026-06-09 17:30"))
    told = Clock.objects.get(complaint=complaint, code="tell_result")
    assert told.status == "stopped" and told.due_at == at("2026-06-11 17:30")
    # the complaint's end still cancels such a clock at any time
    clock_event(complaint=complaint, event=ClockEvent.SOLUTION_IMPLEMENTED, at=at("2026-06-10 10:00"))
    clock_event(complaint=complaint, event=ClockEvent.CLOSED, at=at("2026-06-10 10:05"))


def test_the_repeat_window_counts_days(org: Any) -> None:
    """phone_maker repeat window: a complaint 30 days earlier, at 08:00, is a repeat of one at 20:00
    (more than 30 × 24 hours apart, within 30 days counted as days)."""
    window = org.policy.repeat.window_days
    first = register(org["agent"], when=at("2026-05-11 08:00"))
    later = register(org["agent"], when=at("2026-06-10 20:00"))
    assert window == 30
    assert first in later.repeats.all()
