"""One action on many complaints at once (accept, hand over, escalate), each complaint on its own:
a complaint the action cannot apply to keeps its state and gets its reason, the others go ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.actions import complaint_accept
from complaintdesk.complaints.services.attributes import complaint_escalate, complaint_handover
from complaintdesk.core.errors import DomainError, FieldProblem, ValidationFailed, error_text

BULK_ACTIONS = ("accept", "handover", "escalate")
BULK_LIMIT = 100


@dataclass(frozen=True)
class BulkResult:
    number: str
    ok: bool
    message: str  # why the action did not apply; empty when it did


def _run(actor: Any, number: str, action: str, to: str, reason: str, now: datetime | None) -> Complaint:
    if action == "accept":
        return complaint_accept(actor=actor, number=number, now=now)
    if action == "handover":
        return complaint_handover(actor=actor, number=number, to=to, reason=reason, now=now)
    return complaint_escalate(actor=actor, number=number, reason=reason, now=now)


def complaint_bulk_act(*, actor: Any, numbers: list[str], action: str, to: str = "", reason: str = "",
                       now: datetime | None = None) -> list[BulkResult]:
    """Run ``action`` on each complaint in its own transaction (each action's service is atomic and
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
            _run(actor, number, action, to.strip(), reason.strip(), now)
        except DomainError as exc:
            results.append(BulkResult(number, False, error_text(exc)))
        else:
            results.append(BulkResult(number, True, ""))
    return results
