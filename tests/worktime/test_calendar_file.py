"""Loading and validating YAML calendar files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from complaintdesk.worktime import CalendarFileError, ChinaCalendar, load_calendar_file


def write(tmp_path: Path, text: str, name: str = "cal.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CalendarFileError) as info:
        load_calendar_file(path)
    return list(info.value.problems)


def test_sample_file_loads(data_dir: Path) -> None:
    schedule = load_calendar_file(data_dir / "cn-2027.yaml")
    assert schedule.year == 2027
    assert schedule.country == "CN"
    assert schedule.holidays[date(2027, 1, 1)] == "元旦"
    # Ranges are inclusive and expanded day by day.
    assert [d for d, n in schedule.holidays.items() if n == "春节"] == [
        date(2027, 2, d) for d in range(5, 12)
    ]
    assert schedule.workdays[date(2027, 2, 20)] == "春节调休"
    assert schedule.is_working_day(date(2027, 2, 20))  # Saturday, adjusted working day
    assert not schedule.is_working_day(date(2027, 2, 8))  # Monday in the holiday
    assert not schedule.is_working_day(date(2027, 2, 13))  # ordinary Saturday
    assert schedule.is_working_day(date(2027, 2, 12))  # ordinary Friday


def test_minimal_file_and_quoted_dates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "country: cn\nyear: 2030\nholidays:\n  - {date: '2030-01-01', name: 元旦}\n",
    )
    schedule = load_calendar_file(path)
    assert schedule.country == "CN"
    assert schedule.holidays == {date(2030, 1, 1): "元旦"}
    assert schedule.workdays == {}


BROKEN = """\
country: CN
year: 2027
region: east
holidays:
  - {date: 2026-12-31, name: 跨年}
  - {date: 2027-02-30, name: 坏日期}
  - {from: 2027-02-05, to: 2027-02-11, name: 春节}
  - {date: 2027-03-01, name: 测试, note: extra}
  - {from: 2027-05-05, to: 2027-05-01, name: 反向}
  - {date: 2027-02-07, name: 重复}
  - {date: 2027-06-09}
  - {date: 1 March, name: 文字}
workdays:
  - {date: 2027-02-06, name: 春节调休}
  - {date: 2027-02-22, name: 周一}
  - {date: 2027-13-01, name: 月份}
  - {from: 2026-12-26, to: 2027-01-02, name: 跨年范围}
"""


def test_broken_file_lists_every_problem_with_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    problems = problems_of(path)
    expected = [
        (3, "unknown key 'region'"),
        (5, "date 2026-12-31 is outside year 2027"),
        (6, "bad date '2027-02-30'"),
        (8, "unknown key 'note'"),
        (9, "range 'from' 2027-05-05 is after 'to' 2027-05-01"),
        (10, "2027-02-07 is listed twice in 'holidays' (first at line 7)"),
        (11, "has no 'name'"),
        (12, "bad date '1 March'"),
        (14, "2027-02-06 is both a holiday (line 7) and a workday"),
        (15, "workday 2027-02-22 is a Monday"),
        (16, "bad date '2027-13-01'"),
        (17, "range 2026-12-26..2027-01-02 is not inside year 2027"),
    ]
    assert len(problems) == len(expected), problems
    for problem, (line, fragment) in zip(problems, expected, strict=True):
        assert problem.startswith(f"{path}:{line}: "), problem
        assert fragment in problem, problem
    # The exception message lists the same problems, one per line.
    with pytest.raises(CalendarFileError) as info:
        load_calendar_file(path)
    assert str(info.value).splitlines() == problems
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "file is empty"),
        ("- just a list\n", 1, "must be a mapping"),
        ("country: CN\nyear: 2027\nholidays: [\n", 4, "invalid YAML"),
        ("year: 2027\n", 1, "missing required key 'country'"),
        ("country: CN\n", 1, "missing required key 'year'"),
        ("country: CN\nyear: 27\n", 2, "bad year '27'"),
        ("country: C1\nyear: 2027\n", 1, "bad country 'C1'"),
        ("country: CN\nyear: 2027\nyear: 2028\n", 3, "duplicate key 'year'"),
        ("country: CN\nyear: 2027\nholidays: {a: b}\n", 3, "must be a list"),
        ("country: CN\nyear: 2027\nholidays:\n  - 2027-01-01\n", 4, "must be a mapping"),
        (
            "country: CN\nyear: 2027\nholidays:\n  - {name: x}\n",
            4,
            "needs 'date' or 'from'/'to'",
        ),
        (
            "country: CN\nyear: 2027\nholidays:\n  - {date: 2027-01-01, from: 2027-01-01,"
            " to: 2027-01-02, name: x}\n",
            4,
            "not both",
        ),
        ("country: CN\nyear: 2027\nholidays:\n  - {from: 2027-01-01, name: x}\n", 4, "no 'to'"),
        ("country: CN\nyear: 2027\nholidays:\n  - {date: 2027-01-01, name: ''}\n", 4, "empty"),
        (
            "country: CN\nyear: 2027\nholidays:\n  - date: [2027-01-01]\n    name: x\n",
            4,
            "single value",
        ),
    ],
)
def test_single_problems(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text)
    problems = problems_of(path)
    assert any(p.startswith(f"{path}:{line}: ") and fragment in p for p in problems), problems


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_calendar_file(tmp_path / "missing.yaml")


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"country: CN\nyear: 2027\n\xff\xfe")
    assert "not valid UTF-8" in problems_of(path)[0]


# -- calendar directories ---------------------------------------------------


def test_directory_with_a_broken_file_fails_loudly(tmp_path: Path) -> None:
    write(tmp_path, "country: CN\nyear: 2027\nholidays:\n  - {date: 2028-01-01, name: x}\n")
    with pytest.raises(CalendarFileError, match=r"cal\.yaml:4: date 2028-01-01 is outside"):
        ChinaCalendar(tmp_path)


def test_directory_with_two_files_for_one_year(tmp_path: Path) -> None:
    write(tmp_path, "country: CN\nyear: 2027\n", "a.yaml")
    write(tmp_path, "country: CN\nyear: 2027\n", "b.yml")
    with pytest.raises(CalendarFileError, match="year 2027 is already defined"):
        ChinaCalendar(tmp_path)


def test_directory_ignores_other_countries_and_other_files(tmp_path: Path) -> None:
    write(tmp_path, "country: HK\nyear: 2027\n", "hk-2027.yaml")
    write(tmp_path, "not yaml at all: [", "README.txt")
    calendar = ChinaCalendar(tmp_path)
    assert 2027 not in calendar.known_years()
    assert calendar.day_info(date(2027, 3, 1)).provisional


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        ChinaCalendar(tmp_path / "nope")
