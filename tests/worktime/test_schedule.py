"""Hand-computed examples for WorkSchedule.

The expected values below were worked out by hand from the official 2026
schedule (State Council notice):

* New Year: 2026-01-01 (Thu) .. 01-03 (Sat) off, Sunday 01-04 worked.
* Spring Festival: 2026-02-15 (Sun) .. 02-23 (Mon) off; Saturday 02-14 and
  Saturday 02-28 are working days.
* Mid-Autumn: 2026-09-25 (Fri) .. 09-27 (Sun) off.
* National Day: 2026-10-01 (Thu) .. 10-07 (Wed) off; Sunday 09-20 and
  Saturday 10-10 are working days.

Default periods: 09:00-12:00 and 13:00-18:00 (8 working hours a day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.worktime import (
    ChinaCalendar,
    DayInfo,
    OpenPauseError,
    Unit,
    WorkingPeriod,
    WorkSchedule,
)

SH = ZoneInfo("Asia/Shanghai")
LDN = ZoneInfo("Europe/London")
NY = ZoneInfo("America/New_York")
U = Unit


def naive(y: int, mo: int, d: int, h: int = 0) -> datetime:
    """A naive datetime (without tripping the DTZ lint on purpose-built bad input)."""
    return datetime(y, mo, d, h, tzinfo=UTC).replace(tzinfo=None)


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


# ---------------------------------------------------------------------------
# Spring Festival 2026
# ---------------------------------------------------------------------------

SPRING_FESTIVAL = [
    # Fri 02-13 10:00 + 3 working days: the working days after Friday are
    # Sat 02-14 (1, adjusted), then 02-15..02-23 are off, Tue 02-24 (2),
    # Wed 02-25 (3).  So the answer is Wednesday, not Tuesday.
    (sh(2026, 2, 13, 10), 3, U.WORKING_DAYS, sh(2026, 2, 25, 10)),
    # Fri 02-13 10:00 + 1 working day = Sat 02-14 10:00 (adjusted Saturday).
    (sh(2026, 2, 13, 10), 1, U.WORKING_DAYS, sh(2026, 2, 14, 10)),
    # Sat 02-14 17:00 + 1 working day: next working day is Tue 02-24.
    (sh(2026, 2, 14, 17), 1, U.WORKING_DAYS, sh(2026, 2, 24, 17)),
    # Registered during the holiday (Wed 02-18 11:00): normalised to the first
    # working moment, Tue 02-24 09:00; +0 returns it, +1 is Wed 02-25 09:00.
    (sh(2026, 2, 18, 11), 0, U.WORKING_DAYS, sh(2026, 2, 24, 9)),
    (sh(2026, 2, 18, 11), 1, U.WORKING_DAYS, sh(2026, 2, 25, 9)),
    # Thu 02-26 10:00 + 2: Fri 02-27 (1), Sat 02-28 (2, adjusted).
    (sh(2026, 2, 26, 10), 2, U.WORKING_DAYS, sh(2026, 2, 28, 10)),
    # Fri 02-13 19:00 (after hours) + 1: normalised to Sat 02-14 09:00, then
    # one working day later is Tue 02-24 09:00.
    (sh(2026, 2, 13, 19), 1, U.WORKING_DAYS, sh(2026, 2, 24, 9)),
    # Lunch break start (12:00) normalises to 13:00 of the same day.
    (sh(2026, 2, 13, 12), 1, U.WORKING_DAYS, sh(2026, 2, 14, 13)),
    # Working hours: Fri 02-13 16:00 + 8h: Fri 16-18 (2h), Sat 02-14 09-12
    # (3h, total 5h), 13:00 + 3h = Sat 16:00.
    (sh(2026, 2, 13, 16), 8, U.WORKING_HOURS, sh(2026, 2, 14, 16)),
    # Sat 02-14 17:00 + 2h: 17-18 (1h), next working day Tue 02-24 09:00 + 1h.
    (sh(2026, 2, 14, 17), 2, U.WORKING_HOURS, sh(2026, 2, 24, 10)),
    # 24 (wall-clock) hours ignore the holiday.
    (sh(2026, 2, 13, 10), 24, U.HOURS, sh(2026, 2, 14, 10)),
    # 7 calendar days keep the local time.
    (sh(2026, 2, 13, 10), 7, U.CALENDAR_DAYS, sh(2026, 2, 20, 10)),
]


@pytest.mark.parametrize(("start", "amount", "unit", "expected"), SPRING_FESTIVAL)
def test_spring_festival_2026(
    shanghai: WorkSchedule, start: datetime, amount: int, unit: Unit, expected: datetime
) -> None:
    deadline = shanghai.add(start, amount, unit)
    assert deadline.due_at == expected
    assert deadline.due_at.tzinfo == SH
    assert deadline.due_at.utcoffset() == timedelta(hours=8)
    assert not deadline.provisional
    assert deadline.provisional_years == frozenset()


# ---------------------------------------------------------------------------
# Mid-Autumn + National Day 2026
# ---------------------------------------------------------------------------

NATIONAL_DAY = [
    # Fri 09-18 10:00 + 1: Sat 09-19 is off, Sun 09-20 is an adjusted working day.
    (sh(2026, 9, 18, 10), 1, U.WORKING_DAYS, sh(2026, 9, 20, 10)),
    # Thu 09-24 10:00 + 1: 09-25..09-27 Mid-Autumn off -> Mon 09-28.
    (sh(2026, 9, 24, 10), 1, U.WORKING_DAYS, sh(2026, 9, 28, 10)),
    # Wed 09-30 15:00 + 1: 10-01..10-07 off -> Thu 10-08.
    (sh(2026, 9, 30, 15), 1, U.WORKING_DAYS, sh(2026, 10, 8, 15)),
    # Wed 09-30 15:00 + 3: Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 (3, adjusted).
    (sh(2026, 9, 30, 15), 3, U.WORKING_DAYS, sh(2026, 10, 10, 15)),
    # Wed 09-30 15:00 + 4: ... Sun 10-11 is off -> Mon 10-12.
    (sh(2026, 9, 30, 15), 4, U.WORKING_DAYS, sh(2026, 10, 12, 15)),
    # Wed 09-30 16:00 + 8 working hours: 16-18 (2h), Thu 10-08 09-12 (3h),
    # 13:00 + 3h = 16:00.
    (sh(2026, 9, 30, 16), 8, U.WORKING_HOURS, sh(2026, 10, 8, 16)),
    # Every working day (amount 1) registered on the holiday: normalised to
    # Thu 10-08 09:00, +1 = Fri 10-09 09:00.
    (sh(2026, 10, 3, 10), 1, U.WORKING_DAYS, sh(2026, 10, 9, 9)),
]


@pytest.mark.parametrize(("start", "amount", "unit", "expected"), NATIONAL_DAY)
def test_national_day_2026(
    shanghai: WorkSchedule, start: datetime, amount: int, unit: Unit, expected: datetime
) -> None:
    deadline = shanghai.add(start, amount, unit)
    assert deadline.due_at == expected
    assert not deadline.provisional


# ---------------------------------------------------------------------------
# Working hours / minutes on ordinary days
# ---------------------------------------------------------------------------

ORDINARY = [
    # Mon 2026-03-02 11:00 + 2 working hours: 11-12 (1h), lunch, 13-14.
    (sh(2026, 3, 2, 11), 2, U.WORKING_HOURS, sh(2026, 3, 2, 14)),
    # Ending exactly at a period end stays there (earliest moment).
    (sh(2026, 3, 2, 11), 1, U.WORKING_HOURS, sh(2026, 3, 2, 12)),
    (sh(2026, 3, 2, 9), 8, U.WORKING_HOURS, sh(2026, 3, 2, 18)),
    # Evening: Mon 17:30 + 1h = 17:30-18:00 + Tue 09:00-09:30.
    (sh(2026, 3, 2, 17, 30), 1, U.WORKING_HOURS, sh(2026, 3, 3, 9, 30)),
    # Weekend: Fri 03-06 17:00 + 2h = Fri 17-18 + Mon 03-09 09-10.
    (sh(2026, 3, 6, 17), 2, U.WORKING_HOURS, sh(2026, 3, 9, 10)),
    # Starting at night / at lunch: the clock starts with the next period.
    (sh(2026, 3, 2, 22), 1, U.WORKING_HOURS, sh(2026, 3, 3, 10)),
    (sh(2026, 3, 2, 12, 30), 1, U.WORKING_HOURS, sh(2026, 3, 2, 14)),
    # 0 working hours returns the start unchanged (not normalised).
    (sh(2026, 3, 2, 22), 0, U.WORKING_HOURS, sh(2026, 3, 2, 22)),
    # Minutes: 11:50 + 20 working minutes = 11:50-12:00 + 13:00-13:10.
    (sh(2026, 3, 2, 11, 50), 20, U.WORKING_MINUTES, sh(2026, 3, 2, 13, 10)),
    (sh(2026, 3, 2, 11, 50), 20, U.MINUTES, sh(2026, 3, 2, 12, 10)),
    (sh(2026, 3, 6, 17, 59), 2, U.WORKING_MINUTES, sh(2026, 3, 9, 9, 1)),
    # Working days keep the time of day, including the afternoon.
    (sh(2026, 3, 6, 17), 1, U.WORKING_DAYS, sh(2026, 3, 9, 17)),
    (sh(2026, 3, 6, 17, 59), 5, U.WORKING_DAYS, sh(2026, 3, 13, 17, 59)),
    # Sunday start: normalised to Mon 09:00.
    (sh(2026, 3, 8, 15), 1, U.WORKING_DAYS, sh(2026, 3, 10, 9)),
    # Calendar days / hours are plain arithmetic, even over weekends.
    (sh(2026, 3, 6, 20), 1, U.CALENDAR_DAYS, sh(2026, 3, 7, 20)),
    (sh(2026, 3, 6, 20), 36, U.HOURS, sh(2026, 3, 8, 8)),
]


@pytest.mark.parametrize(("start", "amount", "unit", "expected"), ORDINARY)
def test_ordinary_days(
    shanghai: WorkSchedule, start: datetime, amount: int, unit: Unit, expected: datetime
) -> None:
    assert shanghai.add(start, amount, unit).due_at == expected


def test_input_in_another_zone_is_converted(shanghai: WorkSchedule) -> None:
    # 02:00 UTC is 10:00 in Shanghai.
    start = datetime(2026, 2, 13, 2, 0, tzinfo=ZoneInfo("UTC"))
    deadline = shanghai.add(start, 3, U.WORKING_DAYS)
    assert deadline.due_at == sh(2026, 2, 25, 10)
    assert deadline.due_at.tzinfo == SH


def test_unit_as_string(shanghai: WorkSchedule) -> None:
    assert shanghai.add(sh(2026, 3, 2, 11), 2, "working_hours").due_at == sh(2026, 3, 2, 14)


# ---------------------------------------------------------------------------
# Into 2027: provisional unless a calendar file exists
# ---------------------------------------------------------------------------


def test_deadline_into_2027_is_provisional(shanghai: WorkSchedule) -> None:
    # Tue 2026-12-29 10:00 + 5: Wed 12-30 (1), Thu 12-31 (2); 2027-01-01 is a
    # statutory holiday in the provisional rule, 01-02/03 weekend; Mon 01-04
    # (3), Tue 01-05 (4), Wed 01-06 (5).
    deadline = shanghai.add(sh(2026, 12, 29, 10), 5, U.WORKING_DAYS)
    assert deadline.due_at == sh(2027, 1, 6, 10)
    assert deadline.provisional
    assert deadline.provisional_years == frozenset({2027})


def test_deadline_before_2027_is_not_provisional(shanghai: WorkSchedule) -> None:
    deadline = shanghai.add(sh(2026, 12, 29, 10), 2, U.WORKING_DAYS)
    assert deadline.due_at == sh(2026, 12, 31, 10)
    assert not deadline.provisional


def test_calendar_units_never_provisional(shanghai: WorkSchedule) -> None:
    for unit in (U.MINUTES, U.HOURS, U.CALENDAR_DAYS):
        deadline = shanghai.add(sh(2026, 12, 29, 10), 30, unit)
        assert not deadline.provisional
        assert deadline.provisional_years == frozenset()


def test_working_hours_into_2027_are_provisional(shanghai: WorkSchedule) -> None:
    # Thu 2026-12-31 17:00 + 2h: 17-18 (1h); 2027-01-01 off; Mon 01-04 09-10.
    deadline = shanghai.add(sh(2026, 12, 31, 17), 2, U.WORKING_HOURS)
    assert deadline.due_at == sh(2027, 1, 4, 10)
    assert deadline.provisional_years == frozenset({2027})


def test_calendar_file_makes_2027_official(shanghai_with_files: WorkSchedule) -> None:
    # Sample file: 2027-01-01..01-03 off.  Same dates as the provisional rule.
    deadline = shanghai_with_files.add(sh(2026, 12, 29, 10), 5, U.WORKING_DAYS)
    assert deadline.due_at == sh(2027, 1, 6, 10)
    assert not deadline.provisional
    assert deadline.provisional_years == frozenset()


def test_calendar_file_honours_adjusted_workdays(
    shanghai: WorkSchedule, shanghai_with_files: WorkSchedule
) -> None:
    # Thu 2027-02-18 10:00 + 2.  Sample file: Fri 02-19 (1), Sat 02-20 is an
    # adjusted working day (2).  Provisional rule: Sat is off -> Mon 02-22 (2).
    official = shanghai_with_files.add(sh(2027, 2, 18, 10), 2, U.WORKING_DAYS)
    assert official.due_at == sh(2027, 2, 20, 10)
    assert not official.provisional
    provisional = shanghai.add(sh(2027, 2, 18, 10), 2, U.WORKING_DAYS)
    assert provisional.due_at == sh(2027, 2, 22, 10)
    assert provisional.provisional_years == frozenset({2027})


def test_calendar_file_holidays_differ_from_provisional_rule(
    shanghai: WorkSchedule, shanghai_with_files: WorkSchedule
) -> None:
    # Thu 2027-02-04 10:00 + 2.
    # Sample file: 02-05..02-11 off -> Fri 02-12 (1), Mon 02-15 (2).
    # Provisional: only 02-05 (Fri), 02-06..08 are statutory -> Tue 02-09 (1),
    # Wed 02-10 (2).
    assert shanghai_with_files.add(sh(2027, 2, 4, 10), 2, U.WORKING_DAYS).due_at == sh(
        2027, 2, 15, 10
    )
    assert shanghai.add(sh(2027, 2, 4, 10), 2, U.WORKING_DAYS).due_at == sh(2027, 2, 10, 10)


def test_deadline_spanning_several_provisional_years(shanghai: WorkSchedule) -> None:
    deadline = shanghai.add(sh(2026, 6, 1, 10), 500, U.WORKING_DAYS)
    assert deadline.due_at.year == 2028
    assert deadline.provisional_years == frozenset({2027, 2028})


# ---------------------------------------------------------------------------
# Other countries, DST
# ---------------------------------------------------------------------------


def test_calendar_days_across_dst_london(london: WorkSchedule) -> None:
    # BST starts Sun 2026-03-29 01:00 UTC.  One calendar day keeps 10:00 local
    # and is therefore only 23 real hours long; 24 hours end at 11:00 BST.
    start = datetime(2026, 3, 28, 10, 0, tzinfo=LDN)
    day = london.add(start, 1, U.CALENDAR_DAYS).due_at
    assert day == datetime(2026, 3, 29, 10, 0, tzinfo=LDN)
    assert day.utcoffset() == timedelta(hours=1)
    # (Subtract in UTC: Python subtracts datetimes sharing a tzinfo by wall time.)
    assert day.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
    hours = london.add(start, 24, U.HOURS).due_at
    assert hours == datetime(2026, 3, 29, 11, 0, tzinfo=LDN)
    assert (hours.hour, hours.utcoffset()) == (11, timedelta(hours=1))
    # Autumn: BST ends Sun 2026-10-25; that calendar day lasts 25 hours.
    autumn = datetime(2026, 10, 24, 10, 0, tzinfo=LDN)
    due = london.add(autumn, 1, U.CALENDAR_DAYS).due_at
    assert (due.date(), due.hour, due.utcoffset()) == (date(2026, 10, 25), 10, timedelta(0))
    assert due.astimezone(UTC) - autumn.astimezone(UTC) == timedelta(hours=25)
    # A wall time that does not exist on the target day moves forward.
    gap = london.add(datetime(2026, 3, 28, 1, 30, tzinfo=LDN), 1, U.CALENDAR_DAYS).due_at
    assert (gap.hour, gap.minute, gap.utcoffset()) == (2, 30, timedelta(hours=1))


def test_working_time_across_dst_london(london: WorkSchedule) -> None:
    # Fri 2026-03-27 17:00 GMT + 2 working hours: 17-18 GMT, Mon 03-30 09-10 BST.
    start = datetime(2026, 3, 27, 17, 0, tzinfo=LDN)
    due = london.add(start, 2, U.WORKING_HOURS).due_at
    assert (due.date(), due.hour, due.utcoffset()) == (date(2026, 3, 30), 10, timedelta(hours=1))
    assert london.elapsed(start, due, U.WORKING_HOURS) == timedelta(hours=2)
    # Working days keep the local wall time across the change.
    wd = london.add(start, 1, U.WORKING_DAYS).due_at
    assert (wd.date(), wd.hour) == (date(2026, 3, 30), 17)


def test_england_bank_holidays(london: WorkSchedule) -> None:
    # Thu 2026-04-02 + 1: Good Friday 04-03, weekend, Easter Monday 04-06 -> Tue 04-07.
    due = london.add(datetime(2026, 4, 2, 10, 0, tzinfo=LDN), 1, U.WORKING_DAYS).due_at
    assert (due.date(), due.hour) == (date(2026, 4, 7), 10)
    # Thu 12-24 + 1: Christmas Fri 12-25, weekend, Boxing Day observed Mon 12-28.
    due = london.add(datetime(2026, 12, 24, 10, 0, tzinfo=LDN), 1, U.WORKING_DAYS).due_at
    assert (due.date(), due.hour) == (date(2026, 12, 29), 10)


def test_us_calendar(new_york: WorkSchedule) -> None:
    # Thu 2026-07-02 + 1: Fri 07-03 is the observed Independence Day -> Mon 07-06.
    due = new_york.add(datetime(2026, 7, 2, 10, 0, tzinfo=NY), 1, U.WORKING_DAYS)
    assert due.due_at == datetime(2026, 7, 6, 10, 0, tzinfo=NY)
    assert not due.provisional
    # Wed 11-25 16:00 + 4 working hours: 16-18 (2h), Thanksgiving Thu 11-26
    # off, Fri 11-27 09-11.
    due = new_york.add(datetime(2026, 11, 25, 16, 0, tzinfo=NY), 4, U.WORKING_HOURS)
    assert due.due_at == datetime(2026, 11, 27, 11, 0, tzinfo=NY)
    assert new_york.working_days_between(date(2026, 11, 20), date(2026, 11, 30)) == 5


def test_custom_periods_and_calendar() -> None:
    class EveryDay:
        def day_info(self, day: date) -> DayInfo:
            return DayInfo(day, True, False, None)

        def is_working_day(self, day: date) -> bool:
            return True

    schedule = WorkSchedule(
        EveryDay(), SH, [WorkingPeriod(time(8, 30), time(12)), WorkingPeriod(time(12), time(17))]
    )
    # Touching periods behave like one 08:30-17:00 span; Sunday is working.
    assert schedule.add(sh(2026, 3, 8, 11), 2, U.WORKING_HOURS).due_at == sh(2026, 3, 8, 13)
    assert schedule.add(sh(2026, 3, 8, 16), 1, U.WORKING_HOURS).due_at == sh(2026, 3, 8, 17)
    due = schedule.add(sh(2026, 3, 8, 16, 30), 1, U.WORKING_HOURS).due_at
    assert due == sh(2026, 3, 9, 9)
    assert schedule.working_days_between(date(2026, 3, 1), date(2026, 3, 8)) == 7


# ---------------------------------------------------------------------------
# Pauses
# ---------------------------------------------------------------------------


def test_pause_shifts_working_hours(shanghai: WorkSchedule) -> None:
    start = sh(2026, 3, 2, 9)  # Monday; + 8h = Mon 18:00 without pauses
    assert shanghai.add(start, 8, U.WORKING_HOURS).due_at == sh(2026, 3, 2, 18)
    # One working hour paused -> Tue 10:00.
    one = [(sh(2026, 3, 2, 10), sh(2026, 3, 2, 11))]
    assert shanghai.add(start, 8, U.WORKING_HOURS, pauses=one).due_at == sh(2026, 3, 3, 10)
    # Overlapping pauses 10:00-11:00 and 10:30-11:30 count 1.5h, not 2h.
    overlapping = [*one, (sh(2026, 3, 2, 10, 30), sh(2026, 3, 2, 11, 30))]
    due = shanghai.add(start, 8, U.WORKING_HOURS, pauses=overlapping).due_at
    assert due == sh(2026, 3, 3, 10, 30)
    # A pause during lunch / at night / after the deadline changes nothing.
    for pause in [
        (sh(2026, 3, 2, 12), sh(2026, 3, 2, 13)),
        (sh(2026, 3, 2, 18), sh(2026, 3, 3, 9)),
        (sh(2026, 3, 3, 9), sh(2026, 3, 4, 9)),
    ]:
        assert shanghai.add(start, 8, U.WORKING_HOURS, pauses=[pause]).due_at == sh(2026, 3, 2, 18)


def test_pause_spanning_the_start(shanghai: WorkSchedule) -> None:
    # Paused from Sunday until Mon 10:00: the clock only starts at 10:00.
    pause = (sh(2026, 3, 1, 12), sh(2026, 3, 2, 10))
    due = shanghai.add(sh(2026, 3, 2, 9), 2, U.WORKING_HOURS, pauses=[pause]).due_at
    assert due == sh(2026, 3, 2, 12)


def test_pause_shifts_working_days_by_working_time(shanghai: WorkSchedule) -> None:
    # Mon 03-02 10:00 + 3 working days = Thu 03-05 10:00.  Pause Tue 14:00 ..
    # Wed 10:00 covers 4h (Tue 14-18) + 1h (Wed 09-10) = 5 working hours:
    # Thu 10-12 (2h) + 13-16 (3h) -> Thu 16:00.
    start = sh(2026, 3, 2, 10)
    pause = (sh(2026, 3, 3, 14), sh(2026, 3, 4, 10))
    assert shanghai.add(start, 3, U.WORKING_DAYS).due_at == sh(2026, 3, 5, 10)
    assert shanghai.add(start, 3, U.WORKING_DAYS, pauses=[pause]).due_at == sh(2026, 3, 5, 16)


def test_pause_shifts_calendar_units_by_wall_time(shanghai: WorkSchedule) -> None:
    start = sh(2026, 3, 2, 10)
    # A night-time weekend pause of 24h moves a calendar-day deadline by 24h.
    pause = (sh(2026, 3, 7, 0), sh(2026, 3, 8, 0))
    assert shanghai.add(start, 7, U.CALENDAR_DAYS, pauses=[pause]).due_at == sh(2026, 3, 10, 10)
    # ... but leaves a working-day deadline alone.
    assert shanghai.add(start, 7, U.WORKING_DAYS, pauses=[pause]).due_at == sh(2026, 3, 11, 10)
    short = (sh(2026, 3, 2, 20), sh(2026, 3, 2, 22))
    assert shanghai.add(start, 24, U.HOURS, pauses=[short]).due_at == sh(2026, 3, 3, 12)


def test_pause_extended_deadline_skips_later_pauses(shanghai: WorkSchedule) -> None:
    # Mon 09:00 + 8h, paused 10-11 (base would move to Tue 10:00) and again
    # Tue 09:00-09:30 (now inside the extended window) -> Tue 10:30.
    pauses = [(sh(2026, 3, 2, 10), sh(2026, 3, 2, 11)), (sh(2026, 3, 3, 9), sh(2026, 3, 3, 9, 30))]
    due = shanghai.add(sh(2026, 3, 2, 9), 8, U.WORKING_HOURS, pauses=pauses).due_at
    assert due == sh(2026, 3, 3, 10, 30)


def test_open_pause(shanghai: WorkSchedule) -> None:
    start = sh(2026, 3, 2, 9)
    with pytest.raises(OpenPauseError):
        shanghai.add(start, 8, U.WORKING_HOURS, pauses=[(sh(2026, 3, 2, 10), None)])
    # An open pause that starts after the deadline is irrelevant.
    later = [(sh(2026, 3, 2, 18), None)]
    assert shanghai.add(start, 8, U.WORKING_HOURS, pauses=later).due_at == sh(2026, 3, 2, 18)
    # elapsed() counts until the open pause begins.
    elapsed = shanghai.elapsed(start, sh(2026, 3, 4, 9), U.WORKING_HOURS, pauses=later)
    assert elapsed == timedelta(hours=8)


def test_invalid_pauses(shanghai: WorkSchedule) -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        shanghai.add(sh(2026, 3, 2), 1, U.HOURS, pauses=[(sh(2026, 3, 2, 2), sh(2026, 3, 2, 1))])
    with pytest.raises(ValueError, match="timezone-aware"):
        shanghai.add(sh(2026, 3, 2), 1, U.HOURS, pauses=[(naive(2026, 3, 2), None)])


# ---------------------------------------------------------------------------
# elapsed / remaining / queries
# ---------------------------------------------------------------------------


def test_elapsed(shanghai: WorkSchedule) -> None:
    # Fri 02-13 10:00 .. Tue 02-24 10:00: Fri 10-18 (7h) + Sat 02-14 (8h) + Tue 09-10 (1h).
    a, b = sh(2026, 2, 13, 10), sh(2026, 2, 24, 10)
    assert shanghai.elapsed(a, b, U.WORKING_HOURS) == timedelta(hours=16)
    assert shanghai.elapsed(a, b, U.WORKING_DAYS) == timedelta(hours=16)
    assert shanghai.elapsed(b, a, U.WORKING_MINUTES) == -timedelta(hours=16)
    assert shanghai.elapsed(a, b, U.CALENDAR_DAYS) == timedelta(days=11)
    assert shanghai.elapsed(a, b, U.HOURS) == timedelta(days=11)
    pause = (sh(2026, 2, 14, 11), sh(2026, 2, 14, 14))  # 1h + 1h of working time
    assert shanghai.elapsed(a, b, U.WORKING_HOURS, pauses=[pause]) == timedelta(hours=14)
    assert shanghai.elapsed(a, b, U.HOURS, pauses=[pause]) == timedelta(days=11, hours=-3)


def test_remaining(shanghai: WorkSchedule) -> None:
    due = sh(2026, 3, 3, 10)  # Tuesday 10:00
    assert shanghai.remaining(due, due) == timedelta(0)
    assert shanghai.remaining(sh(2026, 3, 2, 17), due) == timedelta(hours=2)
    assert shanghai.remaining(sh(2026, 3, 2, 20), due) == timedelta(hours=1)
    assert shanghai.remaining(sh(2026, 3, 3, 14), due) == -timedelta(hours=3)
    # Over the weekend no working time passes.
    friday = sh(2026, 3, 6, 18)
    assert shanghai.remaining(sh(2026, 3, 8, 12), friday) == timedelta(0)


def test_is_working_time_and_next_working_moment(shanghai: WorkSchedule) -> None:
    assert shanghai.is_working_time(sh(2026, 2, 14, 10))  # adjusted Saturday
    assert shanghai.is_working_time(sh(2026, 2, 14, 9))
    assert not shanghai.is_working_time(sh(2026, 2, 14, 12))  # periods are half-open
    assert not shanghai.is_working_time(sh(2026, 2, 14, 18))
    assert not shanghai.is_working_time(sh(2026, 2, 16, 10))  # holiday
    assert not shanghai.is_working_time(sh(2026, 3, 7, 10))  # Saturday
    assert shanghai.next_working_moment(sh(2026, 2, 14, 10)) == sh(2026, 2, 14, 10)
    assert shanghai.next_working_moment(sh(2026, 2, 14, 12)) == sh(2026, 2, 14, 13)
    assert shanghai.next_working_moment(sh(2026, 2, 14, 18)) == sh(2026, 2, 24, 9)
    assert shanghai.next_working_moment(sh(2026, 9, 30, 23)) == sh(2026, 10, 8, 9)
    utc = datetime(2026, 2, 14, 4, 30, tzinfo=ZoneInfo("UTC"))  # 12:30 Shanghai
    moment = shanghai.next_working_moment(utc)
    assert moment == sh(2026, 2, 14, 13)
    assert moment.tzinfo == SH


def test_working_days_between(shanghai: WorkSchedule) -> None:
    # (02-13, 02-28]: 14, 24, 25, 26, 27, 28 -> 6.
    assert shanghai.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6
    # (09-30, 10-10]: 10-08, 10-09, 10-10 -> 3.
    assert shanghai.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert shanghai.working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == -3
    assert shanghai.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    # (2026-12-29, 2027-01-06]: 12-30, 12-31, 01-04, 01-05, 01-06 (provisional).
    assert shanghai.working_days_between(date(2026, 12, 29), date(2027, 1, 6)) == 5


# ---------------------------------------------------------------------------
# Validation and performance
# ---------------------------------------------------------------------------


def test_validation(shanghai: WorkSchedule, china: ChinaCalendar) -> None:
    bare = naive(2026, 3, 2, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        shanghai.add(bare, 1, U.WORKING_DAYS)
    with pytest.raises(ValueError, match="timezone-aware"):
        shanghai.elapsed(sh(2026, 3, 2), bare, U.HOURS)
    with pytest.raises(ValueError, match="timezone-aware"):
        shanghai.remaining(bare, sh(2026, 3, 2))
    with pytest.raises(ValueError, match="timezone-aware"):
        shanghai.is_working_time(bare)
    with pytest.raises(ValueError, match="timezone-aware"):
        shanghai.next_working_moment(bare)
    with pytest.raises(ValueError, match="negative"):
        shanghai.add(sh(2026, 3, 2), -1, U.WORKING_DAYS)
    with pytest.raises(ValueError):
        shanghai.add(sh(2026, 3, 2), 1, "fortnights")
    with pytest.raises(ValueError, match="before end"):
        WorkingPeriod(time(12), time(9))
    with pytest.raises(ValueError, match="before end"):
        WorkingPeriod(time(9), time(9))
    morning, afternoon = WorkingPeriod(time(9), time(13)), WorkingPeriod(time(12), time(18))
    with pytest.raises(ValueError, match="must not overlap"):
        WorkSchedule(china, SH, [morning, afternoon])
    with pytest.raises(ValueError, match="must not overlap"):
        WorkSchedule(china, SH, [afternoon, morning])
    with pytest.raises(ValueError, match="at least one"):
        WorkSchedule(china, SH, [])
    with pytest.raises(ValueError, match="unknown time zone"):
        WorkSchedule(china, "Mars/Olympus_Mons")


def test_no_working_days_at_all() -> None:
    class Never:
        def day_info(self, day: date) -> DayInfo:
            return DayInfo(day, False, False, None)

        def is_working_day(self, day: date) -> bool:
            return False

    schedule = WorkSchedule(Never(), SH)
    with pytest.raises(ValueError, match="no working days"):
        schedule.add(sh(2026, 3, 2), 1, U.WORKING_DAYS)


class CountingCalendar:
    def __init__(self, inner: ChinaCalendar) -> None:
        self.inner = inner
        self.calls = 0

    def day_info(self, day: date) -> DayInfo:
        self.calls += 1
        return self.inner.day_info(day)

    def is_working_day(self, day: date) -> bool:
        return self.day_info(day).working


def test_day_stepping_and_caching(china: ChinaCalendar) -> None:
    counting = CountingCalendar(china)
    schedule = WorkSchedule(counting, SH)
    deadline = schedule.add(sh(2026, 3, 2, 10), 250, U.WORKING_DAYS)
    assert deadline.due_at.year == 2027
    # Each day of the two touched years is looked up exactly once ...
    assert counting.calls == 365 + 365
    schedule.add(sh(2026, 3, 2, 10), 250, U.WORKING_DAYS)
    schedule.add(sh(2026, 3, 2, 10), 2000, U.WORKING_HOURS)
    # ... and never again afterwards.
    assert counting.calls == 365 + 365
