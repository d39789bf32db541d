"""A user's roles and units read in one query, once per request (issue 14).

``units.scope.held`` reads the user's memberships, then (without any) the user's groups, then head
office: three queries on every authenticated API request, and the registration asked again whether
the user has memberships and which unit is head office. :func:`roles_load` reads memberships and
groups in one statement (``UNION ALL``) and head office only when the rows need it, and leaves on the
user object exactly what ``held`` would have cached, plus :class:`UnitFacts` for the registration.
Nothing is kept across requests: a revoked token, a role removed or a membership ended takes effect
on the next request, in every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db.models import CharField, IntegerField, Value

from complaintdesk.units.models import Membership, Unit, root_unit
from complaintdesk.units.scope import Held


@dataclass(frozen=True)
class UnitFacts:
    """What the request knows of the user's place: whether the user has an active membership, and
    head office when it was read."""

    has_memberships: bool
    root: Unit | None


def roles_load(user: Any) -> None:
    """Read the user's (unit, role) pairs in one query and cache them on ``user`` for the request, as
    ``units.scope.held`` does (same rows: memberships at active units; without any, the user's groups
    at head office; a superuser holds admin at head office)."""
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "_units_held", None) is not None:
        return
    members = (Membership.objects.filter(user_id=user.pk, unit__active=True)
               .values_list("unit_id", "unit__path", "role"))
    groups = (Group.objects.filter(user__pk=user.pk)
              .annotate(no_unit=Value(0, output_field=IntegerField()), no_path=Value("", output_field=CharField()))
              .values_list("no_unit", "no_path", "name"))
    rows = list(members.union(groups, all=True))
    held = tuple(Held(unit_id, path, role) for unit_id, path, role in rows if unit_id)
    names = sorted(role for unit_id, _path, role in rows if not unit_id)
    root: Unit | None = None
    if not held:
        if user.is_superuser and "admin" not in names:
            names = sorted([*names, "admin"])
        if names:
            root = root_unit()
            held = tuple(Held(root.pk, root.path, role) for role in names)
    elif user.is_superuser and not any(row.role == "admin" for row in held):
        root = root_unit()
        held = (*held, Held(root.pk, root.path, "admin"))
    user._units_held = held
    user._unit_facts = UnitFacts(has_memberships=any(unit_id for unit_id, _path, _role in rows), root=root)


def unit_facts(user: Any) -> UnitFacts | None:
    """The facts :func:`roles_load` left for this request, or None (not loaded, or forgotten by
    ``units.scope.forget`` after a change: ask the database)."""
    if getattr(user, "_units_held", None) is None:
        return None
    facts = getattr(user, "_unit_facts", None)
    return facts if isinstance(facts, UnitFacts) else None
