"""Reads for supervisors: the levels a user supervises and the complaints at those levels,
and the open major complaints."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from complaintdesk.accounts.roles import roles_of
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.policies import active_policy
from complaintdesk.policy.schema import Role

# management oversees every level, whatever the policy names as each level's supervisor
MANAGEMENT = (Role.CS_HEAD, Role.VP, Role.GM, Role.ADMIN)


def supervised_levels(user: Any) -> list[str]:
    """Levels whose supervisor role the user holds (orange → QC manager, red → head of service…);
    every level for management (head of customer service, VP, GM, administrator)."""
    _version, policy = active_policy()
    roles = set(roles_of(user))
    if roles & set(MANAGEMENT):
        return [level.code for level in policy.levels_by_rank()]
    return [level.code for level in policy.levels if level.supervisor is not None and level.supervisor in roles]


def supervised_complaints(user: Any) -> QuerySet[Complaint]:
    levels = supervised_levels(user)
    return (Complaint.objects.filter(level__in=levels).exclude(status__in=["closed", "rejected", "withdrawn"])
            .select_related("owner", "customer", "policy_version").order_by("-major_opened_at", "-registered_at"))


def major_complaints() -> QuerySet[Complaint]:
    return (Complaint.objects.filter(major_opened_at__isnull=False)
            .exclude(status__in=["closed", "rejected", "withdrawn"])
            .select_related("owner", "customer", "policy_version").order_by("-major_opened_at"))
