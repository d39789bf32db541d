"""ChinaCalendar and CountryCalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from complaintdesk.worktime import ChinaCalendar, CountryCalendar, DayCalendar, DayInfo


def test_protocol(china: ChinaCalendar) -> None:
    assert isinstance(china, DayCalendar)
    assert isinstance(CountryCalendar("US"), DayCalendar)


# Official 2026 Spring Festival schedule: Saturday 2026-02-14 and Saturday
# 2026-02-28 are working days; 2026-02-15 (Sun) .. 2026-02-23 (Mon) are off.
@pytest.mark.parametrize(
    ("day", "working", "name"),
    [
        (date(2026, 2, 13), True, None),  # Friday
        (date(2026, 2, 14), True, "Spring Festival (adjusted working day)"),  # Saturday
        (date(2026, 2, 15), False, "Spring Festival"),
        (date(2026, 2, 17), False, "Spring Festival"),  # Tuesday, New Year's Day
        (date(2026, 2, 23), False, "Spring Festival"),  # Monday
        (date(2026, 2, 24), True, None),
        (date(2026, 2, 28), True, "Spring Festival (adjusted working day)"),  # Saturday
        (date(2026, 3, 1), False, None),  # ordinary Sunday
        (date(2026, 1, 4), True, "New Year's Day (adjusted working day)"),  # Sunday
        (date(2026, 10, 7), False, "National Day"),  # Wednesday
        (date(2026, 10, 10), True, "National Day (adjusted working day)"),  # Saturday
    ],
)
def test_china_official_2026(
    china: ChinaCalendar, day: date, working: bool, name: str | None
) -> None:
    assert china.day_info(day) == DayInfo(day, working, False, name)
    assert china.is_working_day(day) is working


def test_china_known_and_provisional_years(china: ChinaCalendar) -> None:
    known = china.known_years()
    assert {2004, 2020, 2026} <= known
    assert 2027 not in known
    assert china.provisional_years(date(2026, 12, 1), date(2028, 1, 5)) == {2027, 2028}
    assert china.provisional_years(date(2026, 1, 1), date(2026, 12, 31)) == set()
    assert china.provisional_years(date(2028, 1, 5), date(2026, 12, 1)) == {2027, 2028}


# 2027 without a calendar file: Monday-Friday minus the 13 statutory days of
# holidays.China(years=2027, observed=False); no adjusted weekends invented.
@pytest.mark.parametrize(
    ("day", "working", "name"),
    [
        (date(2027, 1, 1), False, "New Year's Day"),  # Friday
        (date(2027, 1, 4), True, None),  # Monday
        (date(2027, 2, 5), False, "Chinese New Year's Eve"),  # Friday
        (date(2027, 2, 8), False, "Chinese New Year (Spring Festival)"),  # Monday
        (date(2027, 2, 9), True, None),  # Tuesday: no bridge days invented
        (date(2027, 2, 20), False, None),  # Saturday: no adjusted workday invented
        (date(2027, 10, 4), True, None),  # Monday after National Day (Fri-Sun)
        (date(2027, 5, 1), False, "Labor Day"),  # Saturday
    ],
)
def test_china_provisional_2027(
    china: ChinaCalendar, day: date, working: bool, name: str | None
) -> None:
    assert china.day_info(day) == DayInfo(day, working, True, name)


def test_china_provisional_year_has_13_statutory_days(china: ChinaCalendar) -> None:
    first, last = date(2027, 1, 1).toordinal(), date(2027, 12, 31).toordinal()
    days = [date.fromordinal(o) for o in range(first, last + 1)]
    named = [d for d in days if china.day_info(d).name is not None]
    assert len(named) == 13
    assert all(china.day_info(d).provisional for d in days)


def test_china_file_years(china_with_files: ChinaCalendar) -> None:
    assert 2027 in china_with_files.known_years()
    assert china_with_files.file_years == {2027}
    assert china_with_files.provisional_years(date(2026, 1, 1), date(2028, 1, 1)) == {2028}
    assert china_with_files.day_info(date(2027, 2, 20)) == DayInfo(
        date(2027, 2, 20), True, False, "春节调休"
    )
    assert china_with_files.day_info(date(2027, 2, 9)) == DayInfo(
        date(2027, 2, 9), False, False, "春节"
    )
    assert china_with_files.day_info(date(2027, 2, 12)) == DayInfo(
        date(2027, 2, 12), True, False, None
    )


def test_china_file_overrides_library(tmp_path: Path) -> None:
    (tmp_path / "cn-2026.yaml").write_text(
        "country: CN\nyear: 2026\nholidays:\n  - {date: 2026-03-02, name: 特别假日}\n",
        encoding="utf-8",
    )
    calendar = ChinaCalendar(tmp_path)
    special = DayInfo(date(2026, 3, 2), False, False, "特别假日")
    assert calendar.day_info(date(2026, 3, 2)) == special
    # The file replaces the whole year: the library's adjusted Saturday is gone.
    assert not calendar.is_working_day(date(2026, 2, 14))


def test_china_rejects_datetimes(china: ChinaCalendar) -> None:
    with pytest.raises(TypeError):
        china.day_info(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))


def test_country_calendar_us() -> None:
    us = CountryCalendar("US")
    # 2026-07-04 is a Saturday; Friday 2026-07-03 is the observed holiday.
    assert not us.is_working_day(date(2026, 7, 3))
    assert us.day_info(date(2026, 7, 3)).name == "Independence Day (observed)"
    assert not us.is_working_day(date(2026, 11, 26))  # Thanksgiving
    assert us.is_working_day(date(2026, 11, 27))
    assert us.day_info(date(2026, 11, 27)) == DayInfo(date(2026, 11, 27), True, False, None)
    assert not us.day_info(date(2035, 1, 1)).provisional  # never provisional


def test_country_calendar_subdivision_and_weekend() -> None:
    england = CountryCalendar("GB", subdiv="ENG")
    assert not england.is_working_day(date(2026, 4, 6))  # Easter Monday
    scotland = CountryCalendar("GB", subdiv="SCT")
    assert scotland.is_working_day(date(2026, 4, 6))
    # A Sunday-to-Thursday week (Friday and Saturday off).
    custom = CountryCalendar("AE", weekend=frozenset({4, 5}))
    assert custom.is_working_day(date(2026, 3, 8))  # Sunday
    assert not custom.is_working_day(date(2026, 3, 13))  # Friday


def test_country_calendar_validation() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        CountryCalendar("XX")
    with pytest.raises(ValueError, match="unsupported"):
        CountryCalendar("GB", subdiv="NOPE")
    with pytest.raises(ValueError, match="weekday numbers"):
        CountryCalendar("US", weekend=frozenset({7}))
    with pytest.raises(ValueError, match="every day"):
        CountryCalendar("US", weekend=frozenset(range(7)))
