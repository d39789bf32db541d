"""Reads of the unit tree for the administrator's interfaces (command line, API, page): the tree in
order with its counts, one unit as the caller may see it, and a unit's members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.errors import NotFound
from complaintdesk.units.models import Membership, Unit
from complaintdesk.units.scope import reaches, units_in_scope

# the statuses of a complaint that is still being handled (complaints live above this floor)
OPEN_STATUSES = ("registered", "accepted", "in_progress", "resolved")


@dataclass(frozen=True)
class UnitRow:
    """One unit of the tree with what the administrator wants to see next to it."""

    unit: Unit
    parent_code: str | None
    depth: int
    own_version: str | None
    members: int
    open_complaints: int

    @property
    def indent(self) -> int:
        """The indentation step of the row on the page (Bootstrap's ps-0 … ps-5)."""
        return min(5, 2 * self.depth)


def open_counts(unit_ids: list[int]) -> dict[int, int]:
    """Open complaints received by each unit (the unit itself, not the units below it)."""
    complaint_model = apps.get_model("complaints", "Complaint")
    rows = (complaint_model.objects.filter(unit_id__in=unit_ids, status__in=OPEN_STATUSES)
            .values("unit_id").annotate(n=Count("pk")))
    return {row["unit_id"]: row["n"] for row in rows}


def member_counts(unit_ids: list[int]) -> dict[int, int]:
    """Distinct users holding a role at each unit."""
    rows = (Membership.objects.filter(unit_id__in=unit_ids).values("unit_id")
            .annotate(n=Count("user_id", distinct=True)))
    return {row["unit_id"]: row["n"] for row in rows}


def _rows(units: list[Unit]) -> list[UnitRow]:
    ids = [u.pk for u in units]
    opened, members = open_counts(ids), member_counts(ids)
    return [UnitRow(unit=u, parent_code=u.parent.code if u.parent else None, depth=u.depth,
                    own_version=str(u.policy_version.version) if u.policy_version else None,
                    members=members.get(u.pk, 0), open_complaints=opened.get(u.pk, 0)) for u in units]


def tree_order(units: list[Unit]) -> list[Unit]:
    """Each unit after its parent, siblings in the order they were created. Sorting the ``path``
    text would not do: "/1/10/" sorts before "/1/9/", and PostgreSQL's collations skip the slashes."""
    return sorted(units, key=lambda unit: unit.ancestor_ids())


def unit_tree(user: Any = None) -> list[UnitRow]:
    """The units ``user`` reaches in tree order (every active unit for the command line, ``user``
    None)."""
    if user is None:
        units = Unit.objects.filter(active=True)
    else:
        units = Unit.objects.filter(pk__in=[u.pk for u in units_in_scope(user)])
    return _rows(tree_order(list(units.select_related("parent", "policy_version"))))


def unit_for(user: Any, code: str) -> UnitRow:
    """One unit as ``user`` sees it (None: the command line). A unit outside the user's units is
    not found, like a unit that does not exist."""
    unit = Unit.objects.select_related("parent", "policy_version").filter(code=code.strip(), active=True).first()
    if unit is None or (user is not None and not reaches(user, unit)):
        raise NotFound(_("There is no organisation unit %(code)s.") % {"code": code})
    return _rows([unit])[0]


@dataclass(frozen=True)
class Member:
    username: str
    name: str
    roles: tuple[str, ...]


def unit_members(unit: Unit) -> list[Member]:
    """Who holds roles at ``unit`` itself, by username, with their roles there."""
    by_user: dict[int, tuple[Any, list[str]]] = {}
    for membership in Membership.objects.filter(unit=unit).select_related("user").order_by("user__username", "role"):
        entry = by_user.setdefault(membership.user_id, (membership.user, []))
        entry[1].append(membership.role)
    return [Member(username=user.get_username(), name=_display_name(user), roles=tuple(roles))
            for user, roles in by_user.values()]


def _display_name(user: Any) -> str:
    """The user's name in its own order (张伟, Wei Zhang); accounts lives above this floor."""
    name = getattr(user, "display_name", "")
    name = name() if callable(name) else name
    return str(name or user.get_full_name() or "").strip()
