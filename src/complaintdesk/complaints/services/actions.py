"""One keyword-only function per action on a complaint, and the name → function table the API and
the page dispatch through (``POST /complaints/{number}/actions/{name}``).

The status actions are thin: they load and lock the complaint and hand a :class:`Transition` to the one
:func:`~complaintdesk.complaints.services.lifecycle.transition`. ``actor=None`` is the system (a
clock, a return visit); it goes through the same code and leaves the same record.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import has_role
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services import attributes, report_up
from complaintdesk.complaints.services.lifecycle import (
    Transition,
    is_owner_or_supervisor,
    lock_complaint,
    transition,
    transition_targets,
)
from complaintdesk.core.errors import FieldProblem, ValidationFailed
from complaintdesk.core.policies import policy_of


def _run(action: str, actor: Any, number: str, now: datetime | None, **fields: Any) -> Complaint:
    complaint = lock_complaint(actor, number)
    return transition(complaint, Transition(action=action, actor=actor, at=now or timezone.now(), **fields))


@transaction.atomic
def complaint_accept(*, actor: Any, number: str, note: str = "", now: datetime | None = None) -> Complaint:
    """Accept a registered complaint whose required facts are all recorded or explained; the person
    who accepts it owns it."""
    return _run("accept", actor, number, now, note=note.strip())


@transaction.atomic
def complaint_start(*, actor: Any, number: str, note: str = "", now: datetime | None = None) -> Complaint:
    """Start handling an accepted complaint."""
    return _run("start", actor, number, now, note=note.strip())


@transaction.atomic
def complaint_resolve(*, actor: Any, number: str, note: str = "", root_cause: Sequence[str] = (),
                      corrective_action: str = "", now: datetime | None = None) -> Complaint:
    """Record the result given to the customer, the root cause and the corrective action."""
    return _run("resolve", actor, number, now, note=note.strip(),
                root_cause=tuple(str(code).strip() for code in root_cause if str(code).strip()),
                corrective_action=corrective_action.strip())


@transaction.atomic
def complaint_close(*, actor: Any, number: str, note: str = "", reason: str = "",
                    now: datetime | None = None) -> Complaint:
    """Close a resolved complaint. The system also closes an unresolved one for a reason the policy
    gives in a clock's ``close`` action (e.g. ``unreachable``)."""
    return _run("close", actor, number, now, note=note.strip(), reason=reason.strip())


@transaction.atomic
def complaint_reject(*, actor: Any, number: str, reason: str = "", note: str = "",
                     now: datetime | None = None) -> Complaint:
    """Reject a complaint as invalid, for one of the policy's reject reasons."""
    return _run("reject", actor, number, now, reason=reason.strip(), note=note.strip())


@transaction.atomic
def complaint_withdraw(*, actor: Any, number: str, withdrawn_by: str = "", note: str = "",
                       now: datetime | None = None) -> Complaint:
    """The customer (or someone for them, named) withdraws the complaint."""
    return _run("withdraw", actor, number, now, withdrawn_by=withdrawn_by.strip(), note=note.strip())


@transaction.atomic
def complaint_reopen(*, actor: Any, number: str, note: str = "", reason: str = "",
                     now: datetime | None = None) -> Complaint:
    """Handle a resolved or closed complaint again; ``note`` (or ``reason``) says why."""
    return _run("reopen", actor, number, now, note=(note.strip() or reason.strip()))


@dataclass(frozen=True)
class ActionEntry:
    function: Callable[..., Complaint]
    fields: tuple[str, ...]  # what the caller may send besides actor, number and now


def _entry(function: Callable[..., Complaint]) -> ActionEntry:
    fields = tuple(name for name in inspect.signature(function).parameters if name not in {"actor", "number", "now"})
    return ActionEntry(function, fields)


ACTIONS: dict[str, ActionEntry] = {
    "accept": _entry(complaint_accept),
    "start": _entry(complaint_start),
    "resolve": _entry(complaint_resolve),
    "close": _entry(complaint_close),
    "reject": _entry(complaint_reject),
    "withdraw": _entry(complaint_withdraw),
    "reopen": _entry(complaint_reopen),
    "escalate": _entry(attributes.complaint_escalate),
    "handover": _entry(attributes.complaint_handover),
    "pause": _entry(attributes.complaint_pause),
    "resume": _entry(attributes.complaint_resume),
    "extend": _entry(attributes.complaint_extend),
    "report_to_hq": _entry(report_up.complaint_report_to_hq),
    "report_violation": _entry(report_up.complaint_report_violation),
    "agree_major_solution": _entry(report_up.complaint_agree_major_solution),
    "mark_urgent": _entry(report_up.complaint_mark_urgent),
}


def complaint_action(*, actor: Any, number: str, name: str, fields: dict[str, Any],
                     now: datetime | None = None) -> Complaint:
    """Run the action ``name`` with the fields it takes (others are ignored): the dispatch of
    ``/actions/{name}`` on the API and the page."""
    entry = ACTIONS.get(name)
    if entry is None:
        raise ValidationFailed([FieldProblem("action", _("Unknown action %(name)s; one of: %(all)s.")
                                             % {"name": name, "all": ", ".join(ACTIONS)})])
    given = {key: value for key, value in fields.items() if key in entry.fields}
    return entry.function(actor=actor, number=number, now=now, **given)


def allowed_actions(actor: Any, complaint: Complaint) -> list[str]:
    """The actions this user could try now (the page shows these buttons)."""
    out = transition_targets(actor, complaint)
    if complaint.is_open and is_owner_or_supervisor(actor, complaint):
        out.extend(["escalate", "handover"])
        out.append("resume" if complaint.waiting_on else "pause")
        policy = policy_of(complaint.policy_version)
        if any(d.extension and has_role(actor, d.extension.approver, at=complaint) for d in policy.clocks):
            out.append("extend")
    out.extend(report_up.allowed_report_actions(actor, complaint))
    return out
