"""Scoping from one place: which units a user reaches, with which roles, and the filter that every
read of unit-owned rows applies.

A role held at a unit holds at that unit and every unit below it (head office roles see
everything). A user who holds roles (groups) but no membership belongs to head office with those
roles, so that a single-unit organisation needs no extra step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from complaintdesk.units.models import Membership, Unit, path_segment, root_unit


@dataclass(frozen=True)
class Held:
    """One role held at one unit (its path)."""

    unit_id: int
    path: str
    role: str


def held(user: Any) -> tuple[Held, ...]:
    """Every (unit, role) the user holds, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, "_units_held", None)
    if cached is not None:
        return tuple(cached)
    rows = tuple(Held(unit_id, path, role) for unit_id, path, role in
                 Membership.objects.filter(user_id=user.pk, unit__active=True)
                 .values_list("unit_id", "unit__path", "role"))
    if not rows:
        groups = list(user.groups.values_list("name", flat=True))
        if user.is_superuser and "admin" not in groups:
            groups.append("admin")
        if groups:
            root = root_unit()
            rows = tuple(Held(root.pk, root.path, role) for role in sorted(groups))
    elif user.is_superuser and not any(row.role == "admin" for row in rows):
        root = root_unit()
        rows = (*rows, Held(root.pk, root.path, "admin"))
    user._units_held = rows
    return rows


def forget(user: Any) -> None:
    """Drop the cached memberships (after they change)."""
    for name in ("_units_held", "_role_codes"):
        if hasattr(user, name):
            delattr(user, name)


def unit_path(at: Any) -> str | None:
    """The path of a unit, or of the unit of a record that has one (a complaint)."""
    if at is None:
        return None
    if isinstance(at, Unit):
        return at.path or "/" + path_segment(at.pk)
    unit = getattr(at, "unit", None)
    if isinstance(unit, Unit):
        return unit.path
    raise TypeError(f"not a unit nor a record with a unit: {at!r}")


def roles_at(user: Any, at: Any) -> frozenset[str]:
    """The roles the user holds at ``at`` (a unit or a record with a unit): those held there or at
    any unit above it."""
    path = unit_path(at)
    if path is None:
        return frozenset(row.role for row in held(user))
    return frozenset(row.role for row in held(user) if path.startswith(row.path))


def top_paths(user: Any) -> list[str]:
    """The paths of the units the user belongs to, without those already inside another one."""
    paths = sorted({row.path for row in held(user)}, key=len)
    out: list[str] = []
    for path in paths:
        if not any(path.startswith(top) for top in out):
            out.append(path)
    return out


def scope_q(user: Any, field: str = "unit") -> Q:
    """The filter on ``field`` (a foreign key to Unit, through any relation: ``complaint__unit``)
    that keeps the rows of the user's units and the units below them. Nothing for a user in no
    unit."""
    paths = top_paths(user)
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{field}__path__startswith": path})
    return query


def reaches(user: Any, at: Any) -> bool:
    """Whether the user's units include ``at`` (a unit or a record with a unit)."""
    path = unit_path(at)
    return path is not None and any(path.startswith(top) for top in top_paths(user))


def units_in_scope(user: Any) -> list[Unit]:
    """The units the user reaches, in tree order."""
    paths = top_paths(user)
    if not paths:
        return []
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return list(Unit.objects.filter(query, active=True).order_by("path"))


def chain(unit: Unit) -> list[Unit]:
    """The unit and every unit above it, nearest first (the unit itself, its parent … head office)."""
    ids = unit.ancestor_ids()
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return [by_id[pk] for pk in reversed(ids) if pk in by_id]


def colleagues_q(user: Any) -> Q:
    """The filter on users that keeps those who work where ``user`` does: members of the user's units,
    of the units below them or of the units above them (head office), and users with roles but no
    membership (head office). For pickers that list people across the user's complaints."""
    query = Q(memberships__isnull=True)
    for path in top_paths(user):
        above = [int(part) for part in path.strip("/").split("/") if part]
        query |= Q(memberships__unit__path__startswith=path) | Q(memberships__unit_id__in=above)
    return query


def shares_a_unit_q(user: Any, field: str = "memberships__unit") -> Q:
    """The filter on users who work in the user's units: a membership in one of them (or in a unit
    below or above one of them), or no membership at all (head office by default). For pickers of
    colleagues (delegation)."""
    tops = top_paths(user)
    if not tops:
        return Q(pk__in=[])
    query = Q(memberships__isnull=True)
    for path in tops:
        query |= Q(**{f"{field}__path__startswith": path})
        ancestors = [int(part) for part in path.strip("/").split("/") if part]
        query |= Q(**{f"{field}__pk__in": ancestors})
    return query
