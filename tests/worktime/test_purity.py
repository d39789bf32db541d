"""The worktime package is a pure core: no Django, only a few libraries."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import complaintdesk.worktime as worktime

ALLOWED_THIRD_PARTY = {"chinese_calendar", "holidays", "yaml", "pydantic"}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_stdlib_and_allowed_libraries_are_imported() -> None:
    package_dir = Path(worktime.__file__).parent
    sources = sorted(package_dir.glob("*.py"))
    assert sources
    for source in sources:
        foreign = imported_roots(source) - set(sys.stdlib_module_names) - ALLOWED_THIRD_PARTY
        assert not foreign, f"{source.name} imports {sorted(foreign)}"


def test_public_api() -> None:
    expected = {
        "Unit",
        "DayInfo",
        "DayCalendar",
        "ChinaCalendar",
        "CountryCalendar",
        "load_calendar_file",
        "YearSchedule",
        "CalendarFileError",
        "WorkingPeriod",
        "Deadline",
        "WorkSchedule",
    }
    assert expected <= set(worktime.__all__)
    for name in worktime.__all__:
        assert hasattr(worktime, name)
    assert [u.value for u in worktime.Unit] == [
        "minutes",
        "hours",
        "calendar_days",
        "working_days",
        "working_hours",
        "working_minutes",
    ]
