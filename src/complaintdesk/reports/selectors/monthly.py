"""Monthly classification statistics (DOMAIN.md §11; seed 001 §3.4): every figure of one month,
counted over ``[month start, next month start)`` in the policy's time zone.

The definitions are in docs/reports.md; in short: the dimensions count the complaints *registered*
in the month; ``closed`` counts the complaints whose final transition (close, reject, withdraw)
fell in the month; clocks count the deadlines *due* in the month; satisfaction counts the return
visits answered in the month; cost is the budget ledger of the month. The counts come from the
daily summary (decision 0009): stored lines for the days summarised and unchanged since, SQL
aggregates over the source rows for the others (:mod:`complaintdesk.reports.selectors.summary`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.accounts.models import Department
from complaintdesk.complaints.models import Complaint
from complaintdesk.followup.models import Judgement
from complaintdesk.policy.schema import Policy
from complaintdesk.reports.labels import Labelled, label_of, level_rank, order_of, reason_path_label
from complaintdesk.reports.periods import Period, Span
from complaintdesk.reports.scope import EVERYTHING, ReportScope, tree_key
from complaintdesk.reports.selectors.common import rate, rows_from_counts, share
from complaintdesk.reports.selectors.daily import ACTIVE_CLOCK, ALL_FACTS, FACT, FINAL, REASON_DEPTH, Line
from complaintdesk.reports.selectors.summary import Reading
from complaintdesk.resolutions.models import BudgetEntry
from complaintdesk.units.models import Unit, root_unit
from complaintdesk.units.policies import unit_policy
from complaintdesk.units.scope import reaches, top_paths

S = Complaint.Status
__all__ = ["ACTIVE_CLOCK", "FINAL", "REASON_DEPTH", "monthly_statistics"]


# the figures the report breaks down by the complaint's level, category and unit
BY_COMPLAINT = sorted(ALL_FACTS - {FACT.CLOCK, FACT.WORK_ORDER, FACT.VISIT})


def month_reading(period: Period, now: datetime, scope: ReportScope = EVERYTHING) -> Reading:
    """Every line of the month's days, stored and live (decision 0009)."""
    first, last = days_of(period)
    return Reading(period.tz, first, last, now, facts=sorted(ALL_FACTS), q=scope.complaints)


def days_of(period: Period) -> tuple[date, date]:
    """The first and last day of a month or a run of days."""
    if isinstance(period, Span):
        return period.first, period.last
    return period.first_day, period.last_day


def open_at_end_by_unit(period: Period, now: datetime, scope: ReportScope = EVERYTHING, *,
                        reading: Reading | None = None) -> dict[int, int]:
    """Per unit: complaints registered before the end of the period whose ``closed_at`` is empty or
    after it — every registration before the end less every final transition before it (nothing
    is closed before it is registered). With the period's own ``reading``, the days before the
    period are read on their own (whole months: their monthly lines) and the period's days from
    that reading, so nothing the period reads live is read twice."""
    first, last = days_of(period)
    facts = [FACT.REGISTERED, FACT.FINISHED]
    parts: list[list[Line]] = []
    if reading is not None and reading.first == first and reading.last == last:
        before = Reading(period.tz, None, first - timedelta(days=1), now, facts=facts, q=scope.complaints)
        parts = [before.lines("unit_id"), reading.lines("unit_id", facts=facts)]
    else:
        parts = [Reading(period.tz, None, last, now, facts=facts, q=scope.complaints).lines("unit_id")]
    out: dict[int, int] = {}
    for lines in parts:
        for line in lines:
            sign = 1 if line.fact == FACT.REGISTERED else -1
            out[int(line.unit_id or 0)] = out.get(int(line.unit_id or 0), 0) + sign * line.count
    return out


def totals(month: Period, scope: ReportScope = EVERYTHING, *, now: datetime | None = None,
           reading: Reading | None = None, open_by_unit: dict[int, int] | None = None) -> dict[str, int]:
    """Opened, finished (closed / rejected / withdrawn) in the month, open at its end, repeats."""
    now = now or timezone.now()
    reading = reading or month_reading(month, now, scope)
    lines = reading.lines("code")
    finished = {str(line.code): line.count for line in lines if line.fact == FACT.FINISHED}
    if open_by_unit is None:
        open_by_unit = open_at_end_by_unit(month, now, scope, reading=reading)
    return {
        "opened": sum(line.count for line in lines if line.fact == FACT.REGISTERED),
        "closed": int(finished.get(S.CLOSED, 0)),
        "rejected": int(finished.get(S.REJECTED, 0)),
        "withdrawn": int(finished.get(S.WITHDRAWN, 0)),
        "open_at_end": sum(open_by_unit.values()),
        "repeats": sum(line.count for line in lines if line.fact == FACT.REPEAT),
    }


def counts_by(lines: Sequence[Line], fact: str, key: str = "code") -> list[tuple[str | None, int]]:
    """``[(value of key, count)]`` of the lines of ``fact``."""
    out: dict[str | None, int] = {}
    for line in lines:
        if line.fact == fact:
            value = getattr(line, key)
            out[value] = out.get(value, 0) + line.count
    return list(out.items())


def coded_rows(items: Sequence[Labelled], counts: Sequence[tuple[str | None, int]] | Sequence[tuple[str, int]],
               total: int, language: str) -> list[dict[str, Any]]:
    """Rows of codes the policy lists, in the policy's order (unknown codes after them)."""
    position = order_of(items)
    return rows_from_counts(counts, total=total, label=lambda c: label_of(items, c, language),
                            order=lambda c: (position.get(c or "", len(position)), c or ""))


def path_rows(policy: Policy, counts: Sequence[tuple[str | None, int]], total: int,
              language: str) -> list[dict[str, Any]]:
    """Counts of full reason paths (codes joined by "/") → a row at every level of every path, each
    path adding its count to every prefix of itself; no path counts as "(not determined yet)"."""
    by_prefix: dict[tuple[str, ...], int] = {}
    for path, count in counts:
        codes = tuple(code for code in (path or "").split("/") if code)[:REASON_DEPTH]
        if not codes:
            by_prefix[()] = by_prefix.get((), 0) + count
            continue
        for depth in range(1, len(codes) + 1):
            by_prefix[codes[:depth]] = by_prefix.get(codes[:depth], 0) + count
    rows = []
    for prefix in sorted(by_prefix, key=lambda p: (not p, p)):
        count = by_prefix[prefix]
        rows.append({
            "code": "/".join(prefix),
            "depth": len(prefix),
            "label": reason_path_label(policy, prefix, language) if prefix else _("(not determined yet)"),
            "count": count,
            "share": share(count, total),
        })
    return rows


def by_tree_path(row: Sequence[Any]) -> tuple[int, ...]:
    """Rows whose fourth value is a unit's path, in tree order."""
    return tree_key(str(row[3]))


def units_named(ids: Sequence[int | None]) -> dict[int, tuple[str, str, str, str]]:
    """Unit id → (code, Chinese name, English name, path)."""
    return {pk: (code, zh, en, path) for pk, code, zh, en, path in
            Unit.objects.filter(pk__in=[i for i in ids if i is not None])
            .values_list("pk", "code", "name_zh", "name_en", "path")}


def unit_rows(counts: Sequence[tuple[str | None, int]], total: int, language: str) -> list[dict[str, Any]]:
    """Complaints per unit that received them (``counts`` by unit id), in tree order (``depth`` for
    indenting)."""
    zh = language.startswith("zh")
    names = units_named([int(pk) if pk is not None else None for pk, _n in counts])
    rows = [(*names[int(pk)], n) for pk, n in counts if pk is not None and int(pk) in names and n]
    return [{"code": code, "label": name_zh if zh else name_en, "count": int(n), "share": share(int(n), total),
             "depth": path.count("/") - 2} for code, name_zh, name_en, path, n in sorted(rows, key=by_tree_path)]


def dimensions(policy: Policy, month: Period, total: int, language: str, scope: ReportScope = EVERYTHING, *,
               reading: Reading | None = None, now: datetime | None = None) -> list[dict[str, Any]]:
    reading = reading or month_reading(month, now or timezone.now(), scope)
    every = reading.lines("code", "level", "category", "unit_id", facts=BY_COMPLAINT)
    by_fact: dict[str, list[Line]] = {}
    for line in every:
        by_fact.setdefault(line.fact, []).append(line)

    def count(fact: str, key: str = "code") -> list[tuple[str | None, int]]:
        return counts_by(by_fact.get(fact, []), fact, key)

    ranks = level_rank(policy)
    out: list[dict[str, Any]] = []

    def add(code: str, title: str, rows: list[dict[str, Any]]) -> None:
        out.append({"code": code, "label": title, "rows": rows})

    add("level", _("Level"), rows_from_counts(
        count(FACT.REGISTERED, "level"), total=total, label=lambda c: label_of(policy.levels, c, language),
        order=lambda c: (-ranks.get(c or "", -1), c or "")))
    add("category", _("Category"), coded_rows(policy.categories, count(FACT.REGISTERED, "category"),
                                              total, language))
    add("channel", _("Channel"), coded_rows(policy.channels, count(FACT.REGISTERED), total, language))
    add("target", _("Target"), coded_rows(policy.targets, count(FACT.TARGET), total, language))
    departments = dict(count(FACT.DEPARTMENT))
    names = {code: (zh, en) for code, zh, en in
             Department.objects.filter(code__in=list(departments)).values_list("code", "name_zh", "name_en")}
    zh = language.startswith("zh")
    add("department", _("Department"), [
        {"code": code, "label": names.get(str(code), (code, code))[0 if zh else 1], "count": int(n),
         "share": share(int(n), total)} for code, n in sorted(departments.items(), key=lambda item: str(item[0]))])
    validity_labels = dict(Judgement.Validity.choices)
    add("validity", _("Validity"), rows_from_counts(
        count(FACT.VALIDITY), total=total, label=lambda c: str(validity_labels.get(c or "", c or "")),
        order=lambda c: (0 if c == Judgement.Validity.VALID else 1)))
    add("responsibility", _("Responsibility"), rows_from_counts(
        count(FACT.FAULT), total=total,
        label=lambda c: _("Company at fault") if c == "company" else _("No fault of the company"),
        order=lambda c: (0 if c == "company" else 1)))
    add("reason", _("Reason at registration"), path_rows(policy, count(FACT.REASON), total, language))
    add("root_cause", _("Root cause"), path_rows(policy, count(FACT.ROOT_CAUSE), total, language))
    add("product_model", _("Product model"), sorted(rows_from_counts(
        count(FACT.MODEL), total=total,
        label=lambda c: c or _("(not given)"), order=lambda c: c or ""), key=lambda r: (-r["count"], r["code"])))
    unit_counts = [(str(pk) if pk is not None else None, n) for pk, n in count(FACT.REGISTERED, "unit_id")]
    add("unit", _("Unit"), unit_rows(unit_counts, total, language))
    return out


def clock_table(policy: Policy, lines: Sequence[Line], language: str) -> list[dict[str, Any]]:
    """Per clock: the deadlines due, met (stopped in time), breached (marked breached, stopped late,
    or still running past due), still running before their due time; paused and extended at least
    once. The on-time rate is met / (met + breached)."""
    rows: dict[str, list[int]] = {}
    for line in lines:
        if line.fact == FACT.CLOCK:
            found = rows.setdefault(str(line.code), [0] * 6)
            for index, value in enumerate((line.count, line.met, line.breached, line.running, line.paused,
                                           line.extended)):
                found[index] += value
    position = order_of(policy.clocks)
    out: list[dict[str, Any]] = []
    for code, (due, met, breached, running, paused, extended) in rows.items():
        out.append({"code": code, "label": label_of(policy.clocks, code, language), "due": due, "met": met,
                    "breached": breached, "running": running, "paused": paused, "extended": extended,
                    "on_time_rate": rate(met, met + breached)})
    out.sort(key=lambda row: (position.get(row["code"], len(position)), row["code"]))
    return out


def satisfaction_table(policy: Policy, lines: Sequence[Line], language: str) -> dict[str, Any]:
    scale = policy.return_visit.scale if policy.return_visit else []
    visits = [line for line in lines if line.fact == FACT.VISIT]
    counts = counts_by(visits, FACT.VISIT)
    total = sum(n for _code, n in counts)
    scored = sum(line.scored for line in visits)
    mean = sum(line.score_sum for line in visits) / scored if scored else None
    return {"answered": total, "mean_score": round(float(mean), 2) if mean is not None else None,
            "rows": coded_rows(scale, counts, total, language)}


def ledger_of(scope: ReportScope) -> Unit | None:
    """The budget a scope's cost is compared with: the filtered unit's own ledger (head office or a
    unit with its own policy version), head office's for a reader of the whole tree, the reader's
    unit's own for a reader of one such unit; None when the scope is part of a ledger only (a store
    that draws on its region's budget)."""
    root = root_unit()
    if scope.unit is not None:
        return scope.unit if scope.unit.pk == root.pk or scope.unit.policy_version_id is not None else None
    if scope.reader is None or reaches(scope.reader, root):
        return root
    tops = list(Unit.objects.filter(path__in=top_paths(scope.reader)))
    if len(tops) == 1 and tops[0].policy_version_id is not None:
        return tops[0]
    return None


def cost(policy: Policy, month: Period, language: str, scope: ReportScope = EVERYTHING) -> dict[str, Any]:
    """The month's budget ledger (approved plans' cost lines, petty-cash payouts; reversals left
    out) of the scope's complaints, by kind and currency, against the monthly budget of the scope's
    ledger (:func:`ledger_of`)."""
    ledger = BudgetEntry.objects.filter(scope.complaints("complaint__"), reversed_at__isnull=True)
    # a calendar month reads the ledger's month column (indexed); another period its instants
    ledger = (ledger.filter(month=month.month_code) if month.month_code
              else ledger.filter(at__gte=month.start, at__lt=month.end))
    entries = (ledger
               .values_list("kind", "currency", "counts").annotate(total=Sum("amount"))
               .values_list("kind", "currency", "counts", "total").order_by("kind", "currency", "counts"))
    position = order_of(policy.cost_kinds)
    lines = sorted(((str(kind), str(currency), bool(counts), Decimal(total).quantize(Decimal("0.01")))
                    for kind, currency, counts, total in entries),
                   key=lambda line: (position.get(line[0], len(position)), line[0], line[1], line[2]))
    kinds = [{"kind": kind, "label": label_of(policy.cost_kinds, kind, language), "currency": currency,
              "counts_against_budget": counts, "amount": amount} for kind, currency, counts, amount in lines]
    unit = ledger_of(scope)
    budget = None
    if unit is not None:
        budget = policy.budget if unit.pk == root_unit().pk else unit_policy(unit)[1].budget
    if budget is None or unit is None:
        spent = sum((amount for _k, currency, counts, amount in lines if counts and currency == policy.currency),
                    Decimal("0.00"))
        return {"currency": policy.currency, "budget": None, "spent": spent, "left": None, "used_percent": None,
                "by_kind": kinds}
    total = ledger.filter(unit=unit, counts=True, currency=budget.currency).aggregate(total=Sum("amount"))["total"]
    spent = Decimal(total or 0).quantize(Decimal("0.01"))
    return {
        "currency": budget.currency,
        "budget": budget.monthly.quantize(Decimal("0.01")),
        "spent": spent,
        "left": (budget.monthly - spent).quantize(Decimal("0.01")),
        "used_percent": share(int(spent * 100), int(budget.monthly * 100)),
        "by_kind": kinds,
    }


def by_unit(month: Period, scope: ReportScope, language: str, *, now: datetime | None = None,
            reading: Reading | None = None, open_by_unit: dict[int, int] | None = None) -> list[dict[str, Any]]:
    """Per unit of the scope (the units that have any): registered, finished (closed, rejected,
    withdrawn) in the month and still open at its end."""
    now = now or timezone.now()
    reading = reading or month_reading(month, now, scope)
    open_by_unit = (open_by_unit if open_by_unit is not None
                    else open_at_end_by_unit(month, now, scope, reading=reading))
    figures: dict[int, list[int]] = {}
    for line in reading.lines("code", "unit_id", facts=[FACT.REGISTERED, FACT.FINISHED]):
        if line.unit_id is None:
            continue
        if line.fact == FACT.REGISTERED:
            figures.setdefault(line.unit_id, [0, 0])[0] += line.count
        elif line.fact == FACT.FINISHED and line.code in FINAL:
            figures.setdefault(line.unit_id, [0, 0])[1] += line.count
    for pk, count in open_by_unit.items():
        if count:
            figures.setdefault(pk, [0, 0])
    names = units_named(list(figures))
    zh = language.startswith("zh")
    rows = [(*names[pk], opened, finished, open_by_unit.get(pk, 0))
            for pk, (opened, finished) in figures.items() if pk in names]
    return [{"code": code, "label": name_zh if zh else name_en, "depth": path.count("/") - 2, "opened": int(opened),
             "finished": int(finished), "open_at_end": int(open_at_end)}
            for code, name_zh, name_en, path, opened, finished, open_at_end in sorted(rows, key=by_tree_path)]


def monthly_statistics(policy: Policy, month: Period, *, language: str, now: datetime | None = None,
                       scope: ReportScope = EVERYTHING) -> dict[str, Any]:
    """Every figure of the monthly classification statistics for ``month``, counting the
    complaints of ``scope`` (the reader's units, optionally one unit and everything below it)."""
    now = now or timezone.now()
    reading = month_reading(month, now, scope)
    # the finest grouping first, the others sum it again; the clocks, work orders and return visits
    # are only read by code (their live days without a join to the complaints)
    reading.lines("code", "level", "category", "unit_id", facts=BY_COMPLAINT)
    open_by_unit = open_at_end_by_unit(month, now, scope, reading=reading)
    head = totals(month, scope, now=now, reading=reading, open_by_unit=open_by_unit)
    lines = reading.lines("code")
    return {
        "month": month.code,
        "timezone": str(month.tz),
        "start": month.start,
        "end": month.end,
        "unit": scope.as_dict(),
        "totals": head,
        "dimensions": dimensions(policy, month, head["opened"], language, scope, reading=reading),
        "units": by_unit(month, scope, language, now=now, reading=reading, open_by_unit=open_by_unit),
        "clocks": clock_table(policy, lines, language),
        "satisfaction": satisfaction_table(policy, lines, language),
        "cost": cost(policy, month, language, scope),
    }
