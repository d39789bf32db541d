"""Shared fixtures for the pure worktime tests (no Django needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaintdesk.worktime import ChinaCalendar, CountryCalendar, WorkSchedule

DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def china() -> ChinaCalendar:
    """Official data from chinesecalendar only; 2027 is provisional."""
    return ChinaCalendar()


@pytest.fixture(scope="session")
def china_with_files() -> ChinaCalendar:
    """chinesecalendar plus the sample 2027 calendar file."""
    return ChinaCalendar(DATA_DIR)


@pytest.fixture(scope="session")
def shanghai(china: ChinaCalendar) -> WorkSchedule:
    return WorkSchedule(china, "Asia/Shanghai")


@pytest.fixture(scope="session")
def shanghai_with_files(china_with_files: ChinaCalendar) -> WorkSchedule:
    return WorkSchedule(china_with_files, "Asia/Shanghai")


@pytest.fixture(scope="session")
def london() -> WorkSchedule:
    return WorkSchedule(CountryCalendar("GB", subdiv="ENG"), "Europe/London")


@pytest.fixture(scope="session")
def new_york() -> WorkSchedule:
    return WorkSchedule(CountryCalendar("US"), "America/New_York")
