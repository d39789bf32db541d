"""One action on many complaints at once (accept, hand over, escalate), each complaint on its own:
a complaint the action cannot apply to keeps its state and gets its reason, the others go ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.services.workflow import ActionInput, complaint_act
from complaintdesk.core.errors import DomainError, FieldProblem, ValidationFailed, error_text

BULK_ACTIONS = ("accept", "handover", "escalate")
BULK_LIMIT = 100


@dataclass(frozen=True)
class BulkResult:
    number: str
    ok: bool
    message: str  # why the action did not apply; empty when it did


def complaint_bulk_act(*, actor: Any, numbers: list[str], action: str, data: ActionInput,
                       now: datetime | None = None) -> list[BulkResult]:
    """Run ``action`` on each complaint in its own transaction (``complaint_act`` is atomic and
    writes its audit event); the answer has one result per complaint, in the order given."""
    problems = []
    if action not in BULK_ACTIONS:
        problems.append(FieldProblem("action", _("Choose what to do with the selected complaints.")))
    unique = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not unique:
        problems.append(FieldProblem("numbers", _("Select at least one complaint.")))
    elif len(unique) > BULK_LIMIT:
        problems.append(FieldProblem("numbers", _("Select at most %(limit)d complaints at once.")
                                     % {"limit": BULK_LIMIT}))
    if problems:
        raise ValidationFailed(problems)
    results = []
    for number in unique:
        try:
            complaint_act(actor=actor, number=number, action=action,
                          data=ActionInput(note=data.note, reason=data.reason, to=data.to, level=data.level),
                          now=now)
        except DomainError as exc:
            results.append(BulkResult(number, False, error_text(exc)))
        else:
            results.append(BulkResult(number, True, ""))
    return results
