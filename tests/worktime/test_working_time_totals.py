"""Working time over long spans comes from per-year running totals, not a walk day by day: it must
equal the walk exactly — across years, holidays and 调休, DST changes inside the working periods,
and with pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.worktime import ChinaCalendar, CountryCalendar, Unit, WorkingPeriod, WorkSchedule

SHANGHAI = WorkSchedule(ChinaCalendar(), "Asia/Shanghai")
LONDON = WorkSchedule(CountryCalendar("GB", subdiv="ENG"), "Europe/London")
# periods across the night, so that the DST changes (01:00 in London) fall inside working time
NIGHT = WorkSchedule(CountryCalendar("GB", subdiv="ENG"), "Europe/London",
                     [WorkingPeriod(time(0, 30), time(1, 30)), WorkingPeriod(time(2, 0), time(23, 0))])
SCHEDULES = (SHANGHAI, LONDON, NIGHT)


def walked(schedule: WorkSchedule, start: datetime, end: datetime) -> timedelta:
    """The working time in [start, end), day by day and period by period (the reference)."""
    a, b = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    day = a.astimezone(schedule.tz).date() - timedelta(days=1)
    while day <= b.astimezone(schedule.tz).date() + timedelta(days=1):
        if schedule.calendar.is_working_day(day):
            previous_end: datetime | None = None
            for period in schedule.periods:
                lo = datetime.combine(day, period.start).replace(tzinfo=schedule.tz, fold=0).astimezone(UTC)
                hi = datetime.combine(day, period.end).replace(tzinfo=schedule.tz, fold=0).astimezone(UTC)
                if previous_end is not None:
                    lo = max(lo, previous_end)
                if lo < hi:
                    previous_end = hi
                    total += max(timedelta(0), min(hi, b) - max(lo, a))
        day += timedelta(days=1)
    return total


instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))


@settings(deadline=None, max_examples=150)
@given(schedule=st.sampled_from(SCHEDULES), a=instants, b=instants)
def test_working_time_equals_the_walk_day_by_day(schedule: WorkSchedule, a: datetime, b: datetime) -> None:
    expected = walked(schedule, a, b) if a <= b else -walked(schedule, b, a)
    assert schedule.elapsed(a, b, Unit.WORKING_MINUTES) == expected


@settings(deadline=None, max_examples=60)
@given(schedule=st.sampled_from(SCHEDULES), a=instants, days=st.integers(2, 900),
       pause_start=st.integers(0, 400), pause_days=st.integers(0, 300))
def test_working_time_with_a_pause_equals_the_walk(schedule: WorkSchedule, a: datetime, days: int,
                                                    pause_start: int, pause_days: int) -> None:
    b = a + timedelta(days=days, hours=5)
    p0 = a + timedelta(days=pause_start, minutes=17)
    p1 = p0 + timedelta(days=pause_days, hours=3)
    paused = walked(schedule, max(p0, a), min(p1, b)) if max(p0, a) < min(p1, b) else timedelta(0)
    assert schedule.elapsed(a, b, Unit.WORKING_HOURS, pauses=[(p0, p1)]) == walked(schedule, a, b) - paused


def test_a_deadline_past_by_hundreds_of_working_days_counts_them_all() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    due = datetime(2025, 1, 6, 10, 0, tzinfo=zone)
    now = datetime(2026, 3, 2, 15, 30, tzinfo=zone)
    working_days = SHANGHAI.working_days_between(date(2025, 1, 6), date(2026, 3, 1))
    # 2025-01-06 from 10:00: 7 h; the working days between: 8 h each; 2026-03-02 until 15:30: 5.5 h
    expected = timedelta(hours=7) + timedelta(hours=8) * working_days + timedelta(hours=5, minutes=30)
    assert SHANGHAI.remaining(now, due) == -expected
    assert walked(SHANGHAI, due, now) == expected
