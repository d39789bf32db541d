"""Response schemas of the reports API (OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Schema


class ReportCountRowOut(Schema):
    code: str
    label: str
    count: int
    share: float | None = None
    depth: int | None = None


class ReportDimensionOut(Schema):
    code: str
    label: str
    rows: list[ReportCountRowOut]


class ReportTotalsOut(Schema):
    opened: int
    closed: int
    rejected: int
    withdrawn: int
    open_at_end: int
    repeats: int


class ReportClockRowOut(Schema):
    code: str
    label: str
    due: int
    met: int
    breached: int
    running: int
    paused: int
    extended: int
    on_time_rate: float | None


class ReportSatisfactionOut(Schema):
    answered: int
    mean_score: float | None
    rows: list[ReportCountRowOut]


class ReportCostKindOut(Schema):
    kind: str
    label: str
    currency: str
    counts_against_budget: bool
    amount: Decimal


class ReportCostOut(Schema):
    currency: str
    budget: Decimal | None
    spent: Decimal
    left: Decimal | None
    used_percent: float | None
    by_kind: list[ReportCostKindOut]


class ReportUnitOut(Schema):
    code: str
    label: str


class ReportUnitRowOut(Schema):
    code: str
    label: str
    depth: int
    opened: int
    finished: int
    open_at_end: int


class ReportUnitClockRowOut(Schema):
    code: str
    label: str
    depth: int
    due: int
    met: int
    breached: int
    running: int
    on_time_rate: float | None


class MonthlyReportOut(Schema):
    month: str
    timezone: str
    start: datetime
    end: datetime
    unit: ReportUnitOut | None = None
    totals: ReportTotalsOut
    dimensions: list[ReportDimensionOut]
    units: list[ReportUnitRowOut]
    clocks: list[ReportClockRowOut]
    satisfaction: ReportSatisfactionOut
    cost: ReportCostOut


class ReportDepartmentRowOut(Schema):
    code: str
    label: str
    due: int
    met: int
    breached: int
    running: int
    on_time_rate: float | None


class SlaReportOut(Schema):
    month: str
    timezone: str
    start: datetime
    end: datetime
    unit: ReportUnitOut | None = None
    clocks: list[ReportClockRowOut]
    departments: list[ReportDepartmentRowOut]
    units: list[ReportUnitClockRowOut]
