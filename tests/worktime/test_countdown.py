"""Time left and time past a deadline, counted in the clock's unit (worktime.countdown), with fixed
clocks across weekends and the official adjusted working days (调休) of the 2026 Spring Festival."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.worktime import ChinaCalendar, WorkingPeriod, WorkSchedule
from complaintdesk.worktime.countdown import countdown, working_day_seconds

SH = ZoneInfo("Asia/Shanghai")
HOUR = 3600


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def test_a_calendar_clock_fourteen_days_late_reads_fourteen_days(shanghai: WorkSchedule) -> None:
    left = countdown(shanghai, at("2026-01-23 18:00"), at("2026-01-09 18:00"), working=False)
    assert left.overdue and left.seconds == -14 * 86400
    assert left.parts() == (14, 0, 0)


def test_a_working_clock_fourteen_days_late_reads_ten_working_days(shanghai: WorkSchedule) -> None:
    # two ordinary weeks: Mon 12 – Fri 16 and Mon 19 – Fri 23 January; not "41 days" of 8-hour slices
    left = countdown(shanghai, at("2026-01-23 18:00"), at("2026-01-09 18:00"), working=True)
    assert left.overdue and left.seconds == -10 * 8 * HOUR
    assert left.parts() == (10, 0, 0)


def test_overdue_across_the_spring_festival_counts_the_adjusted_saturday_only(shanghai: WorkSchedule) -> None:
    # due Friday 13 February 18:00; Saturday 14 is an adjusted working day (8 h), 15–23 are off,
    # Tuesday 24 from 9:00 to 10:00 is one more hour
    left = countdown(shanghai, at("2026-02-24 10:00"), at("2026-02-13 18:00"), working=True)
    assert left.seconds == -9 * HOUR and left.parts() == (1, 1, 0)
    calendar = countdown(shanghai, at("2026-02-24 10:00"), at("2026-02-13 18:00"), working=False)
    assert calendar.parts() == (10, 16, 0)


def test_time_left_over_a_weekend_is_the_working_time_only(shanghai: WorkSchedule) -> None:
    left = countdown(shanghai, at("2026-01-09 17:00"), at("2026-01-12 10:00"), working=True)
    assert not left.overdue and left.seconds == 2 * HOUR and left.parts() == (0, 2, 0)
    assert countdown(shanghai, at("2026-01-09 17:00"), at("2026-01-12 10:00"), working=False).parts() == (2, 17, 0)


def test_time_left_before_a_deadline_after_the_adjusted_working_saturday(shanghai: WorkSchedule) -> None:
    # Friday 13 at 17:00 → Tuesday 24 at 11:00: 1 h on Friday, 8 h on Saturday 14 (调休), 2 h on Tuesday
    left = countdown(shanghai, at("2026-02-13 17:00"), at("2026-02-24 11:00"), working=True)
    assert left.seconds == 11 * HOUR and left.parts() == (1, 3, 0)


def test_a_working_day_is_the_policys_own_hours(china: ChinaCalendar) -> None:
    short = WorkSchedule(china, "Asia/Shanghai",
                         [WorkingPeriod(time(9, 0), time(12, 0)), WorkingPeriod(time(13, 30), time(18, 0))])
    assert working_day_seconds(short) == int(7.5 * HOUR)
    # Monday 9:00 → Wednesday 12:00 is 7.5 + 7.5 + 3 working hours: two working days and three hours
    left = countdown(short, at("2026-01-12 09:00"), at("2026-01-14 12:00"), working=True)
    assert left.seconds == 18 * HOUR and left.parts() == (2, 3, 0)


def test_just_past_a_deadline_outside_working_hours_is_overdue(shanghai: WorkSchedule) -> None:
    left = countdown(shanghai, at("2026-01-09 19:00"), at("2026-01-09 18:00"), working=True)
    assert left.overdue and left.seconds < 0


def test_naive_moments_are_refused(shanghai: WorkSchedule) -> None:
    with pytest.raises(ValueError, match="now"):
        countdown(shanghai, datetime(2026, 1, 9, 10, 0), at("2026-01-09 18:00"), working=True)
