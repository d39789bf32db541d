"""The policy in force at a unit: its own installed version, else its parent's, up to head office,
whose policy is the installation's active version."""

from __future__ import annotations

from complaintdesk.core.models import PolicyVersion
from complaintdesk.core.policies import active_version, policy_of
from complaintdesk.policy.schema import Policy
from complaintdesk.units.models import Unit
from complaintdesk.units.scope import chain


def unit_version(unit: Unit | None) -> PolicyVersion:
    """The version a complaint received by ``unit`` is registered under."""
    if unit is not None:
        for link in chain(unit):
            if link.policy_version_id is not None:
                return link.policy_version  # type: ignore[return-value]
    return active_version()


def unit_policy(unit: Unit | None) -> tuple[PolicyVersion, Policy]:
    version = unit_version(unit)
    return version, policy_of(version)


def inherited_version(unit: Unit) -> PolicyVersion:
    """The version the unit would use without its own: its parent's, up to head office."""
    return unit_version(unit.parent) if unit.parent_id is not None else active_version()
