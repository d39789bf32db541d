"""Follow-up rules answered from the policy alone: the "callback failed" rule (N calls on N
different days), the satisfaction scale of the return visit, and what a judgement means for the
member of staff judged (the consequence, who bears the compensation). Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from complaintdesk.policy.schema import Judgement, ReturnVisit, ScalePoint, Text


@dataclass(frozen=True)
class CallProgress:
    """Calls of a return visit against the policy's "callback failed" rule (N calls on N days,
    days counted in the organisation's time zone)."""

    calls: int
    days: int
    required_calls: int
    required_days: int

    @property
    def calls_needed(self) -> int:
        return max(0, self.required_calls - self.calls)

    @property
    def days_needed(self) -> int:
        return max(0, self.required_days - self.days)

    @property
    def allows_callback_failed(self) -> bool:
        return self.calls_needed == 0 and self.days_needed == 0


def callback_progress(rule: ReturnVisit, calls_at: Iterable[datetime], tz: tzinfo) -> CallProgress:
    """The calls made (their moments, aware) counted against ``rule.callback_failed``: how many
    calls, on how many different days in ``tz``."""
    moments = list(calls_at)
    days: set[date] = {moment.astimezone(tz).date() for moment in moments}
    return CallProgress(calls=len(moments), days=len(days), required_calls=rule.callback_failed.attempts,
                        required_days=rule.callback_failed.distinct_days)


def scale_point(rule: ReturnVisit, code: str) -> ScalePoint | None:
    """The satisfaction scale point ``code`` of the return-visit rule, or None."""
    return next((point for point in rule.scale if point.code == code), None)


def staff_pays(rule: Judgement, *, validity: str, category: str) -> bool:
    """Whether the member of staff judged bears the compensation: only a valid complaint judged in
    one of the policy's ``staff_pays`` categories (e.g. a business error)."""
    return validity == "valid" and category in rule.staff_pays


def judgement_consequence(rule: Judgement, category: str) -> Text | None:
    """The consequence the policy attaches to a judgement category, if any."""
    return rule.consequences.get(category)
