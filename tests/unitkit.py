"""Helpers for tests of organisation units (on pytest's pythonpath, like orgkit): a region with two
stores under head office, a store's own policy version (a variant of the preset, installed without
activating it), people who belong to one unit, and a complaint received by a unit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from orgkit import PASSWORD


@dataclass
class Tree:
    """Head office (``hq``), the region ``east`` and its stores ``store-a`` and ``store-b``."""

    hq: Any
    east: Any
    store_a: Any
    store_b: Any
    people: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, username: str) -> Any:
        return self.people[username]


def build_tree() -> Tree:
    from complaintdesk.units.models import root_unit
    from complaintdesk.units.services import unit_create

    hq = root_unit()
    east = unit_create(actor=None, code="east", name_zh="华东区", name_en="East region", kind="region")
    store_a = unit_create(actor=None, code="store-a", name_zh="甲店", name_en="Store A", kind="store", parent="east")
    store_b = unit_create(actor=None, code="store-b", name_zh="乙店", name_en="Store B", kind="store", parent="east")
    return Tree(hq=hq, east=east, store_a=store_a, store_b=store_b)


def person(tree: Tree, username: str, unit: str, *roles: str) -> Any:
    """A user who belongs to ``unit`` only, with ``roles`` there."""
    from complaintdesk.accounts.models import User
    from complaintdesk.accounts.services import user_create
    from complaintdesk.units.services import membership_set

    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(actor=None, username=username, password=PASSWORD, roles=[], first_name=username.title(),
                           last_name="Test", language="en")
    membership_set(actor=None, username=username, unit=unit, roles=list(roles))
    user = User.objects.get(pk=user.pk)
    tree.people[username] = user
    return user


def own_policy(unit: Any, preset: str, version: str, *replacements: tuple[str, str]) -> Any:
    """Install a variant of ``preset`` (text replaced, new version) without activating it and make it
    ``unit``'s own policy version."""
    from complaintdesk.core.policies import policy_install
    from complaintdesk.policy.load import LoadedPolicy, parse_policy_text, preset_path
    from complaintdesk.units.models import Unit

    text = preset_path(preset).read_text(encoding="utf-8")
    current = next(line for line in text.splitlines() if line.startswith("version: "))
    for old, new in [*replacements, (current, f'version: "{version}"')]:
        if old not in text:
            raise AssertionError(old)
        text = text.replace(old, new, 1)
    loaded = LoadedPolicy(parse_policy_text(text, f"{preset}-{version}.yaml"), text,
                          hashlib.sha256(text.encode()).hexdigest(), f"{preset}-{version}.yaml")
    installed = policy_install(actor=None, loaded=loaded, activate=False)
    Unit.objects.filter(pk=unit.pk).update(policy_version=installed)
    unit.policy_version = installed
    return installed


def received_by(complaint: Any, unit: Any, *, owner: Any = None) -> Any:
    """The complaint as if ``unit`` had received it: its unit, the unit's policy version and, when
    given, its owner there."""
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.units.policies import unit_version

    changes: dict[str, Any] = {"unit": unit, "policy_version": unit_version(unit)}
    if owner is not None:
        changes["owner"] = owner
    Complaint.objects.filter(pk=complaint.pk).update(**changes)
    return Complaint.objects.select_related("unit").get(pk=complaint.pk)
