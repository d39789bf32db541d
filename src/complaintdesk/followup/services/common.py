"""Pieces shared by the follow-up services: notices to staff in their own language, the policy's
return-visit and judgement rules, who may work on a return visit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import has_role
from complaintdesk.core.errors import Conflict
from complaintdesk.notify.services import message_queue
from complaintdesk.policy.schema import ClockEvent, Judgement, Policy, ReturnVisit, Role

# roles that supervise complaint work (as complaints.services.lifecycle.SUPERVISING_ROLES)
SUPERVISING = (Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD)


def visit_rule(policy: Policy) -> ReturnVisit:
    if policy.return_visit is None:
        raise Conflict(gettext_lazy("The policy has no return visits."))
    return policy.return_visit


def judgement_rule(policy: Policy) -> Judgement:
    if policy.judgement is None:
        raise Conflict(gettext_lazy("The policy does not judge complaints about staff."))
    return policy.judgement


def visit_clock_codes(policy: Policy) -> list[str]:
    """The policy's return-visit clocks: started by the resolution, stopped by the visit."""
    return [clock.code for clock in policy.clocks
            if clock.starts == ClockEvent.RESOLVED and ClockEvent.RETURN_VISIT_DONE in clock.stops]


def users_with(*roles: Role | str) -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name__in=[str(r) for r in roles]).distinct()
                .order_by("id"))


def least_loaded_visitor(role: Role) -> User | None:
    """The active user of ``role`` with the fewest open return visits."""
    return (User.objects.filter(is_active=True, groups__name=role.value)
            .annotate(load=Count("return_visits", filter=Q(return_visits__state="open")))
            .order_by("load", "id").first())


def may_assign(actor: Any, rule: ReturnVisit) -> bool:
    return has_role(actor, rule.assigner, *SUPERVISING)


def may_work(actor: Any, visit: Any, rule: ReturnVisit) -> bool:
    """The assigned visitor, anyone of the visitor role while nobody is assigned, or the team lead."""
    if visit.assigned_to_id == actor.pk or may_assign(actor, rule):
        return True
    return visit.assigned_to_id is None and has_role(actor, rule.visitor)


def _notice_text(kind: str, number: str, params: dict[str, Any]) -> tuple[str, str]:
    values = {"number": number, **params}
    if kind == "return_visit_due":
        return _("Return visit due"), _("Complaint %(number)s is resolved: a return visit is due by %(due)s.") % values
    if kind == "return_visit_assigned":
        return (_("Return visit assigned to you"),
                _("Complaint %(number)s: make the return visit by %(due)s.") % values)
    if kind == "return_visit_reopened":
        return (_("Complaint reopened after the return visit"),
                _("Complaint %(number)s was reopened for second handling. The customer said: %(words)s") % values)
    if kind == "return_visit_blocked":
        return (_("Return visit done, complaint not closed"),
                _("Complaint %(number)s: the return visit is done but the complaint could not be closed: "
                  "%(problems)s") % values)
    if kind == "dealer_answered":
        return (_("Dealer answered: visit the customer again"),
                _("Complaint %(number)s: the dealer answered; make the return visit again by %(due)s.") % values)
    if kind == "judged":
        return (_("A complaint about you was judged"),
                _("Complaint %(number)s was judged %(result)s. You may appeal until %(deadline)s.") % values)
    if kind == "appeal_filed":
        return (_("Appeal to review"),
                _("%(name)s appealed against the judgement of complaint %(number)s.") % values)
    if kind == "appeal_second_review":
        return (_("Appeal: your opinion is needed"),
                _("The review of the appeal on complaint %(number)s differs from the judgement; answer by "
                  "%(due)s.") % values)
    if kind == "appeal_answered":
        return (_("Appeal answered"),
                _("The appeal on complaint %(number)s is answered: %(result)s.") % values)
    return kind, number


def notify(*, users: Iterable[Any], complaint: Any, kind: str, **params: Any) -> int:
    """An internal notice to each user (once), in the user's language. ``params`` values may be
    policy Texts or callables of the language."""
    seen: set[int] = set()
    count = 0
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        language = user.language
        with translation.override(language):
            localised = {key: _localise(value, language) for key, value in params.items()}
            subject, body = _notice_text(kind, complaint.number, localised)
        message_queue(actor=None, kind=kind, channel="internal", recipient=user.username, body=str(body),
                      language=language, subject=str(subject), complaint=complaint, recipient_user=user)
        count += 1
    return count


def _localise(value: Any, language: str) -> Any:
    if callable(value):
        return value(language)
    if hasattr(value, "zh") and hasattr(value, "get"):
        return value.get(language)
    return value
