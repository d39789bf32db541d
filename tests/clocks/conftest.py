"""Shares :mod:`workkit` (tests/complaints) with this directory."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

_KIT = str(Path(__file__).resolve().parent.parent / "complaints")
if _KIT not in sys.path:
    sys.path.insert(0, _KIT)

from workkit import table_only  # noqa: E402

__all__ = ["table_only"]


@pytest.fixture
def calendar_dir(settings: Any, tmp_path: Path) -> Iterator[Callable[[str, str], None]]:
    """An administrator's calendar directory: ``add(name, text)`` drops a calendar file into it and
    the calendars are reloaded."""
    from complaintdesk.core.calendars import reset_caches

    directory = tmp_path / "calendars"
    directory.mkdir()
    settings.COMPLAINTDESK_CALENDAR_DIR = directory
    reset_caches()

    def add(name: str, text: str) -> None:
        (directory / name).write_text(text, encoding="utf-8")
        reset_caches()

    yield add
    reset_caches()
