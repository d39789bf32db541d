"""Codes, roles, bilingual texts, durations, the calendar and the number format."""

from __future__ import annotations

import itertools
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=48)]


class Role(StrEnum):
    """The fixed roles of DOMAIN.md §2. A policy may rename them (``role_titles``)."""

    AGENT = "agent"
    SPECIALIST = "specialist"
    HANDLER = "handler"
    SUPERVISOR = "supervisor"
    QC_MANAGER = "qc_manager"
    CS_HEAD = "cs_head"
    VP = "vp"
    GM = "gm"
    LEGAL = "legal"
    QUALITY = "quality"
    ADMIN = "admin"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A string in both languages of the product."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.zh if language.lower().startswith("zh") else self.en


class Unit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    WORKING_MINUTES = "working_minutes"
    MONTHS = "months"
    YEARS = "years"


_UNIT_SUFFIXES = {
    "m": Unit.MINUTES,
    "min": Unit.MINUTES,
    "h": Unit.HOURS,
    "d": Unit.CALENDAR_DAYS,
    "wd": Unit.WORKING_DAYS,
    "wh": Unit.WORKING_HOURS,
    "wm": Unit.WORKING_MINUTES,
    "mo": Unit.MONTHS,
    "y": Unit.YEARS,
}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*([a-z]+)\s*$")
_CUTOFF_RE = re.compile(r"^\s*until\s+(\d\d:\d\d)(?:\s+else\s+(.+?))?\s*$")
_MONTHLY_RE = re.compile(r"^\s*on\s+day\s+(\d+)\s*$")
_CLOCK_TIME = r"^([01]\d|2[0-3]):[0-5]\d$"
# units whose period ends at the end of its last day (Civil Code arts. 201-203)
DAY_UNITS = frozenset({Unit.CALENDAR_DAYS, Unit.WORKING_DAYS, Unit.MONTHS, Unit.YEARS})


def _plain(value: str) -> dict[str, Any]:
    match = _DURATION_RE.match(value)
    if not match or match.group(2) not in _UNIT_SUFFIXES:
        raise ValueError(
            f"invalid duration {value!r}: write a whole number and a unit, one of "
            "m, h, d, wd (working days), wh (working hours), wm, mo (months), y — e.g. 24h or 3wd; "
            "or 'until 15:30' (same-day cut-off) or 'on day 5' (a day of the month)"
        )
    return {"amount": int(match.group(1)), "unit": _UNIT_SUFFIXES[match.group(2)]}


class Duration(Strict):
    """A deadline relative to an event. Forms (docs/policy.md, "Deadlines"):

    * ``24h``, ``90m``: exact durations; ``2wh``, ``30wm``: working time, counted exactly;
    * ``7d``, ``2wd``, ``1mo``, ``2y``: periods of days — the day of the event does not count and
      the period ends at 24:00 of its last day, or at the end of the working hours of its last
      working day (Civil Code arts. 201–203);
    * ``{same_day_until: "15:30"}`` (also ``until 15:30``): an event on a working day before 15:30
      is due at 15:30 that day, a later one by the end of the next working day (``otherwise``, any
      period, default ``1wd``; ``until 15:30 else 2wd``);
    * ``{monthly_on: 5}`` (also ``on day 5``): 24:00 of the next 5th of a month after the event.

    ``{amount: 3, unit: working_days}`` is the long form of ``3wd``."""

    amount: int = Field(default=0, ge=0)
    unit: Unit = Unit.CALENDAR_DAYS
    same_day_until: str | None = Field(default=None, pattern=_CLOCK_TIME)
    monthly_on: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="before")
    @classmethod
    def _parse_short(cls, value: Any) -> Any:
        if isinstance(value, str):
            cutoff = _CUTOFF_RE.match(value)
            if cutoff:
                parsed = _plain(cutoff.group(2)) if cutoff.group(2) else {"amount": 1, "unit": Unit.WORKING_DAYS}
                return {**parsed, "same_day_until": cutoff.group(1)}
            monthly = _MONTHLY_RE.match(value)
            if monthly:
                return {"monthly_on": int(monthly.group(1))}
            return _plain(value)
        if isinstance(value, dict):
            if "same_day_until" in value and "otherwise" in value:
                if "amount" in value or "unit" in value:
                    raise ValueError("write either otherwise or amount and unit with same_day_until")
                rest = {k: v for k, v in value.items() if k != "otherwise"}
                otherwise = value["otherwise"]
                if not isinstance(otherwise, str):
                    raise ValueError("otherwise is a period such as 1wd or 2d")
                return {**rest, **_plain(otherwise)}
            if "same_day_until" in value and "amount" not in value and "unit" not in value:
                return {**value, "amount": 1, "unit": Unit.WORKING_DAYS}
            if "amount" in value and "unit" not in value:
                raise ValueError("a duration with an amount needs its unit (e.g. working_days)")
            if "amount" not in value and "monthly_on" not in value and "same_day_until" not in value:
                raise ValueError("a duration needs an amount and a unit, same_day_until or monthly_on")
        return value

    @model_validator(mode="after")
    def _one_form(self) -> Duration:
        if self.monthly_on is not None and (self.same_day_until is not None or self.amount):
            raise ValueError("monthly_on stands alone: no amount, unit or same_day_until with it")
        if self.same_day_until is not None and self.unit not in DAY_UNITS:
            raise ValueError("after a same-day cut-off the deadline is a period of days (e.g. 1wd), not "
                             f"{self.amount} {self.unit.value}")
        return self

    def __str__(self) -> str:
        if self.monthly_on is not None:
            return f"on day {self.monthly_on}"
        short = {v: k for k, v in _UNIT_SUFFIXES.items() if k != "min"}
        plain = f"{self.amount}{short[self.unit]}"
        if self.same_day_until is not None:
            return f"until {self.same_day_until} else {plain}"
        return plain

    @property
    def is_working(self) -> bool:
        return self.monthly_on is None and self.unit in {
            Unit.WORKING_DAYS,
            Unit.WORKING_HOURS,
            Unit.WORKING_MINUTES,
        }

    @property
    def is_plain(self) -> bool:
        """An amount of a unit, without a cut-off or a day of the month."""
        return self.monthly_on is None and self.same_day_until is None

    @property
    def ends_at_end_of_day(self) -> bool:
        """Whether the deadline falls at the end of a day (or of its working hours)."""
        return self.monthly_on is not None or self.unit in DAY_UNITS


class Period(Strict):
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start >= self.end:
            raise ValueError(f"working period {self.start}-{self.end}: start must be before end")
        return self


class CalendarSpec(Strict):
    """Which days are working days and when the working day runs."""

    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")
    subdivision: str | None = None
    working_hours: list[Period] = Field(
        default_factory=lambda: [
            Period(start="09:00", end="12:00"),
            Period(start="13:00", end="18:00"),
        ],
        min_length=1,
    )

    @model_validator(mode="after")
    def _no_overlap(self) -> CalendarSpec:
        periods = sorted(self.working_hours, key=lambda p: p.start)
        for before, after in itertools.pairwise(periods):
            if after.start < before.end:
                raise ValueError(f"working periods {before.start}-{before.end} and {after.start}-{after.end} overlap")
        return self


class NumberFormat(Strict):
    """Complaint numbers: ``pattern`` may use ``{prefix}``, ``{unit}`` (the receiving unit's number
    prefix, or ``prefix`` for a unit without one; each unit then counts on its own), ``{date:%Y%m%d}``
    and ``{seq:04d}``."""

    prefix: str = Field(pattern=r"^[A-Z0-9]{1,8}$")
    pattern: str = "{prefix}-{date:%Y%m%d}-{seq:04d}"
    reset: Literal["daily", "monthly", "yearly", "never"] = "daily"

    @field_validator("pattern")
    @classmethod
    def _has_seq(cls, value: str) -> str:
        if "{seq" not in value:
            raise ValueError("the number pattern must contain {seq…} so that numbers are unique")
        return value


