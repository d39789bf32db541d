"""Pieces shared by the follow-up services: notices to staff in their own language, the policy's
return-visit and judgement rules, who may work on a return visit."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import SUPERVISING_ROLES, has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.core.errors import Conflict
from complaintdesk.policy.schema import ClockEvent, Judgement, Policy, ReturnVisit, Role


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


def least_loaded_visitor(role: Role, *, at: Any) -> User | None:
    """The active user holding ``role`` at the complaint's unit (there or above) with the fewest open
    return visits."""
    return (role_holders(role, at=at)
            .annotate(load=Count("return_visits", filter=Q(return_visits__state="open")))
            .order_by("load", "id").first())


def may_assign(actor: Any, rule: ReturnVisit, *, at: Any) -> bool:
    """The policy's assigner or a supervisor, at the complaint's unit (``at``)."""
    return has_role(actor, rule.assigner, *SUPERVISING_ROLES, at=at)


def may_work(actor: Any, visit: Any, rule: ReturnVisit) -> bool:
    """The assigned visitor, anyone of the visitor role while nobody is assigned, or the team lead."""
    if visit.assigned_to_id == actor.pk or may_assign(actor, rule, at=visit.complaint):
        return True
    return visit.assigned_to_id is None and has_role(actor, rule.visitor, at=visit.complaint)
