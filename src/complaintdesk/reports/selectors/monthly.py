"""Monthly classification statistics (DOMAIN.md §11; seed 001 §3.4): every figure of one month,
counted in SQL over ``[month start, next month start)`` in the policy's time zone.

The definitions are in docs/reports.md; in short: the dimensions count the complaints *registered*
in the month; ``closed`` counts the complaints whose final transition (close, reject, withdraw)
fell in the month; clocks count the deadlines *due* in the month; satisfaction counts the return
visits answered in the month; cost is the budget ledger of the month.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.followup.models import Judgement, ReturnVisit
from complaintdesk.policy.schema import Policy
from complaintdesk.reports.labels import Labelled, label_of, level_rank, order_of, reason_path_label
from complaintdesk.reports.periods import Period
from complaintdesk.reports.scope import EVERYTHING, ReportScope, tree_key
from complaintdesk.reports.selectors.common import json_array_counts, rate, rows_from_counts, share
from complaintdesk.resolutions.models import BudgetEntry
from complaintdesk.units.models import Unit, root_unit
from complaintdesk.units.policies import unit_policy
from complaintdesk.units.scope import reaches, top_paths

S = Complaint.Status
FINAL = (S.CLOSED, S.REJECTED, S.WITHDRAWN)
ACTIVE_CLOCK = (Clock.Status.RUNNING, Clock.Status.PAUSED)
REASON_DEPTH = 5


def registered_in(month: Period, scope: ReportScope = EVERYTHING) -> QuerySet[Complaint]:
    return Complaint.objects.filter(scope.complaints(), registered_at__gte=month.start, registered_at__lt=month.end)


def totals(month: Period, scope: ReportScope = EVERYTHING) -> dict[str, int]:
    """Opened, finished (closed / rejected / withdrawn) in the month, open at its end, repeats."""
    opened = registered_in(month, scope).count()
    finished = dict(Complaint.objects.filter(scope.complaints(), closed_at__gte=month.start, closed_at__lt=month.end,
                                             status__in=FINAL)
                    .values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    open_at_end = Complaint.objects.filter(scope.complaints(), registered_at__lt=month.end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=month.end)).count()
    repeats = (Complaint.repeats.through.objects
               .filter(scope.complaints("from_complaint__"), from_complaint__registered_at__gte=month.start,
                       from_complaint__registered_at__lt=month.end)
               .aggregate(n=Count("from_complaint", distinct=True))["n"])
    return {
        "opened": opened,
        "closed": int(finished.get(S.CLOSED, 0)),
        "rejected": int(finished.get(S.REJECTED, 0)),
        "withdrawn": int(finished.get(S.WITHDRAWN, 0)),
        "open_at_end": open_at_end,
        "repeats": int(repeats or 0),
    }


def grouped(queryset: QuerySet[Any], field: str) -> list[tuple[str | None, int]]:
    return [(code, int(n)) for code, n in queryset.values_list(field).annotate(n=Count("id")).values_list(field, "n")]


def coded_rows(items: Sequence[Labelled], counts: Sequence[tuple[str | None, int]] | Sequence[tuple[str, int]],
                total: int,
                language: str) -> list[dict[str, Any]]:
    """Rows of codes the policy lists, in the policy's order (unknown codes after them)."""
    position = order_of(items)
    return rows_from_counts(counts, total=total, label=lambda c: label_of(items, c, language),
                            order=lambda c: (position.get(c or "", len(position)), c or ""))


def _reason_rows(policy: Policy, month: Period, column: str, total: int, language: str,
                 scope: ReportScope) -> list[dict[str, Any]]:
    """Counts at every level of a reason path (``reason_codes`` or ``root_cause``): one SQL group
    per distinct path, each path adding its count to every prefix of itself."""
    names = [f"r{i}" for i in range(REASON_DEPTH)]
    annotated = registered_in(month, scope).annotate(**{name: KT(f"{column}__{i}") for i, name in enumerate(names)})
    paths = annotated.values_list(*names).annotate(n=Count("id")).values_list(*names, "n")
    by_prefix: dict[tuple[str, ...], int] = {}
    for row in paths:
        codes = tuple(code for code in row[:-1] if code)
        count = int(row[-1])
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


def unit_rows(base: QuerySet[Complaint], total: int, language: str) -> list[dict[str, Any]]:
    """Complaints of ``base`` per unit that received them, in tree order (``depth`` for indenting)."""
    zh = language.startswith("zh")
    rows = (base.values_list("unit__code", "unit__name_zh", "unit__name_en", "unit__path")
            .annotate(n=Count("id")).order_by())
    return [{"code": code, "label": name_zh if zh else name_en, "count": int(n), "share": share(int(n), total),
             "depth": path.count("/") - 2} for code, name_zh, name_en, path, n in sorted(rows, key=by_tree_path)]


def dimensions(policy: Policy, month: Period, total: int, language: str,
               scope: ReportScope = EVERYTHING) -> list[dict[str, Any]]:
    base = registered_in(month, scope)
    ranks = level_rank(policy)
    out: list[dict[str, Any]] = []

    def add(code: str, title: str, rows: list[dict[str, Any]]) -> None:
        out.append({"code": code, "label": title, "rows": rows})

    add("level", _("Level"), rows_from_counts(
        grouped(base, "level"), total=total, label=lambda c: label_of(policy.levels, c, language),
        order=lambda c: (-ranks.get(c or "", -1), c or "")))
    add("category", _("Category"), coded_rows(policy.categories, grouped(base, "category"), total, language))
    add("channel", _("Channel"), coded_rows(policy.channels, grouped(base, "channel"), total, language))
    add("target", _("Target"), coded_rows(policy.targets, json_array_counts(base, "targets"), total, language))
    departments = (WorkOrder.objects.filter(scope.complaints("complaint__"), complaint__registered_at__gte=month.start,
                                            complaint__registered_at__lt=month.end)
                   .values_list("department__code", "department__name_zh", "department__name_en")
                   .annotate(n=Count("complaint", distinct=True)).order_by("department__code"))
    zh = language.startswith("zh")
    add("department", _("Department"), [
        {"code": code, "label": name_zh if zh else name_en, "count": int(n), "share": share(int(n), total)}
        for code, name_zh, name_en, n in departments])
    judged = Judgement.objects.filter(scope.complaints("complaint__"), complaint__registered_at__gte=month.start,
                                      complaint__registered_at__lt=month.end)
    validity_labels = dict(Judgement.Validity.choices)
    add("validity", _("Validity"), rows_from_counts(
        grouped(judged, "validity"), total=total, label=lambda c: str(validity_labels.get(c or "", c or "")),
        order=lambda c: (0 if c == Judgement.Validity.VALID else 1)))
    fault = [(("company" if at_fault else "no_fault"), int(n)) for at_fault, n in
             judged.values_list("company_at_fault").annotate(n=Count("id")).values_list("company_at_fault", "n")]
    add("responsibility", _("Responsibility"), rows_from_counts(
        fault, total=total, label=lambda c: _("Company at fault") if c == "company" else _("No fault of the company"),
        order=lambda c: (0 if c == "company" else 1)))
    add("reason", _("Reason at registration"), _reason_rows(policy, month, "reason_codes", total, language, scope))
    add("root_cause", _("Root cause"), _reason_rows(policy, month, "root_cause", total, language, scope))
    add("product_model", _("Product model"), sorted(rows_from_counts(
        grouped(base, "product__model"), total=total,
        label=lambda c: c or _("(not given)"), order=lambda c: c or ""), key=lambda r: (-r["count"], r["code"])))
    add("unit", _("Unit"), unit_rows(base, total, language))
    return out


def clocks(policy: Policy, month: Period, now: datetime, language: str,
           scope: ReportScope = EVERYTHING) -> list[dict[str, Any]]:
    """Per clock: the deadlines due in the month (see :func:`clock_rows`)."""
    return clock_rows(policy, month.start, month.end, now, language, scope.complaints("complaint__"))


def clock_rows(policy: Policy, start: datetime, end: datetime, now: datetime, language: str,
               complaints: Q | None = None) -> list[dict[str, Any]]:
    """Per clock: the deadlines due in ``[start, end)``, met (stopped in time), breached (marked
    breached, stopped late, or still running past due), still running before their due time; paused
    and extended at least once. The on-time rate is met / (met + breached). ``complaints`` filters
    the clocks' complaints (a Q on ``complaint__…``)."""
    late = (Q(breached_at__isnull=False) | Q(stopped_at__gt=F("due_at"))
            | Q(status__in=ACTIVE_CLOCK, due_at__lt=now))
    queryset = Clock.objects.filter(due_at__gte=start, due_at__lt=end).exclude(status=Clock.Status.CANCELLED)
    if complaints is not None:
        queryset = queryset.filter(complaints)
    rows = (queryset
            .values_list("code")
            .annotate(
                due=Count("id"),
                met=Count("id", filter=Q(stopped_at__isnull=False, stopped_at__lte=F("due_at"),
                                         breached_at__isnull=True)),
                breached=Count("id", filter=late),
                running=Count("id", filter=Q(status__in=ACTIVE_CLOCK, due_at__gte=now, breached_at__isnull=True)),
                paused=Count("id", filter=Q(paused_since__isnull=False) | ~Q(pauses=[])),
                extended=Count("id", filter=~Q(extensions=[])),
            )
            .values_list("code", "due", "met", "breached", "running", "paused", "extended"))
    position = order_of(policy.clocks)
    out = []
    for code, due, met, breached, running, paused, extended in rows:
        out.append({"code": code, "label": label_of(policy.clocks, code, language), "due": due, "met": met,
                    "breached": breached, "running": running, "paused": paused, "extended": extended,
                    "on_time_rate": rate(met, met + breached)})
    out.sort(key=lambda row: (position.get(row["code"], len(position)), row["code"]))
    return out


def satisfaction(policy: Policy, month: Period, language: str, scope: ReportScope = EVERYTHING) -> dict[str, Any]:
    """Return visits answered in the month, by the policy's satisfaction scale, with the mean score."""
    answered = ReturnVisit.objects.filter(scope.complaints("complaint__"), state=ReturnVisit.State.DONE,
                                          result=ReturnVisit.Result.ANSWERED, completed_at__gte=month.start,
                                          completed_at__lt=month.end)
    scale = policy.return_visit.scale if policy.return_visit else []
    counts = grouped(answered, "satisfaction")
    total = sum(n for _code, n in counts)
    rows = coded_rows(scale, counts, total, language)
    mean = answered.aggregate(mean=Avg("score"))["mean"]
    return {"answered": total, "mean_score": round(float(mean), 2) if mean is not None else None, "rows": rows}


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


def by_unit(month: Period, scope: ReportScope, language: str) -> list[dict[str, Any]]:
    """Per unit of the scope (the units that have any): registered, finished (closed, rejected,
    withdrawn) in the month and still open at its end."""
    zh = language.startswith("zh")
    names = ("unit__code", "unit__name_zh", "unit__name_en", "unit__path")
    rows = (Complaint.objects.filter(scope.complaints())
            .filter(Q(registered_at__lt=month.end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=month.start)))
            .values_list(*names)
            .annotate(opened=Count("id", filter=Q(registered_at__gte=month.start)),
                      finished=Count("id", filter=Q(status__in=FINAL, closed_at__gte=month.start,
                                                    closed_at__lt=month.end)),
                      open_at_end=Count("id", filter=Q(closed_at__isnull=True) | Q(closed_at__gte=month.end)))
            .values_list(*names, "opened", "finished", "open_at_end").order_by())
    return [{"code": code, "label": name_zh if zh else name_en, "depth": path.count("/") - 2, "opened": int(opened),
             "finished": int(finished), "open_at_end": int(open_at_end)}
            for code, name_zh, name_en, path, opened, finished, open_at_end in sorted(rows, key=by_tree_path)]


def monthly_statistics(policy: Policy, month: Period, *, language: str, now: datetime | None = None,
                       scope: ReportScope = EVERYTHING) -> dict[str, Any]:
    """Every figure of the monthly classification statistics for ``month``, counting the
    complaints of ``scope`` (the reader's units, optionally one unit and everything below it)."""
    now = now or timezone.now()
    head = totals(month, scope)
    return {
        "month": month.code,
        "timezone": str(month.tz),
        "start": month.start,
        "end": month.end,
        "unit": scope.as_dict(),
        "totals": head,
        "dimensions": dimensions(policy, month, head["opened"], language, scope),
        "units": by_unit(month, scope, language),
        "clocks": clocks(policy, month, now, language, scope),
        "satisfaction": satisfaction(policy, month, language, scope),
        "cost": cost(policy, month, language, scope),
    }
