"""Pieces shared by the resolution services: money, months, clocks with the plan's tiers and the
legal fact, availability of approvers, and notices to staff in their own language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.accounts.roles import has_role
from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.services import ACTIVE, clock_event, clock_start, clock_stop, complaint_facts
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.lifecycle import SUPERVISING_ROLES
from complaintdesk.core.errors import Conflict, PermissionDenied
from complaintdesk.core.policies import policy_of
from complaintdesk.notify.services import message_queue
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent, Duration, Policy, Role
from complaintdesk.resolutions.models import Delegation, LegalConsultation, Plan

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


def month_of(moment: datetime, policy: Policy) -> str:
    """The budget month of a moment: its calendar month in the organisation's time zone."""
    return moment.astimezone(ZoneInfo(policy.timezone)).strftime("%Y-%m")


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


# --- who is away, who acts for whom ------------------------------------------------------------


def active_delegations(now: datetime) -> Any:
    return Delegation.objects.filter(starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True)


def delegate_of(user: Any, now: datetime) -> Any:
    delegation = (active_delegations(now).filter(from_user=user, to_user__is_active=True)
                  .select_related("to_user").order_by("-starts_at", "-id").first())
    return delegation.to_user if delegation else None


def is_away(user: Any, now: datetime) -> bool:
    away_until = getattr(user, "away_until", None)
    if away_until is not None and away_until > now:
        return True
    return active_delegations(now).filter(from_user=user).exists()


def acts_for(actor: Any, user: Any, now: datetime) -> bool:
    """``actor`` is ``user`` or ``user``'s delegate now."""
    if actor is None or user is None:
        return False
    if actor.pk == user.pk:
        return True
    return active_delegations(now).filter(from_user=user, to_user=actor).exists()


def principals_of(actor: Any, now: datetime) -> list[int]:
    """The user ids ``actor`` may act for now: themselves and whoever delegated to them."""
    ids = list(active_delegations(now).filter(to_user=actor).values_list("from_user_id", flat=True))
    return [actor.pk, *ids]


def holders(role: Role | str) -> Any:
    from complaintdesk.accounts.models import User

    return User.objects.filter(is_active=True, groups__name=str(role)).distinct().order_by("id")


# --- notices -------------------------------------------------------------------------------------


def _notice(kind: str, number: str, params: dict[str, Any]) -> tuple[str, str]:
    values = {"number": number, **params}
    if kind == "approval_requested":
        return (_("Approval requested"),
                _("Complaint %(number)s: plan P%(plan)s (%(amount)s) waits for your approval as %(role)s.") % values)
    if kind == "approval_delegated":
        return (_("Approval requested (delegated)"),
                _("Complaint %(number)s: plan P%(plan)s (%(amount)s) waits for approval by %(approver)s, who is "
                  "away and delegated to you.") % values)
    if kind == "plan_approved":
        return _("Plan approved"), _("Complaint %(number)s: plan P%(plan)s is approved.") % values
    if kind == "plan_rejected":
        return (_("Plan rejected"),
                _("Complaint %(number)s: plan P%(plan)s was rejected by %(by)s: %(comment)s") % values)
    if kind == "plan_refused":
        return (_("Customer refused the plan"),
                _("Complaint %(number)s: the customer refused plan P%(plan)s: “%(words)s”. A new plan is needed.")
                % values)
    if kind == "countersign_requested":
        return (_("Petty-cash voucher to countersign"),
                _("Complaint %(number)s: %(amount)s paid from petty cash by %(by)s (voucher %(voucher)s) awaits "
                  "your countersignature.") % values)
    if kind == "legal_requested":
        return _("Legal consultation"), _("Complaint %(number)s: a legal consultation was requested.") % values
    if kind == "legal_advice":
        return _("Legal advice"), _("Complaint %(number)s: legal gave its advice.") % values
    if kind == "delegation":
        return (_("Approvals delegated to you"),
                _("%(from)s delegated their approvals to you from %(start)s until %(end)s: %(reason)s") % values)
    return kind, number


def notify(*, users: Iterable[Any], complaint: Complaint | None, kind: str, **params: Any) -> int:
    """Queue an internal notice for each user, in the user's language."""
    count = 0
    seen: set[int] = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        with translation.override(user.language):
            localised = {key: (value.get(user.language) if hasattr(value, "zh") else str(value))
                         for key, value in params.items()}
            subject, body = _notice(kind, complaint.number if complaint else "", localised)
        message_queue(actor=None, kind=kind, channel="internal", recipient=user.username, body=str(body),
                      language=user.language, subject=str(subject), complaint=complaint, recipient_user=user)
        count += 1
    return count
