"""Pieces shared by the resolution services: money, months, clocks with the plan's tiers and the
legal fact, availability of approvers, and notices to staff in their own language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy

from complaintdesk.accounts.roles import SUPERVISING_ROLES, has_role
from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.services import ACTIVE, clock_event, clock_start, clock_stop, complaint_facts
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import Conflict, PermissionDenied
from complaintdesk.core.policies import policy_of
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent, Duration, Policy, Role
from complaintdesk.resolutions.models import LegalConsultation, Plan

CENT = Decimal("0.01")


def money(amount: Decimal, currency: str) -> str:
    return f"{amount.quantize(CENT):,} {currency}"


def role_label(policy: Policy, role: Role | str) -> str:
    """The policy's title for a role (e.g. 技术服务公司副总经理), else the product's role name."""
    from complaintdesk.accounts.roles import ROLE_LABELS

    language = translation.get_language() or "zh-hans"
    title = policy.role_title(str(role), language)
    if title:
        return title
    try:
        return str(ROLE_LABELS[Role(str(role))])
    except ValueError:
        return str(role)


def require_owner(actor: Any, complaint: Complaint) -> None:
    if actor is None or (complaint.owner_id != actor.pk and not has_role(actor, *SUPERVISING_ROLES)):
        raise PermissionDenied(gettext_lazy("Only the owner or a supervisor may do this."))


def require_open(complaint: Complaint) -> None:
    if not complaint.is_open:
        raise Conflict(gettext_lazy("Complaint %(number)s is %(status)s; no further work can be recorded on it.")
                       % {"number": complaint.number, "status": complaint.get_status_display()})


# --- clocks ----------------------------------------------------------------------------------


def complaint_tiers(complaint: Complaint) -> frozenset[str]:
    return frozenset(t for t in Plan.objects.filter(complaint=complaint).exclude(
        state__in=[Plan.State.SUPERSEDED, Plan.State.CANCELLED]).values_list("tier", flat=True) if t)


def legal_consulted(complaint: Complaint) -> bool:
    return LegalConsultation.objects.filter(complaint=complaint).exists()


def full_facts(complaint: Complaint, policy: Policy, *, tiers: Iterable[str] = (),
               legal: bool | None = None) -> rules.ComplaintFacts:
    """The complaint's facts for clocks, with its solution tiers and whether legal was consulted."""
    base = complaint_facts(complaint, policy)
    return rules.ComplaintFacts(
        level=base.level, category=base.category, channel=base.channel, channel_kind=base.channel_kind,
        flags=base.flags, tiers=frozenset(tiers) | complaint_tiers(complaint),
        legal=legal_consulted(complaint) if legal is None else legal)


def clock_signal(*, complaint: Complaint, event: ClockEvent, at: datetime, subject: str = "",
                 tiers: Iterable[str] = (), legal: bool | None = None, duration: Duration | None = None) -> list[Clock]:
    """Emit a clock event, and start the policy's clocks that apply only to some solution tiers or to
    complaints legal was consulted on (the clock engine does not know a complaint's plans)."""
    started = clock_event(complaint=complaint, event=event, at=at, subject=subject, duration=duration)
    policy = policy_of(complaint.policy_version)
    base = complaint_facts(complaint, policy)
    facts = full_facts(complaint, policy, tiers=tiers, legal=legal)
    for definition in rules.clocks_started_by(policy, event, facts):
        if rules.clock_applies(definition, base):
            continue  # the engine started it already
        new = clock_start(complaint=complaint, policy=policy, definition=definition, at=at, subject=subject,
                          duration=duration)
        if new is not None:
            started.append(new)
    return started


def clocks_cancel(*, complaint: Complaint, subject: str, at: datetime) -> int:
    """Cancel the running clocks of one object (an approval that no longer needs a decision)."""
    count = 0
    for clock in Clock.objects.select_for_update().filter(complaint=complaint, subject=subject, status__in=ACTIVE):
        clock_stop(clock, at, Clock.Status.CANCELLED)
        count += 1
    return count


def running_due(complaint_id: int, subject: str) -> datetime | None:
    clock = (Clock.objects.filter(complaint_id=complaint_id, subject=subject, status__in=ACTIVE)
             .order_by("due_at").first())
    return clock.due_at if clock else None
