"""Complaint numbers, sequence keys, report periods and due dates, clock selection, messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policy_testkit import mini_policy

from complaintdesk.policy.load import load_preset
from complaintdesk.policy.rules import (
    ComplaintFacts,
    clock_applies,
    clocks_started_by,
    clocks_stopped_by,
    format_moment,
    format_number,
    next_level,
    promise_clock,
    render_message,
    report_period,
    sequence_key,
)
from complaintdesk.policy.schema import ClockEvent, NumberFormat, Report

MINI = mini_policy()


def with_number(**fields: object) -> object:
    number = NumberFormat.model_validate({"prefix": "T", **fields})
    return MINI.model_copy(update={"number": number})


# --- numbers -----------------------------------------------------------------------------------


def test_default_number_format() -> None:
    assert format_number(MINI, date(2026, 11, 23), 42) == "T-20261123-0042"


def test_preset_number_formats() -> None:
    day = date(2026, 3, 5)
    assert format_number(load_preset("phone_maker").policy, day, 7) == "TS-20260305-0007"
    assert format_number(load_preset("insurer").policy, day, 7) == "TS95511-20260305-00007"
    assert format_number(load_preset("pc_maker").policy, day, 12345) == "PC-20260305-12345"


def test_custom_pattern_and_monthly_reset() -> None:
    policy = with_number(pattern="{prefix}{date:%y%m}{seq:03d}", reset="monthly")
    assert format_number(policy, date(2026, 1, 31), 9) == "T2601009"  # type: ignore[arg-type]
    assert sequence_key(policy, date(2026, 1, 31)) == "T:202601"  # type: ignore[arg-type]
    assert sequence_key(policy, date(2026, 1, 1)) == sequence_key(policy, date(2026, 1, 31))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reset", "key"),
    [("daily", "T:20260305"), ("monthly", "T:202603"), ("yearly", "T:2026"), ("never", "T:all")],
)
def test_sequence_key_per_reset(reset: str, key: str) -> None:
    assert sequence_key(with_number(reset=reset), date(2026, 3, 5)) == key  # type: ignore[arg-type]


def test_a_pattern_without_seq_is_refused() -> None:
    with pytest.raises(ValueError, match="must contain"):
        NumberFormat.model_validate({"prefix": "T", "pattern": "{prefix}-{date:%Y%m%d}"})


@settings(deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.integers(1, 9999))
def test_numbers_are_unique_within_a_sequence(day: date, seq: int) -> None:
    number = format_number(MINI, day, seq)
    assert number != format_number(MINI, day, seq + 1)
    assert number.startswith(f"T-{day:%Y%m%d}-")
    assert int(number.rsplit("-", 1)[1]) == seq


# --- reports -----------------------------------------------------------------------------------


def report(**fields: object) -> Report:
    return Report.model_validate({"code": "r", "label": {"zh": "报", "en": "Report"}, **fields})


def test_weekly_summary_every_monday_covers_the_week_before() -> None:
    weekly = report(every="monday")
    assert weekly.period == "weekly"
    period = report_period(weekly, date(2026, 11, 25))  # a Wednesday
    assert period.due == date(2026, 11, 30)  # the next Monday
    assert (period.start, period.end) == (date(2026, 11, 23), date(2026, 11, 29))
    # a Monday itself belongs to the week that is reported the following Monday
    assert report_period(weekly, date(2026, 11, 30)).due == date(2026, 12, 7)
    assert report_period(weekly, date(2026, 11, 29)).due == date(2026, 11, 30)


def test_monthly_summary_by_the_fifth() -> None:
    monthly = report(by_day=5)
    assert monthly.period == "monthly"
    period = report_period(monthly, date(2026, 12, 17))
    assert (period.start, period.end, period.due) == (date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 5))


def test_monthly_without_a_day_is_due_at_month_end() -> None:
    period = report_period(report(every="month"), date(2028, 2, 10))
    assert period.due == period.end == date(2028, 2, 29)


def test_dealer_files_by_the_fifth_and_regional_summary_by_the_eighth() -> None:
    policy = load_preset("dealer_network").policy
    by_code = {item.code: item for item in policy.reports}
    assert report_period(by_code["dealer_customer_files"], date(2026, 6, 20)).due == date(2026, 7, 5)
    assert report_period(by_code["regional_summary"], date(2026, 6, 20)).due == date(2026, 7, 8)


def test_daily_and_quarterly_periods() -> None:
    daily = report_period(report(every="day"), date(2026, 12, 31))
    assert (daily.start, daily.end, daily.due) == (date(2026, 12, 31), date(2026, 12, 31), date(2027, 1, 1))
    quarter = report_period(report(every="quarter", by_day=10), date(2026, 8, 15))
    assert (quarter.start, quarter.end, quarter.due) == (date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 10))
    half = report_period(report(every="half_year"), date(2026, 8, 15))
    assert (half.start, half.end) == (date(2026, 7, 1), date(2026, 12, 31))
    year = report_period(report(every="year", by_day=20), date(2026, 8, 15))
    assert (year.start, year.end, year.due) == (date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 20))


EVERY = st.sampled_from(["day", "monday", "wednesday", "sunday", "month", "quarter", "half_year", "year"])


@settings(deadline=None)
@given(EVERY, st.none() | st.integers(1, 28), st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 31)))
def test_report_periods_contain_the_day_and_are_due_after_they_start(every: str, by_day: int | None, day: date) -> None:
    if every not in {"month", "quarter", "half_year", "year"}:
        by_day = None
    period = report_period(report(every=every, by_day=by_day), day)
    assert period.start <= day <= period.end
    assert period.due >= period.end
    if every in {"monday", "wednesday", "sunday"}:
        assert period.end - period.start == timedelta(days=6)
        assert period.due.strftime("%A").lower() == every
    # the next period starts the day after this one ends
    following = report_period(report(every=every, by_day=by_day), period.end + timedelta(days=1))
    assert following.start == period.end + timedelta(days=1)


# --- clocks, levels, messages ------------------------------------------------------------------


def test_clock_selection_by_applies() -> None:
    policy = load_preset("pc_maker").policy
    letter = ComplaintFacts(level="normal", category="other", channel="letter")
    phone = ComplaintFacts(level="normal", category="other", channel="hotline")
    urgent = ComplaintFacts(level="normal", category="other", channel="hotline", urgent=True)
    started = {clock.code for clock in clocks_started_by(policy, ClockEvent.REGISTERED, letter)}
    assert started == {"letter_callback", "technical_solution"}
    assert {clock.code for clock in clocks_started_by(policy, ClockEvent.REGISTERED, phone)} == {"technical_solution"}
    # the urgent clock starts when urgency is recorded (at registration or later), for urgent complaints only
    assert "urgent_solution" in {clock.code for clock in clocks_started_by(policy, ClockEvent.URGENCY_RAISED, urgent)}
    assert not clocks_started_by(policy, ClockEvent.URGENCY_RAISED, phone)
    legal = ComplaintFacts(level="normal", category="other", channel="hotline", legal=True)
    assert clock_applies(policy.clock("legal_outcome_report"), legal)
    tier_only = ComplaintFacts(level="normal", category="other", channel="hotline", tiers=frozenset({"legal"}))
    assert not clock_applies(policy.clock("legal_outcome_report"), tier_only)
    assert not clock_applies(policy.clock("legal_outcome_report"), phone)
    assert "major_team_solution" in {clock.code for clock in clocks_stopped_by(policy, ClockEvent.MAJOR_SOLVED)}


def test_clock_applies_by_level_flag_and_channel_kind() -> None:
    insurer = load_preset("insurer").policy
    violation = ComplaintFacts(
        level="general", category="sales", channel="regulator_12378", flags=frozenset({"violation"})
    )
    plain = ComplaintFacts(level="general", category="sales", channel="regulator_12378")
    assert clock_applies(insurer.clock("violation_report"), violation)
    assert not clock_applies(insurer.clock("violation_report"), plain)
    assert clock_applies(insurer.clock("regulator_register"), plain)
    # 一.2(3): only a transfer without a violation is accepted within a working day (``without_flags``)
    assert not clock_applies(insurer.clock("regulator_register"), violation)
    iptv = load_preset("iptv").policy
    orange = ComplaintFacts(level="orange", category="playback", channel="walk_in")
    assert clock_applies(iptv.clock("resolve_orange"), orange)
    assert not clock_applies(iptv.clock("resolve_red"), orange)


def test_promise_clock_and_next_level() -> None:
    clock = promise_clock(MINI)
    assert clock is not None and clock.code == "reply"
    assert promise_clock(MINI.model_copy(update={"clocks": []})) is None
    low_next = next_level(MINI, "low")
    assert low_next is not None and low_next.code == "mid"
    assert next_level(MINI, "high") is None


def test_render_message_keeps_unknown_placeholders() -> None:
    template = MINI.messages.acknowledgement.en
    text = render_message(template, number="T-1", received_at="now")
    assert text == "Number T-1, received now, reply by {reply_by}"


def test_format_moment_in_both_languages() -> None:
    moment = datetime(2026, 3, 5, 9, 7, tzinfo=UTC)
    assert format_moment(moment, "zh-hans") == "2026年3月5日 09:07"
    assert format_moment(moment, "en") == "2026-03-05 09:07"
