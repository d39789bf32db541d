"""Who holds a role: the one query every app asks when it needs the people behind a role."""

from __future__ import annotations

from django.db.models import QuerySet

from complaintdesk.accounts.models import User
from complaintdesk.policy.schema import Role


def role_holders(*roles: Role | str, department: int | None = None) -> QuerySet[User]:
    """The active users holding any of ``roles`` (optionally of one department), each once, by id."""
    users = User.objects.filter(is_active=True, groups__name__in=[str(role) for role in roles])
    if department is not None:
        users = users.filter(department_id=department)
    return users.distinct().order_by("id")
