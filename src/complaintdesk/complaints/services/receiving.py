"""The unit that received a complaint: the unit a registration names, or the registering user's
home unit, and the units a user may register at (the registration form's choices)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import CAPABILITIES, can
from complaintdesk.accounts.roles_load import unit_facts
from complaintdesk.core.errors import Problems
from complaintdesk.core.models import PolicyVersion
from complaintdesk.core.policies import active_version, policy_of
from complaintdesk.policy.schema import Policy
from complaintdesk.units.models import Membership, Unit, root_unit
from complaintdesk.units.policies import unit_policy
from complaintdesk.units.scope import held, reaches

__all__ = ["home_unit", "registration_policy", "registration_unit", "registration_units"]


def registration_units(actor: Any) -> list[Unit]:
    """The active units where ``actor`` may register (holds a registering role there or above),
    in tree order: the choices of the registration form."""
    registering = {role.value for role in CAPABILITIES["complaint.register"]}
    paths = sorted({row.path for row in held(actor) if row.role in registering}, key=len)
    tops = [path for index, path in enumerate(paths) if not any(path.startswith(top) for top in paths[:index])]
    if not tops:
        return []
    query = Q()
    for path in tops:
        query |= Q(path__startswith=path)
    return list(Unit.objects.filter(query, active=True).order_by("path"))


def home_unit(actor: Any) -> Unit | None:
    """The unit a registration without a unit belongs to: head office for a user with roles but no
    membership; else the deepest unit where the actor holds a registering role when the others are
    above it (one line of units); None when the choice is the actor's to make."""
    facts = unit_facts(actor)  # what this request already read (accounts.roles_load), else ask
    if facts is not None and not facts.has_memberships:
        return facts.root or root_unit()
    if facts is None and not Membership.objects.filter(user_id=actor.pk, unit__active=True).exists():
        return root_unit()
    registering = {role.value for role in CAPABILITIES["complaint.register"]}
    paths = sorted({row.path for row in held(actor) if row.role in registering}, key=len)
    if not paths or not all(paths[-1].startswith(path) for path in paths):
        return None
    return Unit.objects.filter(path=paths[-1], active=True).first()


def registration_unit(actor: Any, code: str) -> Unit:
    """The unit that received the complaint: the unit named by ``code`` (which the actor must reach
    and register at), or the actor's home unit; a 422 on ``unit`` otherwise."""
    code = code.strip()
    problems = Problems()
    if not code:
        unit = home_unit(actor)
        if unit is None:
            problems.add("unit", _("Choose the unit that received the complaint."))
            problems.raise_if_any()
        return unit  # type: ignore[return-value]  # None was refused above
    found = Unit.objects.filter(code=code).first()
    if found is None or not reaches(actor, found):
        problems.add("unit", _("There is no organisation unit %(code)s.") % {"code": code})
    elif not found.active:
        problems.add("unit", _("The unit %(unit)s is closed; choose another.") % {"unit": found.name})
    elif not can(actor, "complaint.register", at=found):
        problems.add("unit", _("Your role may not register complaints at %(unit)s.") % {"unit": found.name})
    problems.raise_if_any()
    return found  # type: ignore[return-value]  # None was refused above


def registration_policy(unit: Unit) -> tuple[PolicyVersion, Policy]:
    """The policy a complaint received by ``unit`` is registered under (``units.policies``): head
    office's own version, else the active one, without reading the chain of a unit that has no
    parent; any other unit through its chain."""
    if unit.parent_id is None:
        version = unit.policy_version if unit.policy_version_id is not None else None
        version = version or active_version()
        return version, policy_of(version)
    return unit_policy(unit)
