"""Property-based tests for WorkSchedule (hypothesis).

Two schedules are exercised: China (Asia/Shanghai, no DST, with 调休 and the
provisional year 2027) and England (Europe/London, with DST).  Instants are
compared in UTC because Python compares datetimes that share a tzinfo by wall
time, which is ambiguous around the autumn DST change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from complaintdesk.worktime import ChinaCalendar, CountryCalendar, Unit, WorkSchedule

SH = ZoneInfo("Asia/Shanghai")
LDN = ZoneInfo("Europe/London")
CHINA = ChinaCalendar()
SHANGHAI = WorkSchedule(CHINA, SH)
LONDON = WorkSchedule(CountryCalendar("GB", subdiv="ENG"), LDN)
SCHEDULES = (SHANGHAI, LONDON)

WORKING_UNITS = (Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.WORKING_MINUTES)
MEASURE_UNITS = (Unit.WORKING_HOURS, Unit.WORKING_MINUTES, Unit.MINUTES, Unit.HOURS)
MAX_AMOUNT = {
    Unit.MINUTES: 100_000,
    Unit.HOURS: 2_000,
    Unit.CALENDAR_DAYS: 400,
    Unit.WORKING_DAYS: 300,
    Unit.WORKING_HOURS: 600,
    Unit.WORKING_MINUTES: 10_000,
}
UNIT_DELTA = {
    Unit.MINUTES: timedelta(minutes=1),
    Unit.HOURS: timedelta(hours=1),
    Unit.WORKING_MINUTES: timedelta(minutes=1),
    Unit.WORKING_HOURS: timedelta(hours=1),
}

PROPERTY = settings(deadline=None, max_examples=120)


def naive(y: int, mo: int, d: int) -> datetime:
    """A naive datetime, as hypothesis wants for its bounds."""
    return datetime(y, mo, d, tzinfo=UTC).replace(tzinfo=None)


LO = naive(2025, 1, 1)
HI = naive(2027, 12, 31)


def moments(tz: ZoneInfo, lo: datetime = LO, hi: datetime = HI) -> st.SearchStrategy[datetime]:
    return st.datetimes(min_value=lo, max_value=hi, timezones=st.just(tz), allow_imaginary=False)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


schedules = st.sampled_from(SCHEDULES)


@st.composite
def schedule_and_start(draw: st.DrawFn) -> tuple[WorkSchedule, datetime]:
    schedule = draw(schedules)
    return schedule, draw(moments(schedule.tz))


def amounts(unit: Unit) -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=MAX_AMOUNT[unit])


def is_period_end(schedule: WorkSchedule, moment: datetime) -> bool:
    local = moment.astimezone(schedule.tz)
    return schedule.calendar.is_working_day(local.date()) and any(
        local.time() == p.end for p in schedule.periods
    )


# ---------------------------------------------------------------------------
# Monotonicity and additivity
# ---------------------------------------------------------------------------


@PROPERTY
@given(data=st.data(), unit=st.sampled_from(list(Unit)))
def test_later_start_never_gives_earlier_deadline(data: st.DataObject, unit: Unit) -> None:
    schedule = data.draw(schedules)
    # Calendar days keep the wall time, which is not monotonic inside the
    # repeated hour of the autumn DST change (01:59 BST is before 01:10 GMT).
    assume(not (unit is Unit.CALENDAR_DAYS and schedule is LONDON))
    s1, s2 = sorted((data.draw(moments(schedule.tz)), data.draw(moments(schedule.tz))), key=utc)
    n = data.draw(amounts(unit))
    assert utc(schedule.add(s1, n, unit).due_at) <= utc(schedule.add(s2, n, unit).due_at)


@PROPERTY
@given(start=schedule_and_start(), unit=st.sampled_from(list(Unit)), data=st.data())
def test_larger_amount_never_gives_earlier_deadline(
    start: tuple[WorkSchedule, datetime], unit: Unit, data: st.DataObject
) -> None:
    schedule, s = start
    a, b = sorted((data.draw(amounts(unit)), data.draw(amounts(unit))))
    assert utc(schedule.add(s, a, unit).due_at) <= utc(schedule.add(s, b, unit).due_at)


@PROPERTY
@given(start=schedule_and_start(), unit=st.sampled_from(MEASURE_UNITS), data=st.data())
def test_additive(start: tuple[WorkSchedule, datetime], unit: Unit, data: st.DataObject) -> None:
    schedule, s = start
    a = data.draw(amounts(unit))
    b = data.draw(amounts(unit))
    step = schedule.add(schedule.add(s, a, unit).due_at, b, unit).due_at
    assert utc(step) == utc(schedule.add(s, a + b, unit).due_at)


@PROPERTY
@given(start=schedule_and_start(), a=amounts(Unit.WORKING_DAYS), b=amounts(Unit.WORKING_DAYS))
def test_additive_working_days_once_normalised(
    start: tuple[WorkSchedule, datetime], a: int, b: int
) -> None:
    schedule, s = start
    s0 = schedule.next_working_moment(s)
    assert utc(schedule.add(s, 0, Unit.WORKING_DAYS).due_at) == utc(s0)
    step = schedule.add(schedule.add(s0, a, Unit.WORKING_DAYS).due_at, b, Unit.WORKING_DAYS)
    assert utc(step.due_at) == utc(schedule.add(s0, a + b, Unit.WORKING_DAYS).due_at)


# ---------------------------------------------------------------------------
# Consistency between add, elapsed, working_days_between
# ---------------------------------------------------------------------------


@PROPERTY
@given(
    start=schedule_and_start(),
    unit=st.sampled_from((Unit.WORKING_HOURS, Unit.WORKING_MINUTES)),
    data=st.data(),
)
def test_elapsed_inverts_add(
    start: tuple[WorkSchedule, datetime], unit: Unit, data: st.DataObject
) -> None:
    schedule, s = start
    n = data.draw(amounts(unit))
    due = schedule.add(s, n, unit).due_at
    assert schedule.elapsed(s, due, unit) == n * UNIT_DELTA[unit]
    assert schedule.elapsed(due, s, unit) == -n * UNIT_DELTA[unit]


@PROPERTY
@given(start=schedule_and_start(), n=amounts(Unit.WORKING_DAYS))
def test_working_days_match_working_days_between(
    start: tuple[WorkSchedule, datetime], n: int
) -> None:
    schedule, s = start
    s0 = schedule.next_working_moment(s)
    due = schedule.add(s, n, Unit.WORKING_DAYS).due_at
    assert schedule.working_days_between(s0.date(), due.date()) == n
    assert due.timetz().replace(tzinfo=None) == s0.time()


@settings(deadline=None, max_examples=200)
@given(
    a=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)),
    span=st.integers(min_value=-400, max_value=400),
)
def test_working_days_between_matches_chinesecalendar(a: date, span: int) -> None:
    b = min(max(a + timedelta(days=span), date(2004, 1, 1)), date(2026, 12, 31))
    lo, hi = sorted((a, b))
    expected = sum(
        1
        for o in range(lo.toordinal() + 1, hi.toordinal() + 1)
        if chinese_calendar.is_workday(date.fromordinal(o))
    )
    assert SHANGHAI.working_days_between(lo, hi) == expected
    assert SHANGHAI.working_days_between(hi, lo) == -expected


@settings(deadline=None, max_examples=60)
@given(
    start=moments(SH, naive(2025, 12, 20), naive(2027, 1, 31)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    n=st.integers(min_value=0, max_value=1_500),
)
def test_working_minutes_match_minute_by_minute_oracle(start: datetime, n: int) -> None:
    """Brute force: walk minute by minute and count minutes inside working periods."""
    minute = timedelta(minutes=1)
    spans = [(p.start, p.end) for p in SHANGHAI.periods]
    t, counted = start, 0
    expected = start
    while counted < n:
        if CHINA.is_working_day(t.date()) and any(a <= t.time() < b for a, b in spans):
            counted += 1
            expected = t + minute
        t += minute
    assert SHANGHAI.add(start, n, Unit.WORKING_MINUTES).due_at == expected


# ---------------------------------------------------------------------------
# Where results land
# ---------------------------------------------------------------------------


@PROPERTY
@given(start=schedule_and_start(), unit=st.sampled_from(WORKING_UNITS), data=st.data())
def test_working_results_fall_inside_working_time(
    start: tuple[WorkSchedule, datetime], unit: Unit, data: st.DataObject
) -> None:
    schedule, s = start
    n = data.draw(st.integers(min_value=1, max_value=MAX_AMOUNT[unit]))
    due = schedule.add(s, n, unit).due_at
    assert due.tzinfo == schedule.tz
    if unit is Unit.WORKING_DAYS:
        assert schedule.is_working_time(due)
    else:
        assert schedule.is_working_time(due) or is_period_end(schedule, due)


@PROPERTY
@given(start=schedule_and_start())
def test_next_working_moment(start: tuple[WorkSchedule, datetime]) -> None:
    schedule, s = start
    moment = schedule.next_working_moment(s)
    assert utc(moment) >= utc(s)
    assert schedule.is_working_time(moment)
    assert utc(schedule.next_working_moment(moment)) == utc(moment)
    if schedule.is_working_time(s):
        assert utc(moment) == utc(s)
    else:
        # Nothing of working time lies between s and the next working moment.
        assert schedule.elapsed(s, moment, Unit.WORKING_MINUTES) == timedelta(0)


@PROPERTY
@given(start=schedule_and_start(), n=amounts(Unit.WORKING_DAYS))
def test_provisional_iff_touching_2027_in_china(
    start: tuple[WorkSchedule, datetime], n: int
) -> None:
    schedule, s = start
    deadline = schedule.add(s, n, Unit.WORKING_DAYS)
    if schedule is LONDON:
        assert not deadline.provisional
        return
    first, last = s.astimezone(SH).date(), deadline.due_at.date()
    # chinesecalendar 1.11 knows up to 2026; every later year is provisional.
    expected = {y for y in range(first.year, last.year + 1) if y >= 2027}
    assert deadline.provisional_years == expected
    assert deadline.provisional == bool(expected)


# ---------------------------------------------------------------------------
# Pauses and remaining()
# ---------------------------------------------------------------------------


@st.composite
def pauses_near(
    draw: st.DrawFn, schedule: WorkSchedule, s: datetime
) -> list[tuple[datetime, datetime]]:
    result: list[tuple[datetime, datetime]] = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        offset = draw(st.integers(min_value=-2 * 24 * 60, max_value=40 * 24 * 60))
        length = draw(st.integers(min_value=0, max_value=5 * 24 * 60))
        p0 = utc(s) + timedelta(minutes=offset)
        p1 = p0 + timedelta(minutes=length)
        result.append((p0.astimezone(schedule.tz), p1.astimezone(schedule.tz)))
    return result


@PROPERTY
@given(start=schedule_and_start(), unit=st.sampled_from(list(Unit)), data=st.data())
def test_pauses_never_shorten_a_deadline(
    start: tuple[WorkSchedule, datetime], unit: Unit, data: st.DataObject
) -> None:
    schedule, s = start
    n = data.draw(st.integers(min_value=0, max_value=MAX_AMOUNT[unit] // 10))
    pauses = data.draw(pauses_near(schedule, s))
    plain = schedule.add(s, n, unit).due_at
    paused = schedule.add(s, n, unit, pauses=pauses).due_at
    assert utc(paused) >= utc(plain)
    if unit in UNIT_DELTA:
        # The clock ran exactly n units outside the pauses.
        assert schedule.elapsed(s, paused, unit, pauses=pauses) == n * UNIT_DELTA[unit]
    if unit is not Unit.CALENDAR_DAYS or schedule is SHANGHAI:
        # Duplicating the pauses (overlap) changes nothing.
        assert utc(schedule.add(s, n, unit, pauses=pauses + pauses).due_at) == utc(paused)


@st.composite
def non_working_pause(draw: st.DrawFn, schedule: WorkSchedule) -> tuple[datetime, datetime]:
    """A pause lying entirely outside working time."""
    day = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
    tz = schedule.tz
    kind = draw(st.sampled_from(["lunch", "night", "day"]))
    following = day + timedelta(days=1)
    if kind == "lunch":
        return datetime.combine(day, time(12), tz), datetime.combine(day, time(13), tz)
    if kind == "night":
        return datetime.combine(day, time(18), tz), datetime.combine(following, time(9), tz)
    assume(not schedule.calendar.is_working_day(day))
    return datetime.combine(day, time(0), tz), datetime.combine(following, time(0), tz)


@PROPERTY
@given(start=schedule_and_start(), unit=st.sampled_from(WORKING_UNITS), data=st.data())
def test_pause_outside_working_time_does_not_move_working_deadline(
    start: tuple[WorkSchedule, datetime], unit: Unit, data: st.DataObject
) -> None:
    schedule, s = start
    n = data.draw(amounts(unit))
    pauses = [data.draw(non_working_pause(schedule)) for _ in range(3)]
    plain = schedule.add(s, n, unit).due_at
    assert utc(schedule.add(s, n, unit, pauses=pauses).due_at) == utc(plain)


@PROPERTY
@given(start=schedule_and_start(), unit=st.sampled_from(WORKING_UNITS), data=st.data())
def test_remaining_sign(
    start: tuple[WorkSchedule, datetime], unit: Unit, data: st.DataObject
) -> None:
    schedule, s = start
    due = schedule.add(s, data.draw(amounts(unit)), unit).due_at
    now = data.draw(moments(schedule.tz))
    left = schedule.remaining(now, due)
    assert schedule.remaining(due, due) == timedelta(0)
    assert schedule.remaining(due, now) == -left
    if utc(now) < utc(due):
        assert left >= timedelta(0)
        if schedule.is_working_time(now):
            assert left > timedelta(0)
    elif utc(now) > utc(due):
        assert left <= timedelta(0)
        if schedule.is_working_time(due):
            assert left < timedelta(0)
    else:
        assert left == timedelta(0)


@PROPERTY
@given(start=schedule_and_start(), n=st.integers(min_value=1, max_value=5_000))
def test_remaining_counts_down_working_minutes(
    start: tuple[WorkSchedule, datetime], n: int
) -> None:
    schedule, s = start
    due = schedule.add(s, n, Unit.WORKING_MINUTES).due_at
    assert schedule.remaining(s, due) == timedelta(minutes=n)
