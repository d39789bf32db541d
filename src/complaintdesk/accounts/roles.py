"""The fixed roles and what each may do.

Roles are Django groups named by role code (created by a migration), so the administrator assigns
them in the admin. Capabilities are checked in services and selectors, never only in templates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from complaintdesk.core.role_names import ROLE_LABELS as ROLE_LABELS
from complaintdesk.core.role_names import role_label as role_label
from complaintdesk.policy.schema import Role
from complaintdesk.units.scope import roles_at

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
    # join two records of one customer into one (complaints/services/customers.py)
    "customer.merge": frozenset({Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD}),
    "policy.manage": frozenset({Role.ADMIN}),
    # answer a customer's privacy request: find, export, erase, legal holds (privacy/)
    "privacy.answer": frozenset({Role.ADMIN, Role.LEGAL}),
    # search and read the knowledge base's published articles, and send one to a customer (knowledge/)
    "knowledge.read": frozenset(Role),
    # write and edit articles, drafts included (each save a new version)
    "knowledge.edit": frozenset({Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD, Role.ADMIN}),
    # work a complaint: record a contact with the customer (an outcome "reached" stops the reply
    # clock), withdraw, reopen, log progress … — its owner, whatever their role, and the supervisors
    "complaint.work": frozenset(SUPERVISING_ROLES),
    # send again a customer message whose delivery is uncertain or failed (notify.services)
    "message.resend": frozenset(SUPERVISING_ROLES),
}
# capabilities the complaint's owner holds on that complaint whatever their role (``can(…, at=complaint)``)
OWNER_CAPABILITIES = frozenset({"complaint.work", "message.resend"})


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
    """Whether the user may: by a role held (at ``at``'s unit when given), or as the owner of the
    complaint ``at`` for the capabilities in OWNER_CAPABILITIES."""
    allowed = CAPABILITIES[capability]
    if (capability in OWNER_CAPABILITIES and at is not None and getattr(user, "is_authenticated", False)
            and getattr(at, "owner_id", None) == user.pk):
        return True
    return bool(role_codes(user, at) & {role.value for role in allowed})


def roles_of(user: Any, at: Any = None) -> list[Role]:
    return [role for role in Role if role.value in role_codes(user, at)]


def labels(roles: Iterable[Role]) -> list[str]:
    return [str(ROLE_LABELS[role]) for role in roles]


