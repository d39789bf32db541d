"""Response schemas of the reports API (OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Schema


class CountRowOut(Schema):
    code: str
    label: str
    count: int
    share: float | None = None
    depth: int | None = None


class DimensionOut(Schema):
    code: str
    label: str
    rows: list[CountRowOut]


class TotalsOut(Schema):
    opened: int
    closed: int
    rejected: int
    withdrawn: int
    open_at_end: int
    repeats: int


class ClockRowOut(Schema):
    code: str
    label: str
    due: int
    met: int
    breached: int
    running: int
    paused: int
    extended: int
    on_time_rate: float | None


class SatisfactionOut(Schema):
    answered: int
    mean_score: float | None
    rows: list[CountRowOut]


class CostKindOut(Schema):
    kind: str
    label: str
    currency: str
    counts_against_budget: bool
    amount: Decimal


class CostOut(Schema):
    currency: str
    budget: Decimal | None
    spent: Decimal
    left: Decimal | None
    used_percent: float | None
    by_kind: list[CostKindOut]


class MonthlyOut(Schema):
    month: str
    timezone: str
    start: datetime
    end: datetime
    totals: TotalsOut
    dimensions: list[DimensionOut]
    clocks: list[ClockRowOut]
    satisfaction: SatisfactionOut
    cost: CostOut


class DepartmentRowOut(Schema):
    code: str
    label: str
    due: int
    met: int
    breached: int
    running: int
    on_time_rate: float | None


class SlaOut(Schema):
    month: str
    timezone: str
    start: datetime
    end: datetime
    clocks: list[ClockRowOut]
    departments: list[DepartmentRowOut]
