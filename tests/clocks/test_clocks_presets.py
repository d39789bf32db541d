"""The policy's clocks start on registration with due times computed in each organisation's working
time (DOMAIN.md §8). Every expected time below is worked out by hand in the comment next to it."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import at, register

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from orgkit import install_org

pytestmark = pytest.mark.django_db


def clocks_of(complaint: Complaint) -> dict[str, Clock]:
    return {c.code: c for c in Clock.objects.filter(complaint=complaint)}


def test_phone_maker_first_reply_is_24_hours_with_a_4_hour_warning(org: Any) -> None:
    complaint = register(org["agent"], when=at("2026-06-10 10:00"))  # a Wednesday
    clocks = clocks_of(complaint)
    assert set(clocks) == {"first_reply"}  # crisis_response only for crisis complaints
    first = clocks["first_reply"]
    assert first.due_at == at("2026-06-11 10:00")  # 24 calendar hours
    assert first.warn_at == at("2026-06-11 06:00")  # warn_before: 4h
    assert first.next_fire_at == first.warn_at and first.status == "running" and not first.provisional
    assert complaint.reply_due_at == first.due_at and complaint.reply_due_provisional is False


def test_phone_maker_crisis_complaint_also_gets_the_two_hour_response_clock(org: Any) -> None:
    complaint = register(org["agent"], when=at("2026-06-10 10:00"), level="crisis",
                         level_override_reason="Published on Facebook")
    assert clocks_of(complaint)["crisis_response"].due_at == at("2026-06-10 12:00")


def test_pc_maker_technical_solution_crosses_the_2026_spring_festival(db: Any) -> None:
    """pc_maker: 3 working days (§3.1.1), working hours 09:00–12:00 and 13:00–18:00, official
    2026 calendar: Saturday 2026-02-14 is an adjusted working day (调休), Sunday 15 to Monday 23
    February are the Spring Festival holiday.

    Registered Friday 2026-02-13 10:00 (the day of the event does not count): working day 1 =
    Saturday 14 (adjusted working day), day 2 = Tuesday 24, day 3 = Wednesday 25 → due at the end
    of the working hours of Wednesday 2026-02-25, 18:00. Warning 4 working hours before →
    Wednesday 14:00."""
    pc = install_org("pc_maker")
    complaint = register(pc["agent"], when=at("2026-02-13 10:00"))
    clocks = clocks_of(complaint)
    assert set(clocks) == {"technical_solution"}  # not a letter, not urgent
    solution = clocks["technical_solution"]
    assert solution.due_at == at("2026-02-25 18:00")
    assert solution.warn_at == at("2026-02-25 14:00")
    assert solution.provisional is False
    assert Complaint.objects.get(pk=complaint.pk).reply_due_at == at("2026-02-25 18:00")


def test_pc_maker_letter_gets_the_call_back_clock(db: Any) -> None:
    pc = install_org("pc_maker")
    complaint = register(pc["agent"], when=at("2026-06-10 17:30"), channel="letter")
    # 1 hour of real time, whatever the working hours
    assert clocks_of(complaint)["letter_callback"].due_at == at("2026-06-10 18:30")


def test_community_hotline_reply_in_24_and_at_most_48_hours(db: Any) -> None:
    hotline = install_org("community_hotline")
    complaint = register(hotline["agent"], when=at("2026-06-12 16:00"))  # a Friday
    clocks = clocks_of(complaint)
    assert clocks["first_reply"].due_at == at("2026-06-13 16:00")
    assert clocks["reply_limit"].due_at == at("2026-06-14 16:00")
    assert Complaint.objects.get(pk=complaint.pk).reply_due_at == at("2026-06-13 16:00")


def test_iptv_clocks_follow_the_colour_level(db: Any) -> None:
    iptv = install_org("iptv")
    blue = register(iptv["agent"], when=at("2026-06-08 14:00"), channel="call_centre")  # Monday
    assert blue.level == "blue"
    # blue/yellow: 5 working days → the end of Monday 2026-06-15's working hours (no holiday between)
    assert set(clocks_of(blue)) == {"reply", "resolve_lower"}
    assert clocks_of(blue)["resolve_lower"].due_at == at("2026-06-15 18:00")
    orange = register(iptv["agent"], when=at("2026-06-08 14:00"), level="orange",
                      level_override_reason="Forwarded by the broadcasting regulator",
                      customer={"last_name": "Zhao", "phone": "13912345671", "language": "zh-hans"})
    clocks = clocks_of(orange)
    assert set(clocks) == {"reply", "resolve_orange"}
    # 3 working days → Thursday 18:00; warning 1 working day (8 h of 09–12 + 13–18) before → Wed 18:00
    assert clocks["resolve_orange"].due_at == at("2026-06-11 18:00")
    assert clocks["resolve_orange"].warn_at == at("2026-06-10 18:00")
    assert clocks["reply"].due_at == at("2026-06-09 14:00")


def test_insurer_decision_in_15_calendar_days(db: Any) -> None:
    insurer = install_org("insurer")
    complaint = register(insurer["agent"], when=at("2026-06-08 14:00"))
    decision = clocks_of(complaint)["decision"]
    assert decision.due_at == at("2026-06-24 00:00")  # 24:00 of the 15th day after the 8th
    assert decision.warn_at == at("2026-06-21 00:00")  # warn_before: 3d


def test_scenic_area_clocks_and_a_working_day_warning_on_a_short_working_day(db: Any) -> None:
    """scenic_area works 08:30–12:00 and 13:30–17:30 (7.5 h a day). final_reply: 5 working days
    from Monday 2026-06-08 09:00 → the end of Monday 2026-06-15's working hours, 17:30; warned 1
    working day before, i.e. when 7.5 working hours remain → Friday 2026-06-12 17:30 (not 8 hours
    before, which would be Friday 17:00)."""
    scenic = install_org("scenic_area")
    complaint = register(scenic["agent"], when=at("2026-06-08 09:00"))
    clocks = clocks_of(complaint)
    assert clocks["register"].due_at == at("2026-06-08 10:00")
    assert clocks["register"].warn_at == at("2026-06-08 09:45")
    assert clocks["initial_investigation"].due_at == at("2026-06-08 11:00")
    assert clocks["final_reply"].due_at == at("2026-06-15 17:30")
    assert clocks["final_reply"].warn_at == at("2026-06-12 17:30")


def test_hypermarket_three_days_across_the_national_day_holiday_are_calendar_days(db: Any) -> None:
    market = install_org("hypermarket")
    complaint = register(market["agent"], when=at("2026-09-30 20:00"))
    # "限三日内处理": 3 calendar days, holidays included, ending at 24:00 of 2026-10-03
    assert clocks_of(complaint)["reply_three_days"].due_at == at("2026-10-04 00:00")


def test_a_deadline_running_into_2027_is_provisional(db: Any) -> None:
    """chinesecalendar has no 2027 data. Registered Wednesday 2026-12-30 10:00 with 3 working days:
    Thursday 31 December (day 1); 1 January 2027 is a statutory holiday under the provisional rule;
    Monday 4 (day 2), Tuesday 5 (day 3) → due at the end of 2027-01-05's working hours, 18:00,
    marked provisional."""
    pc = install_org("pc_maker")
    complaint = register(pc["agent"], when=at("2026-12-30 10:00"))
    solution = clocks_of(complaint)["technical_solution"]
    assert solution.due_at == at("2027-01-05 18:00")
    assert solution.provisional is True
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.reply_due_at == solution.due_at and fresh.reply_due_provisional is True


def test_registration_never_fails_for_a_year_nobody_knows(db: Any) -> None:
    pc = install_org("pc_maker")
    complaint = register(pc["agent"], when=at("2031-12-29 10:00"))
    solution = clocks_of(complaint)["technical_solution"]
    assert solution.provisional is True and solution.due_at > at("2031-12-29 10:00")


def test_a_broken_calendar_file_never_stops_a_registration(db: Any, settings: Any, tmp_path: Any) -> None:
    from complaintdesk.core.calendars import reset_caches

    (tmp_path / "cn-2027.yaml").write_text("country: CN\nyear: 2027\nholidays:\n  - {date: 2027-02-30, name: x}\n")
    settings.COMPLAINTDESK_CALENDAR_DIR = tmp_path
    reset_caches()
    try:
        pc = install_org("pc_maker")
        complaint = register(pc["agent"], when=at("2026-12-29 10:00"))
        solution = clocks_of(complaint)["technical_solution"]
        assert solution.provisional is True  # the broken 2027 file is ignored, 2027 stays provisional
    finally:
        reset_caches()


def test_administrators_are_told_to_load_the_missing_years_calendar(db: Any) -> None:
    from workkit import notices

    pc = install_org("pc_maker")
    register(pc["agent"], when=at("2026-12-30 10:00"))
    register(pc["agent"], when=at("2026-12-30 11:00"), customer={"last_name": "Li", "phone": "13912345672",
                                                                   "language": "zh-hans"})
    told = notices(pc["admin"], "calendar_provisional_2027")
    assert len(told) == 1  # once per year, not once per complaint
    assert "2027" in told[0].subject and "2027" in told[0].body
    assert notices(pc["specialist"], "calendar_provisional_2027") == []


CN_2027 = """\
country: CN
year: 2027
holidays:
  - {from: 2027-01-01, to: 2027-01-04, name: 元旦}
  - {from: 2027-02-05, to: 2027-02-11, name: 春节}
workdays:
  - {date: 2027-02-20, name: 春节调休}
"""


def test_a_2027_calendar_file_makes_the_deadline_official(db: Any, calendar_dir: Any) -> None:
    """An administrator drops cn-2027.yaml into the calendar directory (no code change). This
    file (illustrative, not the State Council's) also gives 4 January off: 3 working days from
    Wednesday 2026-12-30 10:00 are then Thursday 31 December, Tuesday 5 and Wednesday 6 January."""
    pc = install_org("pc_maker")
    calendar_dir("cn-2027.yaml", CN_2027)
    complaint = register(pc["agent"], when=at("2026-12-30 10:00"))
    solution = clocks_of(complaint)["technical_solution"]
    assert solution.due_at == at("2027-01-06 18:00")
    assert solution.provisional is False
    assert Complaint.objects.get(pk=complaint.pk).reply_due_provisional is False


def test_provisional_deadlines_are_recomputed_once_the_calendar_is_loaded(db: Any, calendar_dir: Any) -> None:
    from complaintdesk.clocks.recompute import clocks_recompute_provisional

    pc = install_org("pc_maker")
    complaint = register(pc["agent"], when=at("2026-12-30 10:00"))
    assert clocks_of(complaint)["technical_solution"].provisional is True
    calendar_dir("cn-2027.yaml", CN_2027)
    assert clocks_recompute_provisional() == 1
    solution = clocks_of(complaint)["technical_solution"]
    assert solution.due_at == at("2027-01-06 18:00") and solution.provisional is False
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.reply_due_at == at("2027-01-06 18:00") and fresh.reply_due_provisional is False
    assert fresh.timeline.filter(kind="clock_recomputed").count() == 1
    assert clocks_recompute_provisional() == 0
