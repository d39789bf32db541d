"""The dashboard's figures: each chart one or two SQL aggregates over the filtered complaints.

Filters: a period of days ``[from, to]`` (inclusive, in the policy's time zone; default the last
twelve weeks), a level, a category, a department (complaints with a work order to it) and a unit
(that unit and everything below it); always only the reader's units. The open-complaints chart
shows the complaints open now, whatever the period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from complaintdesk.accounts.models import Department
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.core.errors import Problems, ValidationFailed
from complaintdesk.policy.schema import Policy
from complaintdesk.reports.labels import label_of, level_rank, order_of, reason_path_label
from complaintdesk.reports.periods import Month, month_of
from complaintdesk.reports.scope import EVERYTHING, ReportScope, report_scope
from complaintdesk.reports.selectors.common import share
from complaintdesk.reports.selectors.daily import FACT, FINAL, Line
from complaintdesk.reports.selectors.monthly import clock_table, counts_by, ledger_of
from complaintdesk.reports.selectors.sla import work_order_table
from complaintdesk.reports.selectors.summary import Reading
from complaintdesk.resolutions.models import BudgetEntry
from complaintdesk.units.models import root_unit
from complaintdesk.units.policies import unit_policy

DEFAULT_WEEKS = 12
MAX_DAYS = 731
DASHBOARD_FACTS = (FACT.REGISTERED, FACT.ROOT_CAUSE, FACT.CLOCK, FACT.WORK_ORDER, FACT.VISIT)
AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 1), (1, 3), (3, 7), (7, 30), (30, None))


@dataclass(frozen=True)
class Filters:
    first: date
    last: date
    tz: ZoneInfo
    level: str = ""
    category: str = ""
    department: str = ""
    scope: ReportScope = field(default=EVERYTHING, compare=False)

    @property
    def unit(self) -> str:
        return self.scope.code

    @property
    def start(self) -> datetime:
        return datetime(self.first.year, self.first.month, self.first.day, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        after = self.last + timedelta(days=1)
        return datetime(after.year, after.month, after.day, tzinfo=self.tz)

    def complaints(self, prefix: str = "") -> Q:
        """The filter on complaints; ``prefix`` is the path to the complaint (``complaint__``)."""
        q = self.scope.complaints(prefix)
        if self.level:
            q &= Q(**{f"{prefix}level": self.level})
        if self.category:
            q &= Q(**{f"{prefix}category": self.category})
        if self.department:
            with_orders = WorkOrder.objects.filter(department__code=self.department).values("complaint_id")
            q &= Q(**{f"{prefix}id__in": with_orders})
        return q

    def as_query(self) -> dict[str, str]:
        out = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        for key in ("level", "category", "department", "unit"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


def _day(value: str, field: str, problems: Problems) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.add(field, _("Give the date as YYYY-MM-DD, for example 2026-11-30."))
        return None


def parse_filters(params: Mapping[str, str], policy: Policy, now: datetime, reader: Any = None) -> Filters:
    """The dashboard's filters from query parameters, within the reader's units; every bad one
    named in one error."""
    tz = ZoneInfo(policy.timezone)
    today = now.astimezone(tz).date()
    problems = Problems()
    last = _day(params["to"], "to", problems) if params.get("to", "").strip() else today
    first = (_day(params["from"], "from", problems) if params.get("from", "").strip()
             else (last or today) - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1))
    if first and last:
        if first > last:
            problems.add("from", _("The start of the period must not be after its end."))
        elif (last - first).days >= MAX_DAYS:
            problems.add("from", _("Choose a period of at most two years."))
    level = params.get("level", "").strip()
    if level and level not in {item.code for item in policy.levels}:
        problems.add("level", _("Choose one of the policy's levels."))
    category = params.get("category", "").strip()
    if category and category not in {item.code for item in policy.categories}:
        problems.add("category", _("Choose one of the policy's categories."))
    department = params.get("department", "").strip()
    if department and not Department.objects.filter(code=department).exists():
        problems.add("department", _("Choose one of the departments."))
    scope = ReportScope(reader=reader)
    try:
        scope = report_scope(reader, params.get("unit", ""))
    except ValidationFailed as exc:
        for problem in exc.problems:
            problems.add(problem.field, problem.message)
    problems.raise_if_any()
    assert first is not None and last is not None  # noqa: S101 (problems raised above otherwise)
    return Filters(first, last, tz, level, category, department, scope)


def reading_of(filters: Filters, now: datetime) -> Reading:
    """The summary lines of the period (decision 0009); a department filter reads the source rows
    (the summary has no department on a complaint's lines)."""
    return Reading(filters.tz, filters.first, filters.last, now, facts=DASHBOARD_FACTS, q=filters.complaints,
                   stored=not filters.department)


def trend(policy: Policy, filters: Filters, language: str, reading: Reading) -> dict[str, Any]:
    """Complaints registered per week (weeks start on Monday, in the policy's time zone) by level."""
    table: dict[tuple[date, str], int] = {}
    for line in reading.lines("day", "level", facts=[FACT.REGISTERED]):
        if line.fact == FACT.REGISTERED and line.day is not None:
            monday = line.day - timedelta(days=line.day.weekday())
            table[(monday, str(line.level))] = table.get((monday, str(line.level)), 0) + line.count
    monday = filters.first - timedelta(days=filters.first.weekday())
    weeks = []
    while monday <= filters.last:
        weeks.append(monday)
        monday += timedelta(days=7)
    ranks = level_rank(policy)
    levels = sorted({level for _week, level in table} | {lvl.code for lvl in policy.levels},
                    key=lambda code: (-ranks.get(code, -1), code))
    labels = {code: label_of(policy.levels, code, language) for code in levels}
    series = [{"name": labels[code], "code": code, "data": [table.get((week, code), 0) for week in weeks]}
              for code in levels]
    return {
        "code": "trend", "kind": "stacked_bar", "title": _("Complaints per week by level"),
        "categories": [week.isoformat() for week in weeks], "series": series,
        "columns": [_("Week from"), *[labels[c] for c in levels], _("Total")],
        "rows": [[week.isoformat(), *[table.get((week, c), 0) for c in levels],
                  sum(table.get((week, c), 0) for c in levels)] for week in weeks],
    }


def on_time(policy: Policy, lines: list[Line], language: str) -> dict[str, Any]:
    rows = clock_table(policy, lines, language)
    return {
        "code": "on_time", "kind": "rate_bar", "title": _("On-time rate per clock"),
        "categories": [row["label"] for row in rows],
        "series": [{"name": _("On-time rate"), "data": [row["on_time_rate"] for row in rows]}],
        "columns": [_("Clock"), _("Due"), _("Met"), _("Breached"), _("Still running"), _("On-time rate")],
        "rows": [[r["label"], r["due"], r["met"], r["breached"], r["running"],
                  "" if r["on_time_rate"] is None else f"{r['on_time_rate']} %"] for r in rows],
    }


def satisfaction(policy: Policy, lines: list[Line], language: str) -> dict[str, Any]:
    """Return visits answered in the period, by the satisfaction scale."""
    scale = policy.return_visit.scale if policy.return_visit else []
    counts = {str(code): n for code, n in counts_by(lines, FACT.VISIT)}
    position = order_of(scale)
    codes = sorted(counts, key=lambda c: (position.get(c, len(position)), c))
    total = sum(int(n) for n in counts.values())
    labels = [label_of(scale, code, language) for code in codes]
    return {
        "code": "satisfaction", "kind": "pie", "title": _("Satisfaction of the customers visited"),
        "categories": labels,
        "series": [{"name": _("Return visits answered"), "data": [int(counts[c]) for c in codes]}],
        "columns": [_("Satisfaction"), _("Return visits answered"), _("Share")],
        "rows": [[label, int(counts[c]), f"{share(int(counts[c]), total)} %"] for label, c in zip(labels, codes,
                                                                                                 strict=True)],
    }


def pareto(policy: Policy, lines: list[Line], language: str, *, top: int = 12) -> dict[str, Any]:
    """Root causes (full paths) of the complaints registered in the period, most frequent first,
    with the cumulative share; causes beyond ``top`` are summed as "others"."""
    counts: dict[tuple[str, ...], int] = {}
    for code, n in counts_by(lines, FACT.ROOT_CAUSE):
        key = tuple(part for part in (code or "").split("/") if part)
        if key:
            counts[key] = counts.get(key, 0) + n
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    items = [(reason_path_label(policy, path, language), n) for path, n in ordered[:top]]
    rest = sum(n for _path, n in ordered[top:])
    if rest:
        items.append((_("Others"), rest))
    total = sum(n for _label, n in items)
    cumulative, running = [], 0
    for _label, n in items:
        running += n
        cumulative.append(share(running, total))
    return {
        "code": "pareto", "kind": "pareto", "title": _("Pareto of root causes"),
        "categories": [label for label, _n in items],
        "series": [{"name": _("Complaints"), "data": [n for _label, n in items]},
                   {"name": _("Cumulative share"), "data": cumulative}],
        "columns": [_("Root cause"), _("Complaints"), _("Cumulative share")],
        "rows": [[label, n, f"{cum} %"] for (label, n), cum in zip(items, cumulative, strict=True)],
    }


def cost(policy: Policy, filters: Filters, language: str) -> dict[str, Any]:
    """Spend counted against the budget per month of the period, against the monthly budget of the
    scope's ledger (none for a part of a ledger). Under a policy without ``budget:`` nothing counts
    against a budget: then every approved cost in the policy's currency, reversals left out — what
    the organisation spent on solutions (docs/reports.md)."""
    months: list[Month] = []
    month = month_of(filters.start, filters.tz)
    while month.start < filters.end:
        months.append(month)
        month = month.next()
    ledger = ledger_of(filters.scope)
    own = None
    if ledger is not None:
        own = policy.budget if ledger.pk == root_unit().pk else unit_policy(ledger)[1].budget
    currency = own.currency if own else policy.currency
    entries = BudgetEntry.objects.filter(filters.complaints("complaint__"), month__in=[m.code for m in months],
                                         currency=currency, reversed_at__isnull=True)
    unbudgeted = own is None and policy.budget is None
    if not unbudgeted:
        entries = entries.filter(counts=True)
    if own is not None:
        entries = entries.filter(unit=ledger)
    spent = dict(entries.values_list("month").annotate(total=Sum("amount")).values_list("month", "total"))
    amounts = [float(Decimal(spent.get(m.code) or 0)) for m in months]
    if unbudgeted:
        return {
            "code": "cost", "kind": "cost", "title": _("Cost of solutions") + f" ({currency})",
            "categories": [m.code for m in months], "series": [{"name": _("Approved cost"), "data": amounts}],
            "columns": [_("Month"), _("Approved cost")],
            "rows": [[m.code, f"{amount:.2f}"] for m, amount in zip(months, amounts, strict=True)],
        }
    budget = own.monthly if own else None
    series: list[dict[str, Any]] = [{"name": _("Spent against the budget"), "data": amounts}]
    if budget is not None:
        series.append({"name": _("Monthly budget"), "data": [float(budget)] * len(months)})
    return {
        "code": "cost", "kind": "cost", "title": _("Cost against the budget") + f" ({currency})",
        "categories": [m.code for m in months], "series": series,
        "columns": [_("Month"), _("Spent against the budget"), _("Monthly budget"), _("Used")],
        "rows": [[m.code, f"{amount:.2f}", "" if budget is None else f"{budget:.2f}",
                  "" if budget is None else f"{share(int(amount * 100), int(budget * 100))} %"]
                 for m, amount in zip(months, amounts, strict=True)],
    }


def _age_label(low: int, high: int | None) -> str:
    if high is None:
        return _("over %(days)d days") % {"days": low}
    if low == 0:
        return _("up to %(days)d day") % {"days": high}
    return _("%(low)d–%(high)d days") % {"low": low, "high": high}


def open_by_age(policy: Policy, filters: Filters, now: datetime, language: str) -> dict[str, Any]:
    """Complaints open now (not closed, rejected or withdrawn), by age since registration and level."""
    aggregates = {}
    for index, (low, high) in enumerate(AGE_BUCKETS):
        condition = Q(registered_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(registered_at__gt=now - timedelta(days=high))
        aggregates[f"a{index}"] = Count("id", filter=condition)
    rows = (Complaint.objects.filter(filters.complaints()).exclude(status__in=FINAL)
            .values_list("level").annotate(**aggregates)
            .values_list("level", *aggregates))
    table = {row[0]: [int(n) for n in row[1:]] for row in rows}
    ranks = level_rank(policy)
    levels = sorted(set(table) | {lvl.code for lvl in policy.levels}, key=lambda code: (-ranks.get(code, -1), code))
    labels = {code: label_of(policy.levels, code, language) for code in levels}
    buckets = [_age_label(low, high) for low, high in AGE_BUCKETS]
    empty = [0] * len(AGE_BUCKETS)
    return {
        "code": "open_age", "kind": "stacked_bar", "title": _("Open complaints by age and level"),
        "categories": buckets,
        "series": [{"name": labels[c], "code": c, "data": table.get(c, empty)} for c in levels],
        "columns": [_("Age"), *[labels[c] for c in levels], _("Total")],
        "rows": [[bucket, *[table.get(c, empty)[i] for c in levels], sum(table.get(c, empty)[i] for c in levels)]
                 for i, bucket in enumerate(buckets)],
    }


def departments(lines: list[Line], language: str) -> dict[str, Any]:
    rows = work_order_table(lines, language)
    return {
        "code": "departments", "kind": "department", "title": _("Department work orders due in the period"),
        "categories": [row["label"] for row in rows],
        "series": [{"name": _("Met"), "data": [row["met"] for row in rows]},
                   {"name": _("Breached"), "data": [row["breached"] for row in rows]},
                   {"name": _("Still running"), "data": [row["running"] for row in rows]}],
        "columns": [_("Department"), _("Due"), _("Met"), _("Breached"), _("Still running"), _("On-time rate")],
        "rows": [[r["label"], r["due"], r["met"], r["breached"], r["running"],
                  "" if r["on_time_rate"] is None else f"{r['on_time_rate']} %"] for r in rows],
    }


def dashboard(policy: Policy, filters: Filters, *, now: datetime, language: str) -> list[dict[str, Any]]:
    """The charts of the dashboard, each with its table."""
    reading = reading_of(filters, now)
    lines = reading.lines("code")
    return [
        trend(policy, filters, language, reading),
        on_time(policy, lines, language),
        satisfaction(policy, lines, language),
        pareto(policy, lines, language),
        cost(policy, filters, language),
        open_by_age(policy, filters, now, language),
        departments(lines, language),
    ]
