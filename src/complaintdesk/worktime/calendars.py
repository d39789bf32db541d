"""Day calendars: which days are working days.

* :class:`ChinaCalendar` follows the official Chinese schedule, including
  holidays and adjusted working weekends (调休), with administrator-supplied
  calendar files and a provisional fallback for years not yet published.
* :class:`CountryCalendar` uses the public holidays of any country supported
  by the ``holidays`` package.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped, unused-ignore]
import holidays

from .calendar_file import CalendarFileError, YearSchedule, load_calendar_file
from .model import DayInfo

__all__ = ["ChinaCalendar", "CountryCalendar"]

_CALENDAR_SUFFIXES = frozenset({".yaml", ".yml"})
_ADJUSTED_SUFFIX = " (adjusted working day)"


def _library_years() -> frozenset[int]:
    """Years for which chinesecalendar has official data.

    chinesecalendar accepts every year between the first and the last year of
    its holiday table (and raises ``NotImplementedError`` outside that range).
    """
    table: dict[date, str] = chinese_calendar.holidays
    years = [day.year for day in table]
    if not years:
        return frozenset()
    return frozenset(range(min(years), max(years) + 1))


_LIBRARY_YEARS = _library_years()


def _check_day(day: date) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a datetime.date, got {day!r}")


class ChinaCalendar:
    """The official mainland-China working-day calendar.

    For a given date the first source that knows its year wins:

    1. a calendar file for that year (country ``CN``) found in
       ``calendar_dir`` -- administrators add these without code changes
       (format: :mod:`complaintdesk.worktime.calendar_file`);
    2. the ``chinesecalendar`` package, if it has data for the year;
    3. otherwise a *provisional* rule: Monday to Friday are working days
       except the statutory holidays that ``holidays.China(years=y,
       observed=False)`` lists for the year; no observed or bridge days and
       no adjusted working weekends are invented.  Every day of such a year
       has ``DayInfo.provisional == True``.

    Calendar files are read once, when the calendar is created: every
    ``*.yaml`` / ``*.yml`` file in the directory is loaded, files for other
    countries are ignored, and any invalid file (or two files for the same
    year) raises :class:`CalendarFileError` listing all problems.  Create a
    new instance to pick up files added later.

    Names come from the file (typically Chinese), from chinesecalendar
    (English, e.g. ``"Spring Festival"``, adjusted working days get the
    suffix ``" (adjusted working day)"``) or from ``holidays`` (English).
    Day lookups are cached per date.
    """

    country = "CN"

    def __init__(self, calendar_dir: Path | None = None) -> None:
        self._calendar_dir = Path(calendar_dir) if calendar_dir is not None else None
        self._files: dict[int, YearSchedule] = (
            _load_directory(self._calendar_dir, self.country)
            if self._calendar_dir is not None
            else {}
        )
        self._cache: dict[date, DayInfo] = {}
        self._fallback: dict[int, dict[date, str]] = {}

    def __repr__(self) -> str:
        return f"ChinaCalendar(calendar_dir={self._calendar_dir!r})"

    @property
    def file_years(self) -> frozenset[int]:
        """Years defined by calendar files."""
        return frozenset(self._files)

    def known_years(self) -> set[int]:
        """Years with official data (from calendar files or chinesecalendar)."""
        return set(self._files) | set(_LIBRARY_YEARS)

    def provisional_years(self, start: date, end: date) -> set[int]:
        """Years between ``start`` and ``end`` (inclusive, either order) without official data."""
        first, last = sorted((start.year, end.year))
        known = self.known_years()
        return {year for year in range(first, last + 1) if year not in known}

    def is_working_day(self, day: date) -> bool:
        return self.day_info(day).working

    def day_info(self, day: date) -> DayInfo:
        info = self._cache.get(day)
        if info is None:
            _check_day(day)
            info = self._lookup(day)
            self._cache[day] = info
        return info

    def _lookup(self, day: date) -> DayInfo:
        schedule = self._files.get(day.year)
        if schedule is not None:
            name = schedule.workdays.get(day) or schedule.holidays.get(day)
            return DayInfo(day, schedule.is_working_day(day), False, name)
        if day.year in _LIBRARY_YEARS:
            try:
                detail: tuple[bool, str | None] = chinese_calendar.get_holiday_detail(day)
            except NotImplementedError:
                pass
            else:
                off, lib_name = detail
                if lib_name is not None and not off:
                    lib_name += _ADJUSTED_SUFFIX
                return DayInfo(day, not off, False, lib_name)
        return self._provisional(day)

    def _provisional(self, day: date) -> DayInfo:
        statutory = self._fallback.get(day.year)
        if statutory is None:
            statutory = dict(
                holidays.country_holidays("CN", years=day.year, observed=False).items()
            )
            self._fallback[day.year] = statutory
        name = statutory.get(day)
        return DayInfo(day, day.weekday() < 5 and name is None, True, name)


def _load_directory(directory: Path, country: str) -> dict[int, YearSchedule]:
    if not directory.is_dir():
        raise NotADirectoryError(f"calendar directory {directory} does not exist")
    problems: list[str] = []
    schedules: dict[int, YearSchedule] = {}
    sources: dict[int, Path] = {}
    paths = sorted(
        p for p in directory.iterdir() if p.suffix.lower() in _CALENDAR_SUFFIXES and p.is_file()
    )
    for path in paths:
        try:
            schedule = load_calendar_file(path)
        except CalendarFileError as exc:
            problems.extend(exc.problems)
            continue
        if schedule.country != country:
            continue
        if schedule.year in schedules:
            problems.append(
                f"{path}:1: year {schedule.year} is already defined in {sources[schedule.year]}"
            )
            continue
        schedules[schedule.year] = schedule
        sources[schedule.year] = path
    if problems:
        raise CalendarFileError(problems)
    return schedules


class CountryCalendar:
    """Public holidays of a country (and optional subdivision) via ``holidays``.

    A day is a working day unless its weekday is in ``weekend`` (Monday=0 ..
    Sunday=6; default Saturday and Sunday) or it is a public holiday,
    including the observed (substitute) days the ``holidays`` package lists
    by default, e.g. Friday 2026-07-03 for the US Independence Day.  Never
    provisional.  Unknown countries or subdivisions raise ``ValueError``.
    """

    def __init__(
        self,
        country: str,
        subdiv: str | None = None,
        weekend: frozenset[int] = frozenset({5, 6}),
    ) -> None:
        weekend = frozenset(weekend)
        if not weekend <= frozenset(range(7)):
            raise ValueError(f"weekend must contain weekday numbers 0..6, got {sorted(weekend)}")
        if len(weekend) == 7:
            raise ValueError("weekend cannot contain every day of the week")
        try:
            holidays.country_holidays(country, subdiv=subdiv)
        except NotImplementedError as exc:
            raise ValueError(
                f"unsupported country/subdivision {country!r}/{subdiv!r}: {exc}"
            ) from exc
        self.country = country
        self.subdiv = subdiv
        self.weekend = weekend
        self._years: dict[int, dict[date, str]] = {}
        self._cache: dict[date, DayInfo] = {}

    def __repr__(self) -> str:
        return f"CountryCalendar({self.country!r}, subdiv={self.subdiv!r})"

    def is_working_day(self, day: date) -> bool:
        return self.day_info(day).working

    def day_info(self, day: date) -> DayInfo:
        info = self._cache.get(day)
        if info is None:
            _check_day(day)
            table = self._years.get(day.year)
            if table is None:
                table = dict(
                    holidays.country_holidays(
                        self.country, subdiv=self.subdiv, years=day.year
                    ).items()
                )
                self._years[day.year] = table
            name = table.get(day)
            working = name is None and day.weekday() not in self.weekend
            info = DayInfo(day, working, False, name)
            self._cache[day] = info
        return info
