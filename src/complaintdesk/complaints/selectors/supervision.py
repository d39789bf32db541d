"""Reads for supervisors: the levels a user supervises and the complaints at those levels,
and the open major complaints — each within the user's units (complaintdesk.units.scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from complaintdesk.accounts.roles import roles_of
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import visible_complaints
from complaintdesk.core.policies import active_policy
from complaintdesk.policy.schema import Policy, Role
from complaintdesk.units.scope import held

# management oversees every level, whatever the policy names as each level's supervisor
MANAGEMENT = (Role.CS_HEAD, Role.VP, Role.GM, Role.ADMIN)

FINISHED = ("closed", "rejected", "withdrawn")


def _levels_for(policy: Policy, roles: set[Role]) -> list[str]:
    if roles & set(MANAGEMENT):
        return [level.code for level in policy.levels_by_rank()]
    return [level.code for level in policy.levels if roles & set(level.supervising_roles())]


def supervised_levels(user: Any) -> list[str]:
    """Levels whose supervisor role (or a role that follows the level: ``followed_by``) the user
    holds anywhere (orange → QC manager, red → head of service…); every level for management (head
    of customer service, VP, GM, administrator). The menu asks this; the queue narrows each level to
    the units where the user holds that role."""
    _version, policy = active_policy()
    return _levels_for(policy, set(roles_of(user)))


def supervised_complaints(user: Any) -> QuerySet[Complaint]:
    """The open complaints at the levels the user supervises, each level only in the units (and
    below) where the user holds its supervising role: a QC manager of store A does not supervise
    store B's orange complaints."""
    _version, policy = active_policy()
    condition = Q(pk__in=[])
    for row in held(user):
        try:
            role = Role(row.role)
        except ValueError:
            continue
        levels = _levels_for(policy, {role})
        if levels:
            condition |= Q(unit__path__startswith=row.path, level__in=levels)
    return (visible_complaints(user).filter(condition).exclude(status__in=FINISHED)
            .select_related("owner", "customer", "policy_version").order_by("-major_opened_at", "-registered_at"))


def major_complaints(user: Any) -> QuerySet[Complaint]:
    """The open major complaints of the user's units."""
    return (visible_complaints(user).filter(major_opened_at__isnull=False).exclude(status__in=FINISHED)
            .select_related("owner", "customer", "policy_version").order_by("-major_opened_at"))
