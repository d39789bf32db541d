"""Who holds a role: the one query every app asks when it needs the people behind a role."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from complaintdesk.accounts.models import User
from complaintdesk.policy.schema import Role
from complaintdesk.units.models import Unit
from complaintdesk.units.scope import chain, unit_path


def role_holders(*roles: Role | str, department: int | None = None, at: Any = None) -> QuerySet[User]:
    """The active users holding any of ``roles`` (optionally of one department), each once, by id.

    With ``at`` (a unit, or a record with a unit such as a complaint) only those who hold the role
    there: at that unit or a unit above it. A user with roles but no membership belongs to head
    office, and so holds them everywhere."""
    codes = [str(role) for role in roles]
    users = User.objects.filter(is_active=True)
    path = unit_path(at)
    if path is None:
        users = users.filter(Q(memberships__role__in=codes, memberships__unit__active=True)
                             | Q(groups__name__in=codes, memberships__isnull=True))
    else:
        above = [int(part) for part in path.strip("/").split("/") if part]
        users = users.filter(Q(memberships__role__in=codes, memberships__unit_id__in=above)
                             | Q(groups__name__in=codes, memberships__isnull=True))
    if department is not None:
        users = users.filter(department_id=department)
    return User.objects.filter(pk__in=users.values("pk")).order_by("id")


def nearest_role_holders(*roles: Role | str, at: Any) -> QuerySet[User]:
    """The holders of ``roles`` at the nearest unit up the chain of ``at`` that has any: a store's
    own section chief before the region's, the region's before head office's (approvals, notices
    that go to one person's desk)."""
    codes = [str(role) for role in roles]
    unit = at if isinstance(at, Unit) else at.unit
    for link in chain(unit):
        holds = Q(memberships__role__in=codes, memberships__unit=link)
        if link.parent_id is None:  # head office: also the users with roles and no membership
            holds |= Q(groups__name__in=codes, memberships__isnull=True)
        found = User.objects.filter(pk__in=User.objects.filter(holds, is_active=True).values("pk")).order_by("id")
        if found.exists():
            return found
    return User.objects.none()
