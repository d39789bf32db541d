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
    YEARS = "years"


_UNIT_SUFFIXES = {
    "m": Unit.MINUTES,
    "min": Unit.MINUTES,
    "h": Unit.HOURS,
    "d": Unit.CALENDAR_DAYS,
    "wd": Unit.WORKING_DAYS,
    "wh": Unit.WORKING_HOURS,
    "wm": Unit.WORKING_MINUTES,
    "y": Unit.YEARS,
}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*([a-z]+)\s*$")


class Duration(Strict):
    """An amount of time. In YAML write ``24h``, ``3wd`` (working days), ``2wh`` (working hours),
    ``30m``, ``7d`` (calendar days), ``2y``; or ``{amount: 3, unit: working_days}``."""

    amount: int = Field(ge=0)
    unit: Unit

    @model_validator(mode="before")
    @classmethod
    def _parse_short(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _DURATION_RE.match(value)
            if not match or match.group(2) not in _UNIT_SUFFIXES:
                raise ValueError(
                    f"invalid duration {value!r}: write a whole number and a unit, one of "
                    "m, h, d, wd (working days), wh (working hours), wm, y — e.g. 24h or 3wd"
                )
            return {"amount": int(match.group(1)), "unit": _UNIT_SUFFIXES[match.group(2)]}
        return value

    def __str__(self) -> str:
        short = {v: k for k, v in _UNIT_SUFFIXES.items() if k != "min"}
        return f"{self.amount}{short[self.unit]}"

    @property
    def is_working(self) -> bool:
        return self.unit in {Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.WORKING_MINUTES}


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
    """Complaint numbers: ``pattern`` may use ``{prefix}``, ``{date:%Y%m%d}`` and ``{seq:04d}``."""

    prefix: str = Field(pattern=r"^[A-Z0-9]{1,8}$")
    pattern: str = "{prefix}-{date:%Y%m%d}-{seq:04d}"
    reset: Literal["daily", "monthly", "yearly", "never"] = "daily"

    @field_validator("pattern")
    @classmethod
    def _has_seq(cls, value: str) -> str:
        if "{seq" not in value:
            raise ValueError("the number pattern must contain {seq…} so that numbers are unique")
        return value


