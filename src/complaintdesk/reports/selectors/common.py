"""Shared pieces of the report queries: rows with labels and shares, JSON-array counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connections
from django.db.models import QuerySet

JSON_LIST_COLUMNS = frozenset({"targets", "flags", "reason_codes", "root_cause"})


def share(count: int, total: int) -> float | None:
    """Percentage of ``total`` with one decimal (half up); None when there is nothing to divide."""
    if total <= 0:
        return None
    return float((Decimal(count * 100) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def rate(part: int, whole: int) -> float | None:
    return share(part, whole)


def rows_from_counts(counts: Iterable[tuple[str | None, int]] | Iterable[tuple[str, int]], *, total: int,
                     label: Callable[[str | None], str], order: Callable[[str | None], Any]) -> list[dict[str, Any]]:
    """``[(code, count)]`` → rows ``{code, label, count, share}`` in the policy's order."""
    merged: dict[str, int] = {}
    for code, count in counts:
        key = code or ""
        merged[key] = merged.get(key, 0) + int(count)
    codes = sorted(merged, key=order)
    return [{"code": code, "label": label(code), "count": merged[code], "share": share(merged[code], total)}
            for code in codes]


def json_array_counts(queryset: QuerySet[Any], column: str) -> list[tuple[str, int]]:
    """How many rows of ``queryset`` hold each element of the JSON list in ``column``: the list is
    unnested in SQL (json_each on SQLite, jsonb_array_elements_text on PostgreSQL) and counted
    there, so a complaint with two targets counts once for each."""
    if column not in JSON_LIST_COLUMNS:
        raise ValueError(f"not a JSON list column of the reports: {column}")
    inner, params = queryset.values(column).query.sql_with_params()
    # on the queryset's own database (the reports' replica inside core.dbrouter.reports_reads)
    connection = connections[queryset.db]
    # the column is one of a fixed set and every value is a parameter of the inner query
    if connection.vendor == "postgresql":
        unnest = f"CROSS JOIN LATERAL jsonb_array_elements_text(picked.{column}) AS item"
        sql = f"SELECT item, COUNT(*) FROM ({inner}) AS picked {unnest} GROUP BY item"  # noqa: S608
    else:
        unnest = f", json_each(picked.{column}) AS item"
        sql = f"SELECT item.value, COUNT(*) FROM ({inner}) AS picked{unnest} GROUP BY item.value"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(str(code), int(count)) for code, count in cursor.fetchall()]
