"""Acts that report up, and urgency: each is recorded (audit + timeline) and emits the clock event
the policy's clocks wait for.

- ``report_to_hq`` — reported to head office (``escalated_to_hq``: a hypermarket's major complaint
  or court papers, a dealer's report to the manufacturer);
- ``report_violation`` — a violation reported to internal audit (``violation_reported``: the
  insurer's 3-working-day rule for regulator transfers);
- ``agree_major_solution`` — the major-complaint team agreed its final solution (``major_solved``);
- ``mark_urgent`` — the complaint is urgent (``urgency_raised``: e.g. the PC maker's one-day
  solution clock). Urgency may also be recorded at registration.

Who may: the complaint's owner and the holders of its level's supervising role (where the level
names none, the supervising roles); for the major-team solution also the team's members as the
policy lists them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import SUPERVISING_ROLES, has_role
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.lifecycle import bump_version, lock_complaint
from complaintdesk.core.errors import FieldProblem, InvalidTransition, PermissionDenied, ValidationFailed
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.policy.schema import ClockEvent, Policy, Role

# action name: (clock event, timeline kind)
REPORTS: dict[str, tuple[ClockEvent, str]] = {
    "report_to_hq": (ClockEvent.ESCALATED_TO_HQ, "reported_to_hq"),
    "report_violation": (ClockEvent.VIOLATION_REPORTED, "violation_reported"),
    "agree_major_solution": (ClockEvent.MAJOR_SOLVED, "major_solved"),
    "mark_urgent": (ClockEvent.URGENCY_RAISED, "urgency_raised"),
}
REASON_LIMIT = 2000


def reporting_roles(policy: Policy, complaint: Complaint, action: str) -> tuple[Role, ...]:
    """The roles (besides the owner) that may do ``action`` on this complaint."""
    roles: tuple[Role, ...] = policy.level(complaint.level).supervising_roles() or SUPERVISING_ROLES
    if action == "agree_major_solution" and policy.major_team is not None:
        roles = (*roles, policy.major_team.chair, *policy.major_team.members)
    return roles


def may_report(actor: Any, complaint: Complaint, policy: Policy, action: str) -> bool:
    if actor is None or complaint.owner_id == actor.pk:
        return True
    return has_role(actor, *reporting_roles(policy, complaint, action), at=complaint)


def _stops_a_clock(policy: Policy, event: ClockEvent) -> bool:
    return any(event in definition.stops or definition.starts == event for definition in policy.clocks)


def allowed_report_actions(actor: Any, complaint: Complaint) -> list[str]:
    """The report and urgency actions the page offers: only where the policy has a clock that waits
    for the event, and only while they make sense."""
    if not complaint.is_open:
        return []
    policy = policy_of(complaint.policy_version)
    out = []
    for action, (event, _kind) in REPORTS.items():
        if not _stops_a_clock(policy, event) or not may_report(actor, complaint, policy, action):
            continue
        if action == "agree_major_solution" and (complaint.major_opened_at is None
                                                 or complaint.major_solved_at is not None):
            continue
        if action == "mark_urgent" and complaint.urgent:
            continue
        out.append(action)
    return out


def _report(action: str, *, actor: Any, number: str, reason: str, now: datetime | None) -> Complaint:
    now = now or timezone.now()
    complaint = lock_complaint(actor, number)
    if not complaint.is_open:
        raise InvalidTransition(_("Complaint %(number)s is %(status)s; nothing more is reported on it.")
                                % {"number": complaint.number, "status": complaint.get_status_display()})
    policy = policy_of(complaint.policy_version)
    if not may_report(actor, complaint, policy, action):
        raise PermissionDenied(_("Only the owner or a supervisor of the complaint's level may do this."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed([FieldProblem("reason", REASON_REQUIRED[action])])
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed([FieldProblem("reason", _("At most %(limit)d characters.") % {"limit": REASON_LIMIT})])
    event, kind = REPORTS[action]
    before: dict[str, Any] = {}
    after: dict[str, Any] = {"reason": reason}
    fields = ["version", "updated_at"]
    if action == "agree_major_solution":
        if complaint.major_opened_at is None:
            raise InvalidTransition(_("The major-complaint team is not open on this complaint."))
        if complaint.major_solved_at is not None:
            raise InvalidTransition(_("The major-complaint team's solution is already agreed."))
        complaint.major_solved_at = now
        fields.append("major_solved_at")
    if action == "mark_urgent":
        if complaint.urgent:
            raise InvalidTransition(_("The complaint is already urgent."))
        before["urgent"] = False
        after["urgent"] = True
        complaint.urgent = True
        fields.append("urgent")
    bump_version(complaint, now)
    complaint.save(update_fields=fields)
    record(actor=actor, action=f"complaint.{action}", obj=complaint, complaint=complaint, before=before,
           after={**after, "event": event.value}, timeline=on_timeline(kind, reason=reason), at=now)
    clock_event(complaint=complaint, event=event, at=now)
    return complaint


REASON_REQUIRED = {
    "report_to_hq": _("Say what was reported to head office, and to whom."),
    "report_violation": _("Say which violation was reported to internal audit."),
    "agree_major_solution": _("Write the solution the major-complaint team agreed."),
    "mark_urgent": _("Say why the complaint is urgent."),
}


@transaction.atomic
def complaint_report_to_hq(*, actor: Any, number: str, reason: str = "", now: datetime | None = None) -> Complaint:
    """The complaint was reported to head office (stops the clocks waiting for ``escalated_to_hq``)."""
    return _report("report_to_hq", actor=actor, number=number, reason=reason, now=now)


@transaction.atomic
def complaint_report_violation(*, actor: Any, number: str, reason: str = "",
                               now: datetime | None = None) -> Complaint:
    """A violation was reported to internal audit (stops the clocks waiting for ``violation_reported``)."""
    return _report("report_violation", actor=actor, number=number, reason=reason, now=now)


@transaction.atomic
def complaint_agree_major_solution(*, actor: Any, number: str, reason: str = "",
                                   now: datetime | None = None) -> Complaint:
    """The major-complaint team agreed its final solution (stops the clocks waiting for
    ``major_solved``)."""
    return _report("agree_major_solution", actor=actor, number=number, reason=reason, now=now)


@transaction.atomic
def complaint_mark_urgent(*, actor: Any, number: str, reason: str = "", now: datetime | None = None) -> Complaint:
    """The complaint is urgent from now on (starts the clocks that start on ``urgency_raised``)."""
    return _report("mark_urgent", actor=actor, number=number, reason=reason, now=now)
