"""Shared pieces of the report queries: rows with labels and shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


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
