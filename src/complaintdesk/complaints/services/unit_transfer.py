"""Transfer a complaint between organisation units: up ("reported to head office"), down or across.

- **Up** (to a unit above the complaint's): the owner, or a supervising role held at the complaint's
  unit. The move emits the ``escalated_to_hq`` clock event, as reporting to head office does
  (``report_up.REPORTS``): the policy's "report up" clocks stop.
- **Down or across**: a supervising role (the supervisors, the head of customer service, the
  administrator) held at a unit above both the complaint's unit and the target (head office moves
  complaints between dealers).

The complaint keeps its number, its policy version (the unit that registered it) and its open work
orders. Its owner stays when they may own complaints at the target; otherwise the new owner is the
one named, or the first supervisor nearest the target. The target unit's supervisors are told.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import OWNING_ROLES, SUPERVISING_ROLES, has_role
from complaintdesk.accounts.selectors import nearest_role_holders, role_holders
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.lifecycle import bump_version, lock_complaint, set_owner
from complaintdesk.complaints.services.report_up import REPORTS
from complaintdesk.core.errors import InvalidTransition, PermissionDenied, Problems, ValidationFailed
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.notices import notice_send
from complaintdesk.policy.schema import Role, Text
from complaintdesk.units.models import Unit
from complaintdesk.units.scope import held, units_in_scope

Direction = Literal["up", "down", "across"]
REASON_LIMIT = 2000
# who moves complaints down or across (and up, besides the owner)
TRANSFER_ROLES = frozenset({*(role.value for role in SUPERVISING_ROLES), Role.ADMIN.value})
# who takes a complaint at the target when its owner may not own complaints there
RECEIVING_ROLES = tuple(role for role in OWNING_ROLES if role in SUPERVISING_ROLES)


def direction(source: Unit, target: Unit) -> Direction:
    """Up to a unit above, down to a unit below, across otherwise."""
    if source.path.startswith(target.path):
        return "up"
    return "down" if target.path.startswith(source.path) else "across"


def may_transfer(actor: Any, complaint: Complaint, target: Unit) -> bool:
    """Whether ``actor`` may move ``complaint`` to ``target`` (the target is another unit)."""
    if actor is None:
        return True
    source = complaint.unit
    if direction(source, target) == "up" and (
            complaint.owner_id == actor.pk or has_role(actor, *TRANSFER_ROLES, at=source)):
        return True
    return any(row.role in TRANSFER_ROLES and source.path.startswith(row.path) and target.path.startswith(row.path)
               for row in held(actor))


def transfer_targets(actor: Any, complaint: Complaint) -> list[Unit]:
    """The units the page offers: active, not the complaint's own, and allowed for ``actor``."""
    if not complaint.is_open:
        return []
    candidates = {unit.pk: unit for unit in units_in_scope(actor)}
    for unit in Unit.objects.filter(pk__in=complaint.unit.ancestor_ids(), active=True):
        candidates.setdefault(unit.pk, unit)
    return [unit for unit in sorted(candidates.values(), key=lambda u: u.path)
            if unit.pk != complaint.unit_id and may_transfer(actor, complaint, unit)]


def _name(unit: Unit) -> Text:
    return Text(zh=unit.name_zh, en=unit.name_en)


def _new_owner(complaint: Complaint, target: Unit, owner: str, problems: Problems) -> Any:
    """The owner at the target: the one named, the current owner when they may own complaints
    there, else the first supervisor nearest the target; None after reporting a problem."""
    if owner.strip():
        user = User.objects.filter(username=owner.strip(), is_active=True).first()
        if user is None:
            problems.add("owner", _("There is no active user %(name)s.") % {"name": owner.strip()})
        elif not has_role(user, *OWNING_ROLES, at=target):
            problems.add("owner", _("%(name)s may not own complaints at %(unit)s.")
                         % {"name": user.display_name(), "unit": target.name})
        return user
    if has_role(complaint.owner, *OWNING_ROLES, at=target):
        return complaint.owner
    user = nearest_role_holders(*RECEIVING_ROLES, at=target).first()
    if user is None:
        problems.add("owner", _("Nobody at %(unit)s may take the complaint; name its new owner.")
                     % {"unit": target.name})
    return user


@transaction.atomic
def complaint_transfer_unit(*, actor: Any, number: str, to: str, reason: str, owner: str | None = None,
                            now: datetime | None = None) -> Complaint:
    """Move the complaint to the unit ``to`` (a unit code) with a reason; see the module's text for
    who may and who owns it afterwards."""
    now = now or timezone.now()
    complaint = lock_complaint(actor, number)
    if not complaint.is_open:
        raise InvalidTransition(_("Complaint %(number)s is %(status)s; it is not transferred any more.")
                                % {"number": complaint.number, "status": complaint.get_status_display()})
    source = complaint.unit
    problems = Problems()
    reason = reason.strip()
    if not reason:
        problems.add("reason", _("Give the reason for the transfer."))
    elif len(reason) > REASON_LIMIT:
        problems.add("reason", _("At most %(limit)d characters.") % {"limit": REASON_LIMIT})
    target = Unit.objects.filter(code=to.strip()).first() if to.strip() else None
    if not to.strip():
        problems.add("to", _("Choose the unit the complaint goes to."))
    elif target is None or not target.active:
        problems.add("to", _("There is no active organisation unit %(code)s.") % {"code": to.strip()})
    elif target.pk == source.pk:
        problems.add("to", _("The complaint already belongs to %(unit)s.") % {"unit": target.name})
    problems.raise_if_any()
    if target is None:  # reported above
        raise ValidationFailed(problems.items)
    way = direction(source, target)
    if not may_transfer(actor, complaint, target):
        if way == "up":
            raise PermissionDenied(_("Only the owner or a supervisor of %(unit)s may report the complaint up.")
                                   % {"unit": source.name})
        raise PermissionDenied(_("Moving a complaint down or across needs a supervisor of a unit above both "
                                 "%(source)s and %(target)s.") % {"source": source.name, "target": target.name})
    new_owner = _new_owner(complaint, target, owner or "", problems)
    problems.raise_if_any()
    before = {"unit": source.code, "owner": complaint.owner.username}
    complaint.unit = target
    if new_owner is not None and new_owner.pk != complaint.owner_id:
        set_owner(complaint, new_owner, by=actor, reason=reason, at=now)
    bump_version(complaint, now)
    complaint.save(update_fields=["unit", "owner", "version", "updated_at"])
    record(actor=actor, action="complaint.transfer_unit", obj=complaint, complaint=complaint, before=before,
           after={"unit": target.code, "owner": complaint.owner.username, "direction": way, "reason": reason},
           timeline=on_timeline("unit_transferred", direction=way, reason=reason,
                                from_unit={"code": source.code, "zh": source.name_zh, "en": source.name_en},
                                to_unit={"code": target.code, "zh": target.name_zh, "en": target.name_en}),
           at=now)
    if way == "up":
        event, _kind = REPORTS["report_to_hq"]
        clock_event(complaint=complaint, event=event, at=now)
    told = [user for user in role_holders(Role.SUPERVISOR, at=target) if actor is None or user.pk != actor.pk]
    notice_send(users=told, complaint=complaint, kind="unit_transfer", source=_name(source), target=_name(target),
                reason=reason)
    return complaint
