"""What a registration records once its complaint is inserted: the audit event and timeline entries
of the registration, the hand-over to the policy's handler (``handled_by``), and the notices to the
supervisors of a level above the first."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from complaintdesk.accounts.roles import has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.clocks.actions import least_loaded
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.common import timeline_add
from complaintdesk.complaints.services.lifecycle import HANDLED_BY_REASON, record_ownership_change
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.notices import notice_send
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy
from complaintdesk.units.models import Unit

if TYPE_CHECKING:
    from complaintdesk.complaints.services.intake import Registration


def policy_owner(policy: Policy, registrant: Any, unit: Unit) -> Any:
    """Who owns a complaint ``registrant`` registers at ``unit``: the registrant (first-person
    responsibility), or under ``handled_by`` the holder of that role at the nearest unit up the chain
    with the fewest open complaints — the registrant still, when it holds the role or nobody does."""
    role = policy.handled_by
    if role is None or has_role(registrant, role, at=unit):
        return registrant
    return least_loaded(role.value, at=unit) or registrant


def record_handed_over(*, complaint: Complaint, registrant: Any, actor: Any, now: datetime) -> None:
    """The hand-over ``handled_by`` made at registration: the ownership row, the timeline entry
    ("handed to … : the policy gives every complaint to the …"), and the notice to the handler."""
    record_ownership_change(complaint, registrant, complaint.owner, by=actor, reason=HANDLED_BY_REASON, at=now)
    notice_send(users=[complaint.owner], complaint=complaint, kind="handover")


def record_registration(*, actor: Any, policy: Policy, reg: Registration, complaint: Complaint, owner: Any,
                        door: str, repeats: list[Complaint], now: datetime, registrant: Any = None) -> None:
    """The audit event of the registration and its timeline entries; the hand-over to ``owner`` when
    the policy gave the complaint to another than its ``registrant`` (``handled_by``)."""
    number, version, customer, product, unit = (complaint.number, complaint.policy_version, complaint.customer,
                                                complaint.product, complaint.unit)
    record(actor=actor, action="complaint.register", obj=complaint, complaint=complaint, complaint_number=number,
           after={"number": number, "policy": str(version), "channel": reg.channel, "category": reg.category,
                  "level": reg.level, "suggested_level": reg.suggestion.level, "targets": reg.targets,
                  "primary_target": reg.primary_target, "complete": reg.completeness.complete,
                  "missing_facts": list(reg.completeness.missing), "owner": owner.username,
                  "unit": unit.code, **({"door": door} if door else {}),
                  "customer": customer.pk, "product": product.pk if product else None,
                  "repeats": [c.number for c in repeats], "urgent": reg.urgent},
           timeline=on_timeline("registered", channel=reg.channel, level=reg.level, policy=str(version),
                                owner=owner.display_name(), **({"door": door} if door else {})), at=now)
    if reg.level != reg.suggestion.level and not reg.level_override_reason:
        # a level the triggers only suggest (``suggested_only``): a person confirms it by escalating
        timeline_add(complaint, "level_to_confirm", actor, at=now, suggested=reg.suggestion.level, level=reg.level)
    elif reg.level != reg.suggestion.level:
        record(actor=actor, action="complaint.level_override", obj=complaint, complaint=complaint,
               complaint_number=number, before={"level": reg.suggestion.level},
               after={"level": reg.level, "reason": reg.level_override_reason},
               timeline=on_timeline("level_overridden", suggested=reg.suggestion.level, level=reg.level,
                                    reason=reg.level_override_reason), at=now)
    if not reg.completeness.complete:
        timeline_add(complaint, "incomplete", actor, at=now, missing=list(reg.completeness.missing))
    if repeats:
        timeline_add(complaint, "repeat", actor, at=now, numbers=[c.number for c in repeats],
                     window_days=policy.repeat.window_days)
    if reg.urgent:
        timeline_add(complaint, "urgency_raised", actor, at=now, reason=reg.urgency_reason)
    if registrant is not None and registrant.pk != owner.pk:
        record_handed_over(complaint=complaint, registrant=registrant, actor=actor, now=now)


def notify_level_supervisors(*, policy: Policy, complaint: Complaint, actor: Any) -> int:
    """A complaint registered (or suggested) above the first level reaches that level's supervisors
    at once (``rules.registration_notices``): a crisis wakes its supervisors at registration, not
    only at a later escalation. The registering person is not told about their own registration."""
    sent = 0
    told: set[int] = {actor.pk} if actor is not None else set()
    for kind, role in rules.registration_notices(policy, complaint.level, complaint.suggested_level):
        users = [user for user in role_holders(role) if user.pk not in told]
        told.update(user.pk for user in users)
        sent += notice_send(users=users, complaint=complaint, kind=kind, level=policy.level(complaint.level).label,
                             suggested=policy.level(complaint.suggested_level).label,
                             reason=complaint.level_override_reason)
    return sent
