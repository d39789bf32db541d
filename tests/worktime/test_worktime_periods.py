"""Periods that end at the end of their last day (Civil Code arts. 201-203), same-day cut-offs and
days of the month, over the official 2026 calendar with its adjusted working days (调休)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.worktime import (
    WorkSchedule,
    end_of_days,
    end_of_months,
    end_of_working_days,
    monthly_on,
    same_day_until,
)

SH = ZoneInfo("Asia/Shanghai")
MIDNIGHT = time(0, 0)

moments_2026 = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31, 23, 59)).map(
    lambda naive: naive.replace(second=0, microsecond=0, tzinfo=SH)
)


def event_day(start: datetime) -> date:
    """The day a period counts from: exactly midnight is 24:00 of the day before."""
    local = start.astimezone(SH)
    return local.date() - timedelta(days=1) if local.time() == MIDNIGHT else local.date()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


# --- examples worked out by hand -----------------------------------------------------------------


def test_seven_days_end_at_24_00_of_the_seventh_day(shanghai: WorkSchedule) -> None:
    # judged Tuesday 2026-11-17 15:00: days 18 … 24 count; the period ends at 24:00 of the 24th
    due = end_of_days(shanghai, at("2026-11-17 15:00"), 7)
    assert due.due_at == at("2026-11-25 00:00") and not due.provisional
    assert at("2026-11-24 23:00") < due.due_at  # an appeal at 23:00 on day 7 is in time


def test_two_working_days_end_with_the_second_working_days_hours(shanghai: WorkSchedule) -> None:
    # Friday 2026-02-13 16:00: Saturday 14 is an adjusted working day (调休), then the Spring
    # Festival holiday runs to Monday 23: the second working day is Tuesday 24, until 18:00
    assert end_of_working_days(shanghai, at("2026-02-13 16:00"), 2).due_at == at("2026-02-24 18:00")
    # 30 September 2026 + 2 working days: 1–7 October are holidays → Thursday 8 and Friday 9
    assert end_of_working_days(shanghai, at("2026-09-30 10:00"), 2).due_at == at("2026-10-09 18:00")


def test_zero_working_days_is_the_end_of_today_or_of_the_next_working_day(shanghai: WorkSchedule) -> None:
    assert end_of_working_days(shanghai, at("2026-06-10 08:00"), 0).due_at == at("2026-06-10 18:00")
    assert end_of_working_days(shanghai, at("2026-06-13 10:00"), 0).due_at == at("2026-06-15 18:00")  # Saturday
    assert end_of_working_days(shanghai, at("2026-06-10 19:00"), 0).due_at == at("2026-06-11 18:00")  # after hours


def test_months_end_on_the_corresponding_day_or_the_months_last(shanghai: WorkSchedule) -> None:
    assert end_of_months(shanghai, at("2026-01-31 10:00"), 1).due_at == at("2026-03-01 00:00")  # 28 Feb, 24:00
    assert end_of_months(shanghai, at("2026-03-15 10:00"), 2).due_at == at("2026-05-16 00:00")


def test_a_same_day_cut_off(shanghai: WorkSchedule) -> None:
    def next_working_day(moment: datetime):  # type: ignore[no-untyped-def]
        return end_of_working_days(shanghai, moment, 1)

    cutoff = time(15, 30)
    assert same_day_until(shanghai, at("2026-06-10 10:00"), cutoff, next_working_day).due_at == at("2026-06-10 15:30")
    assert same_day_until(shanghai, at("2026-06-10 15:30"), cutoff, next_working_day).due_at == at("2026-06-11 18:00")
    # Friday after the cut-off → Monday; a Saturday → Monday
    assert same_day_until(shanghai, at("2026-06-12 16:00"), cutoff, next_working_day).due_at == at("2026-06-15 18:00")
    assert same_day_until(shanghai, at("2026-06-13 09:00"), cutoff, next_working_day).due_at == at("2026-06-15 18:00")


def test_a_day_of_the_month(shanghai: WorkSchedule) -> None:
    assert monthly_on(shanghai, at("2026-05-31 18:00"), 5).due_at == at("2026-06-06 00:00")
    # the day itself does not count
    assert monthly_on(shanghai, at("2026-06-05 10:00"), 5).due_at == at("2026-07-06 00:00")
    assert monthly_on(shanghai, at("2026-06-03 10:00"), 5).due_at == at("2026-06-06 00:00")
    assert monthly_on(shanghai, at("2026-01-31 10:00"), 31).due_at == at("2026-03-01 00:00")  # February's last day


def test_a_period_that_starts_at_24_00_counts_on_from_that_day(shanghai: WorkSchedule) -> None:
    first = end_of_days(shanghai, at("2026-06-10 10:00"), 7).due_at  # 24:00 of the 17th
    assert end_of_days(shanghai, first, 1).due_at == at("2026-06-19 00:00")  # 24:00 of the 18th


def test_bad_arguments_are_refused(shanghai: WorkSchedule) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        end_of_days(shanghai, datetime(2026, 6, 10, 10, 0), 1)  # a naive datetime: the point of the test
    with pytest.raises(ValueError, match="negative"):
        end_of_working_days(shanghai, at("2026-06-10 10:00"), -1)
    with pytest.raises(ValueError, match="between 1 and 31"):
        monthly_on(shanghai, at("2026-06-10 10:00"), 32)


# --- properties over 2026 --------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(start=moments_2026, n=st.integers(min_value=0, max_value=60))
def test_days_end_at_midnight_after_the_nth_day(shanghai: WorkSchedule, start: datetime, n: int) -> None:
    due = end_of_days(shanghai, start, n).due_at.astimezone(SH)
    assert due.time() == MIDNIGHT and due >= start
    last_day = due.date() - timedelta(days=1)
    assert (last_day - event_day(start)).days == n
    # never earlier than the exact duration, and less than a day later
    assert start + timedelta(days=n) <= due < start + timedelta(days=n + 1)


@settings(max_examples=300, deadline=None)
@given(start=moments_2026, n=st.integers(min_value=1, max_value=30))
def test_working_days_end_with_the_hours_of_the_nth_official_working_day(shanghai: WorkSchedule, start: datetime,
                                                                         n: int) -> None:
    due = end_of_working_days(shanghai, start, n).due_at.astimezone(SH)
    assert due.time() == time(18, 0)
    assert shanghai.calendar.is_working_day(due.date())
    assert shanghai.working_days_between(event_day(start), due.date()) == n
    # the official calendar decides: every day counted is a working day, holidays are skipped
    counted = [event_day(start) + timedelta(days=k) for k in range(1, (due.date() - event_day(start)).days + 1)]
    assert sum(shanghai.calendar.is_working_day(day) for day in counted) == n


@settings(max_examples=300, deadline=None)
@given(start=moments_2026, hour=st.integers(min_value=9, max_value=17), minute=st.sampled_from([0, 15, 30, 45]))
def test_a_cut_off_is_today_before_it_and_the_next_working_day_after(shanghai: WorkSchedule, start: datetime,
                                                                     hour: int, minute: int) -> None:
    cutoff = time(hour, minute)
    due = same_day_until(shanghai, start, cutoff, lambda moment: end_of_working_days(shanghai, moment, 1))
    local = start.astimezone(SH)
    if shanghai.calendar.is_working_day(local.date()) and local.time() < cutoff:
        assert due.due_at == datetime.combine(local.date(), cutoff, tzinfo=SH)
    else:
        assert due.due_at == end_of_working_days(shanghai, start, 1).due_at
    assert due.due_at > start


@settings(max_examples=300, deadline=None)
@given(start=moments_2026, day=st.integers(min_value=1, max_value=31))
def test_a_day_of_the_month_is_the_next_such_day(shanghai: WorkSchedule, start: datetime, day: int) -> None:
    due = monthly_on(shanghai, start, day).due_at.astimezone(SH)
    assert due.time() == MIDNIGHT
    last_day = due.date() - timedelta(days=1)
    assert last_day > event_day(start) and (last_day - event_day(start)).days <= 62
    month_end = (date(last_day.year + last_day.month // 12, last_day.month % 12 + 1, 1) - timedelta(days=1)).day
    assert last_day.day == min(day, month_end)
    # no such day lies in between
    between = [event_day(start) + timedelta(days=k) for k in range(1, (last_day - event_day(start)).days)]
    assert all(d.day != day for d in between)


@settings(max_examples=200, deadline=None)
@given(start=moments_2026, n=st.integers(min_value=0, max_value=24))
def test_months_keep_the_day_of_the_month(shanghai: WorkSchedule, start: datetime, n: int) -> None:
    due = end_of_months(shanghai, start, n).due_at.astimezone(SH)
    assert due.time() == MIDNIGHT
    last_day = due.date() - timedelta(days=1)
    first = event_day(start)
    assert (last_day.year * 12 + last_day.month) - (first.year * 12 + first.month) == n
    assert last_day.day == first.day or (last_day.day < first.day and (last_day + timedelta(days=1)).day == 1)
