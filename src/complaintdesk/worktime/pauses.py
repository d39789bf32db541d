"""Pauses of a clock ("waiting on the customer"): checking and merging the (start, end) pairs a
:class:`~complaintdesk.worktime.schedule.WorkSchedule` counts around."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

__all__ = ["OpenPauseError", "Pause", "UtcPause", "merge_pauses", "require_aware"]

Pause = tuple[datetime, datetime | None]
# A merged pause in UTC; ``None`` as end means "still paused".
UtcPause = tuple[datetime, datetime | None]


class OpenPauseError(ValueError):
    """An open pause (end ``None``) stops the clock before the deadline is reached."""


def require_aware(value: datetime, label: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{label} must be a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{label} must be timezone-aware, got naive {value.isoformat()}")


def merge_pauses(pauses: Sequence[Pause]) -> list[UtcPause]:
    """The pauses as UTC instants, checked, sorted and merged where they overlap or touch;
    everything after an open pause (end ``None``) is one open pause."""
    converted: list[UtcPause] = []
    for index, pause in enumerate(pauses):
        try:
            p0, p1 = pause
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"pause #{index} must be a (start, end) pair, got {pause!r}"
            ) from exc
        require_aware(p0, f"pause #{index} start")
        if p1 is None:
            converted.append((p0.astimezone(UTC), None))
            continue
        require_aware(p1, f"pause #{index} end")
        if p1 < p0:
            raise ValueError(
                f"pause #{index} ends before it starts: {p0.isoformat()} > {p1.isoformat()}"
            )
        if p1 > p0:
            converted.append((p0.astimezone(UTC), p1.astimezone(UTC)))
    converted.sort(key=lambda item: item[0])
    merged: list[UtcPause] = []
    for p0, p1 in converted:
        if merged:
            last0, last1 = merged[-1]
            if last1 is None:
                break  # everything after an open pause is paused anyway
            if p0 <= last1:
                merged[-1] = (last0, None if p1 is None else max(last1, p1))
                continue
        merged.append((p0, p1))
    return merged
