"""YAML calendar files: official yearly schedules added by administrators.

A calendar file describes the official holidays and adjusted working days
(调休) of one country for one year.  Administrators drop such files into the
calendar directory (see :class:`~complaintdesk.worktime.ChinaCalendar`) as
soon as the government publishes the schedule; no code change is needed.

File format (UTF-8 YAML, one file per country and year, e.g. ``cn-2027.yaml``)::

    country: CN              # ISO 3166 country code (required)
    year: 2027               # the year the file describes (required)
    holidays:                # days off; each entry is a date or a range, with a name
      - {date: 2027-01-01, name: 元旦}
      - {from: 2027-02-05, to: 2027-02-11, name: 春节}    # inclusive range
    workdays:                # weekend days that are working days (调休)
      - {date: 2027-02-20, name: 春节调休}

Meaning of a file: a day listed under ``holidays`` is a day off, a day listed
under ``workdays`` is a working day, and every other day follows the normal
week (Monday to Friday working, Saturday and Sunday off).  Holidays may fall
on weekends (ranges usually include them).

Rules (every violation is reported, each as ``path:line: message``):

* the top level is a mapping with exactly the keys ``country``, ``year``,
  ``holidays`` and ``workdays``; ``country`` and ``year`` are required, the
  two lists may be omitted or empty;
* an entry is a mapping with either ``date`` or ``from`` + ``to``, plus a
  non-empty ``name``; unknown keys are errors;
* dates are written ``YYYY-MM-DD`` and must be real dates; ``from`` may not
  be after ``to``;
* every date must lie in ``year``;
* a date may not be listed twice, nor be both a holiday and a workday;
* workdays must be Saturdays or Sundays (a weekday is a working day anyway).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

import yaml

__all__ = ["CalendarFileError", "YearSchedule", "load_calendar_file"]

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_YEAR_RE = re.compile(r"[0-9]{4}\Z")
_COUNTRY_RE = re.compile(r"[A-Za-z]{2,3}\Z")
_TOP_KEYS = ("country", "year", "holidays", "workdays")
_ENTRY_KEYS = ("date", "from", "to", "name")
_NULL_TAG = "tag:yaml.org,2002:null"


class CalendarFileError(ValueError):
    """A calendar file is invalid.

    The message lists every problem found, one per line, each formatted as
    ``path:line: message``; the same strings are available in ``problems``.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class YearSchedule:
    """The official schedule of one year, as read from a calendar file.

    ``holidays`` maps days off to their names; ``workdays`` maps weekend days
    that are working days (调休) to their names.
    """

    year: int
    country: str
    holidays: dict[date, str]
    workdays: dict[date, str]

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` (which must lie in ``year``) is a working day."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


@dataclass
class _Entry:
    line: int
    name: str
    dates: list[date]


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[tuple[int, str]] = []

    def error(self, where: yaml.Node | int, message: str) -> None:
        line = where if isinstance(where, int) else where.start_mark.line + 1
        self.problems.append((line, message))

    def fail(self) -> NoReturn:
        ordered = sorted(self.problems, key=lambda item: item[0]) or [(1, "invalid file")]
        raise CalendarFileError([f"{self.path}:{line}: {msg}" for line, msg in ordered])

    # -- scalars -----------------------------------------------------------

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL_TAG:
            self.error(node, f"{what} must be a single value")
            return None
        value: str = node.value
        return value

    def parse_date(self, node: yaml.Node, what: str) -> date | None:
        text = self.scalar(node, what)
        if text is None:
            return None
        if not _DATE_RE.match(text):
            self.error(node, f"bad date {text!r} for {what!r}: expected YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            self.error(node, f"bad date {text!r} for {what!r}: {exc}")
            return None

    # -- structure ---------------------------------------------------------

    def mapping(
        self, node: yaml.MappingNode, allowed: Sequence[str], context: str
    ) -> dict[str, yaml.Node]:
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key not in allowed:
                shown = key if isinstance(key, str) else "<complex key>"
                self.error(
                    key_node,
                    f"unknown key {shown!r} in {context} (allowed: {', '.join(allowed)})",
                )
                continue
            if key in result:
                self.error(key_node, f"duplicate key {key!r} in {context}")
                continue
            result[key] = value_node
        return result

    def entries(self, node: yaml.Node | None, section: str) -> list[_Entry]:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{section!r} must be a list of entries")
            return []
        result: list[_Entry] = []
        for item in node.value:
            entry = self.entry(item, section)
            if entry is not None:
                result.append(entry)
        return result

    def entry(self, node: yaml.Node, section: str) -> _Entry | None:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"each entry of {section!r} must be a mapping with a date and a name")
            return None
        fields = self.mapping(node, _ENTRY_KEYS, f"{section} entry")
        ok = True

        name: str | None = None
        if "name" not in fields:
            self.error(line, f"{section} entry has no 'name'")
            ok = False
        else:
            raw = self.scalar(fields["name"], "name")
            name = raw.strip() if raw is not None else None
            if raw is not None and not name:
                self.error(fields["name"], "'name' must not be empty")
            ok = ok and bool(name)

        has_date = "date" in fields
        has_range = "from" in fields or "to" in fields
        dates: list[date] = []
        if has_date and has_range:
            self.error(line, f"{section} entry must use either 'date' or 'from'/'to', not both")
            ok = False
        elif has_date:
            day = self.parse_date(fields["date"], "date")
            if day is None:
                ok = False
            else:
                dates = [day]
        elif has_range:
            if "from" not in fields or "to" not in fields:
                missing = "from" if "from" not in fields else "to"
                self.error(line, f"{section} range has no {missing!r}")
                ok = False
            else:
                first = self.parse_date(fields["from"], "from")
                last = self.parse_date(fields["to"], "to")
                if first is None or last is None:
                    ok = False
                elif first > last:
                    self.error(line, f"range 'from' {first} is after 'to' {last}")
                    ok = False
                elif last.year != first.year:
                    # Reported against the year below; do not expand huge ranges.
                    dates = [first, last]
                else:
                    dates = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        else:
            self.error(line, f"{section} entry needs 'date' or 'from'/'to'")
            ok = False

        if not ok or name is None:
            return None
        return _Entry(line=line, name=name, dates=dates)


def load_calendar_file(path: Path) -> YearSchedule:
    """Parse and validate one YAML calendar file (format: see the module docstring).

    Raises :class:`CalendarFileError` listing every problem as
    ``path:line: message``.  I/O errors (missing file, no permission) are
    propagated unchanged.
    """
    path = Path(path)
    parser = _Parser(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CalendarFileError([f"{path}:1: file is not valid UTF-8 ({exc.reason})"]) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        detail = exc.problem or exc.context or "syntax error"
        raise CalendarFileError([f"{path}:{line}: invalid YAML: {detail}"]) from exc
    except yaml.YAMLError as exc:
        raise CalendarFileError([f"{path}:1: invalid YAML: {exc}"]) from exc

    if root is None:
        raise CalendarFileError([f"{path}:1: file is empty"])
    if not isinstance(root, yaml.MappingNode):
        parser.error(root, "the file must be a mapping with keys " + ", ".join(_TOP_KEYS))
        parser.fail()

    top = parser.mapping(root, _TOP_KEYS, "calendar file")

    country: str | None = None
    if "country" not in top:
        parser.error(1, "missing required key 'country'")
    else:
        raw_country = parser.scalar(top["country"], "country")
        if raw_country is not None:
            if _COUNTRY_RE.match(raw_country):
                country = raw_country.upper()
            else:
                parser.error(
                    top["country"], f"bad country {raw_country!r}: expected a code such as CN"
                )

    year: int | None = None
    if "year" not in top:
        parser.error(1, "missing required key 'year'")
    else:
        raw_year = parser.scalar(top["year"], "year")
        if raw_year is not None:
            if _YEAR_RE.match(raw_year) and int(raw_year) >= 1:
                year = int(raw_year)
            else:
                parser.error(top["year"], f"bad year {raw_year!r}: expected a four-digit year")

    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    holiday_lines: dict[date, int] = {}
    workday_lines: dict[date, int] = {}

    for section, target, lines in (
        ("holidays", holidays, holiday_lines),
        ("workdays", workdays, workday_lines),
    ):
        for entry in parser.entries(top.get(section), section):
            if year is not None and any(day.year != year for day in entry.dates):
                if len(entry.dates) == 1:
                    parser.error(entry.line, f"date {entry.dates[0]} is outside year {year}")
                else:
                    parser.error(
                        entry.line,
                        f"range {entry.dates[0]}..{entry.dates[-1]} is not inside year {year}",
                    )
                continue
            for day in entry.dates:
                if day in lines:
                    parser.error(
                        entry.line,
                        f"{day} is listed twice in {section!r} (first at line {lines[day]})",
                    )
                    continue
                if section == "workdays":
                    if day in holiday_lines:
                        parser.error(
                            entry.line,
                            f"{day} is both a holiday (line {holiday_lines[day]}) and a workday",
                        )
                        continue
                    if day.weekday() < 5:
                        parser.error(
                            entry.line,
                            f"workday {day} is a {day.strftime('%A')}; only Saturdays and "
                            "Sundays can be listed as workdays",
                        )
                        continue
                lines[day] = entry.line
                target[day] = entry.name

    if parser.problems or country is None or year is None:
        parser.fail()
    return YearSchedule(
        year=year,
        country=country,
        holidays=dict(sorted(holidays.items())),
        workdays=dict(sorted(workdays.items())),
    )
