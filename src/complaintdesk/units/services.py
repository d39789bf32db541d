"""Writes on the unit tree and its memberships. Each is atomic and audited; a refused change
leaves nothing half-done."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.audit import audit
from complaintdesk.core.errors import FieldProblem, NotFound, PermissionDenied, Problems, ValidationFailed
from complaintdesk.core.models import PolicyVersion
from complaintdesk.core.policies import policy_install, policy_of
from complaintdesk.policy.load import LoadedPolicy
from complaintdesk.policy.rules import inheritance as rules
from complaintdesk.policy.rules.inheritance import Loosening
from complaintdesk.policy.schema import Role
from complaintdesk.units.models import Membership, Unit, path_segment, root_unit
from complaintdesk.units.policies import inherited_version
from complaintdesk.units.scope import forget, roles_at

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
PREFIX_RE = re.compile(r"^[A-Z0-9]{1,8}$")


def _may_manage(actor: Any, at: Unit | None) -> None:
    """The administrator manages the tree; ``actor`` None is the command line run by the operator."""
    if actor is None:
        return
    if Role.ADMIN.value not in roles_at(actor, at or root_unit()):
        raise PermissionDenied(_("Only the administrator manages organisation units."))


def _check_fields(problems: Problems, *, code: str | None, kind: str, name_zh: str, name_en: str,
                  number_prefix: str) -> None:
    if code is not None:
        if not CODE_RE.match(code):
            problems.add("code", _("Use 1 to 32 lower-case letters, digits, '-' and '_', starting with a letter "
                                   "or digit."))
        elif Unit.objects.filter(code=code).exists():
            problems.add("code", _("The unit code %(code)s is taken.") % {"code": code})
    if kind not in Unit.Kind.values:
        problems.add("kind", _("Unknown kind %(kind)s; use one of: %(kinds)s.")
                     % {"kind": kind, "kinds": ", ".join(Unit.Kind.values)})
    if not name_zh.strip():
        problems.add("name_zh", _("The Chinese name is required."))
    if not name_en.strip():
        problems.add("name_en", _("The English name is required."))
    if number_prefix and not PREFIX_RE.match(number_prefix):
        problems.add("number_prefix", _("Use 1 to 8 capital letters or digits."))


@transaction.atomic
def unit_create(*, actor: Any, code: str, name_zh: str, name_en: str, parent: str | None = None,
                kind: str = Unit.Kind.BRANCH, number_prefix: str = "") -> Unit:
    """Create a unit under ``parent`` (a unit code; head office when empty)."""
    code = code.strip()
    problems = Problems()
    parent_unit: Unit | None = None
    if parent:
        parent_unit = Unit.objects.filter(code=parent.strip()).first()
        if parent_unit is None:
            problems.add("parent", _("There is no organisation unit %(code)s.") % {"code": parent})
    else:
        parent_unit = root_unit()
    if kind == Unit.Kind.HEAD_OFFICE:
        problems.add("kind", _("There is one head office: the root of the tree."))
    _check_fields(problems, code=code, kind=kind, name_zh=name_zh, name_en=name_en, number_prefix=number_prefix)
    problems.raise_if_any()
    _may_manage(actor, parent_unit)
    if parent_unit is None:  # refused above; for the type checker
        raise NotFound(_("There is no organisation unit %(code)s.") % {"code": parent})
    unit = Unit.objects.create(code=code, kind=kind, name_zh=name_zh.strip(), name_en=name_en.strip(),
                               parent=parent_unit, number_prefix=number_prefix)
    unit.path = parent_unit.path + path_segment(unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    audit(actor=actor, action="unit.create", obj=unit,
          after={"code": code, "kind": kind, "parent": parent_unit.code, "name_zh": name_zh, "name_en": name_en,
                 "number_prefix": number_prefix})
    return unit


@transaction.atomic
def unit_update(*, actor: Any, code: str, name_zh: str | None = None, name_en: str | None = None,
                kind: str | None = None, number_prefix: str | None = None) -> Unit:
    unit = Unit.objects.select_for_update().filter(code=code).first()
    if unit is None:
        raise NotFound(_("There is no organisation unit %(code)s.") % {"code": code})
    _may_manage(actor, unit)
    before = {"name_zh": unit.name_zh, "name_en": unit.name_en, "kind": unit.kind, "number_prefix": unit.number_prefix}
    after = {"name_zh": unit.name_zh if name_zh is None else name_zh.strip(),
             "name_en": unit.name_en if name_en is None else name_en.strip(),
             "kind": unit.kind if kind is None else kind,
             "number_prefix": unit.number_prefix if number_prefix is None else number_prefix.strip()}
    problems = Problems()
    _check_fields(problems, code=None, **after)
    if unit.parent_id is None and after["kind"] != Unit.Kind.HEAD_OFFICE:
        problems.add("kind", _("Head office stays the root of the tree."))
    if unit.parent_id is not None and after["kind"] == Unit.Kind.HEAD_OFFICE:
        problems.add("kind", _("There is one head office: the root of the tree."))
    problems.raise_if_any()
    Unit.objects.filter(pk=unit.pk).update(**after)
    for key, value in after.items():
        setattr(unit, key, value)
    audit(actor=actor, action="unit.update", obj=unit, before=before, after=after)
    return unit


@transaction.atomic
def unit_move(*, actor: Any, code: str, parent: str) -> Unit:
    """Move a unit (and everything below it) under ``parent``. Moving a unit under itself or one of
    its descendants is refused; the whole subtree's paths change in one statement."""
    unit = Unit.objects.select_for_update().filter(code=code).first()
    if unit is None:
        raise NotFound(_("There is no organisation unit %(code)s.") % {"code": code})
    target = Unit.objects.filter(code=parent.strip()).first()
    problems = Problems()
    if target is None:
        problems.add("parent", _("There is no organisation unit %(code)s.") % {"code": parent})
    elif unit.parent_id is None:
        problems.add("code", _("Head office is the root of the tree and cannot be moved."))
    elif target.path.startswith(unit.path):
        problems.add("parent", _("%(unit)s cannot move under %(target)s: it is the unit itself or one of its own "
                                 "units.") % {"unit": unit.code, "target": target.code})
    problems.raise_if_any()
    if target is None:  # refused above
        raise NotFound(_("There is no organisation unit %(code)s.") % {"code": parent})
    _may_manage(actor, unit)
    _may_manage(actor, target)
    old_path, new_path = unit.path, target.path + path_segment(unit.pk)
    before_parent = unit.parent.code if unit.parent else None
    if old_path != new_path:
        Unit.objects.filter(pk=unit.pk).update(parent=target)
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)))
        unit.refresh_from_db()
        audit(actor=actor, action="unit.move", obj=unit, before={"parent": before_parent, "path": old_path},
              after={"parent": target.code, "path": new_path})
    return unit


@transaction.atomic
def unit_delete(*, actor: Any, code: str) -> None:
    """Delete a unit that has no units below it and no open complaints. A unit with closed
    complaints is kept and made inactive: its history stays readable at head office."""
    unit = Unit.objects.select_for_update().filter(code=code).first()
    if unit is None:
        raise NotFound(_("There is no organisation unit %(code)s.") % {"code": code})
    _may_manage(actor, unit)
    problems = Problems()
    if unit.parent_id is None:
        problems.add("code", _("Head office cannot be deleted."))
    if Unit.objects.filter(parent=unit, active=True).exists():
        problems.add("code", _("%(unit)s has units below it; move or delete them first.") % {"unit": unit.code})
    from django.apps import apps  # complaints live above this floor: asked by label, not imported

    complaint_model = apps.get_model("complaints", "Complaint")
    open_count = complaint_model.objects.filter(
        unit=unit, status__in=["registered", "accepted", "in_progress", "resolved"]).count()
    if open_count:
        problems.add("code", _("%(unit)s has %(count)s open complaints; transfer or close them first.")
                     % {"unit": unit.code, "count": open_count})
    problems.raise_if_any()
    history = complaint_model.objects.filter(unit=unit).exists()
    Membership.objects.filter(unit=unit).delete()
    if history:
        Unit.objects.filter(pk=unit.pk).update(active=False)
        audit(actor=actor, action="unit.deactivate", obj=unit, before={"active": True}, after={"active": False})
    else:
        audit(actor=actor, action="unit.delete", obj=unit, before={"code": unit.code, "path": unit.path})
        unit.delete()


def _sync_groups(user: Any) -> None:
    """Groups stay the union of the user's roles in all units (the admin's user page shows them)."""
    codes = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if not codes:
        return
    current = set(user.groups.filter(name__in=[role.value for role in Role]).values_list("name", flat=True))
    for code in codes - current:
        group, _created = Group.objects.get_or_create(name=code)
        user.groups.add(group)
    for code in current - codes:
        user.groups.remove(Group.objects.get(name=code))
    forget(user)


@transaction.atomic
def membership_set(*, actor: Any, username: str, unit: str, roles: Iterable[str]) -> list[Membership]:
    """Give ``username`` exactly ``roles`` at ``unit`` (an empty list removes the user from the
    unit). A user with roles but no unit belongs to head office with them until first placed in a
    unit: from then on the memberships alone say where the user holds which role (give head-office
    roles at head office's code), and the user's groups are their union."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username.strip()).first()
    target = Unit.objects.filter(code=unit.strip(), active=True).first()
    wanted = [str(role).strip() for role in roles if str(role).strip()]
    problems = Problems()
    if user is None:
        problems.add("username", _("There is no user %(name)s.") % {"name": username})
    if target is None:
        problems.add("unit", _("There is no organisation unit %(code)s.") % {"code": unit})
    for role in wanted:
        if role not in [r.value for r in Role]:
            problems.add("roles", _("Unknown role %(role)s.") % {"role": role})
    problems.raise_if_any()
    if user is None or target is None:  # refused above
        raise NotFound(_("There is no organisation unit %(code)s.") % {"code": unit})
    _may_manage(actor, target)
    before = sorted(Membership.objects.filter(user=user, unit=target).values_list("role", flat=True))
    Membership.objects.filter(user=user, unit=target).exclude(role__in=wanted).delete()
    for role in wanted:
        Membership.objects.get_or_create(user=user, unit=target, role=role)
    if not Membership.objects.filter(user=user).exists():
        user.groups.clear()
    _sync_groups(user)
    after = sorted(set(wanted))
    if before != after:
        audit(actor=actor, action="unit.membership", obj=target,
              before={"user": user.get_username(), "roles": before},
              after={"user": user.get_username(), "roles": after})
    return list(Membership.objects.filter(user=user, unit=target).order_by("role"))


# --- a policy per unit -----------------------------------------------------------------------


def _unit_of(unit: Unit | str) -> Unit:
    code = unit.code if isinstance(unit, Unit) else str(unit).strip()
    target = Unit.objects.select_for_update().filter(code=code).first()
    if target is None:
        raise NotFound(_("There is no organisation unit %(code)s.") % {"code": unit})
    return target


def _loosening_problem(found: Loosening, inherited: PolicyVersion) -> FieldProblem:
    if found.path == "fixed":
        return FieldProblem("fixed", _("%(path)s is fixed by the inherited policy %(policy)s; this policy must keep "
                                       "it in its own fixed list.") % {"path": found.inherited, "policy": inherited})
    if found.verdict == "looser":
        text = _("%(path)s is fixed by the inherited policy %(policy)s: it is %(inherited)s there and may not be "
                 "loosened to %(own)s.")
    else:
        text = _("%(path)s is fixed by the inherited policy %(policy)s: it is %(inherited)s there and may only be "
                 "kept or made stricter, not changed to %(own)s.")
    return FieldProblem(found.path, text % {"path": found.path, "policy": inherited, "inherited": found.inherited,
                                            "own": found.own})


def _own_policies_below(target: Unit, loaded: LoadedPolicy) -> list[FieldProblem]:
    """The units below ``target`` that own a policy version inheriting from it directly (no unit
    with its own version in between) and that the new policy's fixed rules would find looser: a
    new rule at a parent may not leave a child's installed policy breaking it."""
    owners = list(Unit.objects.filter(path__startswith=target.path, policy_version__isnull=False)
                  .exclude(pk=target.pk).select_related("policy_version").order_by("path"))
    owner_ids = {owner.pk for owner in owners}
    problems: list[FieldProblem] = []
    for unit in owners:
        if owner_ids.intersection(unit.ancestor_ids()[:-1]):
            continue  # it inherits from a unit below target, which is checked against target itself
        for item in rules.loosenings(loaded.policy, policy_of(unit.policy_version)):  # type: ignore[arg-type]
            problems.append(FieldProblem(
                "fixed", _("%(unit)s's own policy %(policy)s breaks the new fixed rule %(path)s (%(own)s there, "
                           "%(inherited)s here); change that unit's policy first.")
                % {"unit": unit.code, "policy": unit.policy_version, "path": item.path, "own": item.own,
                   "inherited": item.inherited}))
    return problems


@transaction.atomic
def unit_policy_install(*, actor: Any, unit: Unit | str, loaded: LoadedPolicy) -> PolicyVersion:
    """Give ``unit`` its own policy version (installed, not made the installation's active one).
    Every rule the inherited policy marks ``fixed`` must be kept equal or stricter; a loosening is
    refused naming each path with both values, and nothing is installed."""
    target = _unit_of(unit)
    _may_manage(actor, target)
    inherited = inherited_version(target)
    found = rules.loosenings(policy_of(inherited), loaded.policy)
    if found:
        raise ValidationFailed([_loosening_problem(item, inherited) for item in found])
    below = _own_policies_below(target, loaded)
    if below:
        raise ValidationFailed(below)
    before = target.policy_version
    version = policy_install(actor=actor, loaded=loaded, activate=False)
    Unit.objects.filter(pk=target.pk).update(policy_version=version)
    target.policy_version = version
    audit(actor=actor, action="unit.policy_install", obj=target,
          before={"policy": str(before) if before else None, "inherited": str(inherited)},
          after={"policy": str(version)})
    return version


@transaction.atomic
def unit_policy_remove(*, actor: Any, unit: Unit | str) -> PolicyVersion:
    """The unit returns to its parent's policy; complaints registered under its own version keep it.
    Returns the version the unit now follows."""
    target = _unit_of(unit)
    _may_manage(actor, target)
    before = target.policy_version
    if before is None:
        raise ValidationFailed([FieldProblem("unit", _("%(unit)s has no policy of its own; it follows %(policy)s.")
                                             % {"unit": target.code, "policy": inherited_version(target)})])
    Unit.objects.filter(pk=target.pk).update(policy_version=None)
    target.policy_version = None
    inherited = inherited_version(target)
    audit(actor=actor, action="unit.policy_remove", obj=target, before={"policy": str(before)},
          after={"policy": None, "inherited": str(inherited)})
    return inherited


# --- bulk assignment and the admin's membership inlines (u-doors) -------------------------------


def _row_problems(problems: Problems, index: int, row: dict[str, Any], seen: set[tuple[str, str]],
                  users: set[str], units: set[str]) -> None:
    prefix = f"rows[{index}]"
    username = str(row.get("username") or "").strip()
    code = str(row.get("unit") or "").strip()
    roles = row.get("roles")
    if not username:
        problems.add(f"{prefix}.username", _("The username is required."))
    elif username not in users:
        problems.add(f"{prefix}.username", _("There is no user %(name)s.") % {"name": username})
    if not code:
        problems.add(f"{prefix}.unit", _("The unit code is required."))
    elif code not in units:
        problems.add(f"{prefix}.unit", _("There is no organisation unit %(code)s.") % {"code": code})
    if not isinstance(roles, list | tuple):
        problems.add(f"{prefix}.roles", _("Give the roles as a list (empty removes the user from the unit)."))
    else:
        for role in roles:
            if str(role).strip() not in [r.value for r in Role]:
                problems.add(f"{prefix}.roles", _("Unknown role %(role)s.") % {"role": role})
    if username and code:
        if (username, code) in seen:
            problems.add(f"{prefix}.unit", _("%(name)s is already assigned to %(code)s in an earlier row.")
                         % {"name": username, "code": code})
        seen.add((username, code))


@transaction.atomic
def memberships_bulk_set(*, actor: Any, rows: list[dict[str, Any]]) -> int:
    """Give each row's user exactly the row's roles at the row's unit (``{username, unit, roles}``).
    All or nothing: every row is checked first and every problem is reported as ``rows[i].field``;
    nothing is written unless every row is right. Returns the number of rows applied."""
    problems = Problems()
    if not rows:
        problems.add("rows", _("Give at least one row."))
    names = {str(row.get("username") or "").strip() for row in rows}
    codes = {str(row.get("unit") or "").strip() for row in rows}
    users = set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes, active=True)}
    seen: set[tuple[str, str]] = set()
    for index, row in enumerate(rows):
        _row_problems(problems, index, row, seen, users, set(units))
    problems.raise_if_any()
    for row in rows:
        _may_manage(actor, units[str(row["unit"]).strip()])
    for row in rows:
        membership_set(actor=actor, username=str(row["username"]), unit=str(row["unit"]),
                       roles=[str(role) for role in row["roles"]])
    return len(rows)


def memberships_snapshot(user: Any) -> list[tuple[str, str]]:
    """The user's (unit code, role) pairs, sorted: what the admin compares before and after a save."""
    return sorted(Membership.objects.filter(user=user).values_list("unit__code", "role"))


@transaction.atomic
def memberships_saved(*, actor: Any, user: Any, before: list[tuple[str, str]]) -> None:
    """After memberships were edited in place (the admin's inlines): the user's groups become the
    union of their roles again (as with ``membership_set``, once a user is in a unit the memberships
    alone say which roles they hold), and a change is audited. A user whose last membership was
    removed loses the roles too, rather than falling back to head office with them."""
    after = memberships_snapshot(user)
    if after:
        _sync_groups(user)
    elif before:
        user.groups.remove(*user.groups.filter(name__in=[role.value for role in Role]))
        forget(user)
    if after != before:
        audit(actor=actor, action="unit.membership", obj=user,
              before={"user": user.get_username(), "memberships": [list(pair) for pair in before]},
              after={"user": user.get_username(), "memberships": [list(pair) for pair in after]})
