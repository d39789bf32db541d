"""Months in the organisation's time zone: ``2026-11`` in Asia/Shanghai starts at
2026-10-31 16:00 UTC. Every report filters ``[start, end)`` on aware datetimes, so the database
compares instants and the month boundary is the policy's, whatever the server's zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from complaintdesk.core.errors import FieldProblem, ValidationFailed

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    tz: ZoneInfo

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        return self.next().start

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def month_code(self) -> str | None:
        """The budget ledger's month (``YYYY-MM``) this period is, if it is a calendar month."""
        return self.code

    def next(self) -> Month:
        index = self.year * 12 + self.month
        return Month(index // 12, index % 12 + 1, self.tz)

    def previous(self) -> Month:
        index = self.year * 12 + self.month - 2
        return Month(index // 12, index % 12 + 1, self.tz)


def parse_month(value: str, tz: ZoneInfo, *, field: str = "month") -> Month:
    """``YYYY-MM`` → the month; a clear error naming ``field`` otherwise."""
    match = MONTH_RE.match((value or "").strip())
    if match is None:
        raise ValidationFailed([FieldProblem(field, _("Write the month as YYYY-MM, e.g. 2026-03."))])
    year = int(match.group(1))
    if year < 2000 or year > 2999:
        raise ValidationFailed([FieldProblem(field, _("Give a month between 2000-01 and 2999-12."))])
    return Month(year, int(match.group(2)), tz)


def month_of(moment: datetime, tz: ZoneInfo) -> Month:
    local = moment.astimezone(tz)
    return Month(local.year, local.month, tz)


@dataclass(frozen=True)
class Span:
    """Any run of whole days ``[first, last]`` in the zone (a week, a day, a quarter)."""

    first: date
    last: date
    tz: ZoneInfo

    @property
    def code(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def start(self) -> datetime:
        return datetime(self.first.year, self.first.month, self.first.day, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        after = self.last + timedelta(days=1)
        return datetime(after.year, after.month, after.day, tzinfo=self.tz)

    @property
    def month_code(self) -> str | None:
        if self.first.day == 1 and (self.last + timedelta(days=1)).day == 1 and self.first.month == self.last.month:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return None


Period = Month | Span
