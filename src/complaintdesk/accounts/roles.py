"""The fixed roles and what each may do.

Roles are Django groups named by role code (created by a migration), so the administrator assigns
them in the admin. Capabilities are checked in services and selectors, never only in templates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from complaintdesk.policy.schema import Role
from complaintdesk.units.scope import roles_at

ROLE_LABELS = {
    Role.AGENT: _("Front-line agent"),
    Role.SPECIALIST: _("Complaint specialist"),
    Role.HANDLER: _("Department handler"),
    Role.SUPERVISOR: _("Supervisor / team lead"),
    Role.QC_MANAGER: _("Quality-control manager"),
    Role.CS_HEAD: _("Head of customer service"),
    Role.VP: _("Vice president"),
    Role.GM: _("General manager"),
    Role.LEGAL: _("Legal department"),
    Role.QUALITY: _("Quality department"),
    Role.ADMIN: _("Administrator"),
}

STAFF_ROLES = frozenset(Role) - {Role.HANDLER}

# who may own a complaint (and be handed one)
OWNING_ROLES = (Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD)
# who supervises complaint work: acts on any complaint as its owner may
SUPERVISING_ROLES = (Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD)
# who oversees every queue (the supervisors, management and the administrator)
OVERSEEING_ROLES = (*SUPERVISING_ROLES, Role.VP, Role.GM, Role.ADMIN)

CAPABILITIES: dict[str, frozenset[Role]] = {
    # register a complaint (front line and the people who own or supervise complaints)
    "complaint.register": frozenset({Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER,
                                     Role.CS_HEAD}),
    # accept a registered complaint and own it (docs/decisions/0010-who-accepts.md: the front line
    # accepts what it can answer at once; first-person responsibility)
    "complaint.accept": frozenset({Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER,
                                   Role.CS_HEAD}),
    # judge any registration in scope invalid (reject); an owner may reject its own (lifecycle)
    "complaint.reject": frozenset({Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD}),
    # amend the record (fill facts, notes, override the level)
    "complaint.amend": frozenset({Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER,
                                  Role.CS_HEAD}),
    # see every complaint (a department handler sees only its work orders' complaints)
    "complaint.view_all": STAFF_ROLES,
    # see the customer's phone, e-mail and IMEI unmasked (each reveal is audited)
    "customer.reveal": frozenset({Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER,
                                  Role.CS_HEAD, Role.LEGAL}),
    "policy.manage": frozenset({Role.ADMIN}),
    # answer a customer's privacy request: find, export, erase, legal holds (privacy/)
    "privacy.answer": frozenset({Role.ADMIN, Role.LEGAL}),
}


def role_codes(user: Any, at: Any = None) -> frozenset[str]:
    """The roles the user holds: anywhere (``at`` None: what menus and landing pages show), or at
    one unit or the unit of one record (a complaint): a supervisor of store A is no supervisor in
    store B (complaintdesk.units.scope)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return roles_at(user, at)


def has_role(user: Any, *roles: Role | str, at: Any = None) -> bool:
    codes = role_codes(user, at)
    return any(str(role) in codes for role in roles)


def can(user: Any, capability: str, at: Any = None) -> bool:
    allowed = CAPABILITIES[capability]
    return bool(role_codes(user, at) & {role.value for role in allowed})


def roles_of(user: Any, at: Any = None) -> list[Role]:
    return [role for role in Role if role.value in role_codes(user, at)]


def labels(roles: Iterable[Role]) -> list[str]:
    return [str(ROLE_LABELS[role]) for role in roles]
