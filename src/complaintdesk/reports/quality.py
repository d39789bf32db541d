"""Batch quality alerts (issue 12 item 4).

When ``batch_alerts.threshold`` complaints about the same product model in the same category are
registered within ``batch_alerts.within_days`` days, one alert group is opened for that model and
category, linked to those complaints, and the policy's ``notify`` role (the quality department) gets
a notice. While the group is open, every later complaint about the model and category joins it; the
database refuses a second open group for the same pair. The quality department records containment
decisions (isolate stock, stop shipment, recall) and the corrective action, then closes the group;
a later complaint may open a new group once the threshold is passed again.

Detection runs in the registering (or amending) transaction, through the complaint watchers.
Rejected and withdrawn complaints do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import has_role
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services import watchers
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import Conflict, NotFound, PermissionDenied, Problems
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.notify.notices import notice_register, notice_send
from complaintdesk.policy.schema import Role
from complaintdesk.policy.schema.policy import UnknownCode
from complaintdesk.quality.models import AlertGroup, AlertMember, Containment
from complaintdesk.units.scope import scope_q

NOT_COUNTED = ("rejected", "withdrawn")
VIEW_ROLES = (Role.QUALITY, Role.QC_MANAGER, Role.CS_HEAD, Role.VP, Role.GM, Role.ADMIN)
RECORD_ROLES = (Role.QUALITY, Role.ADMIN)


# --- who ---------------------------------------------------------------------------------------


def may_view_alerts(user: Any) -> bool:
    return has_role(user, *VIEW_ROLES)


def may_record_alerts(user: Any) -> bool:
    """The quality department (or the role the policy alerts) records decisions."""
    _version, policy = active_policy()
    roles: list[Role | str] = [*RECORD_ROLES]
    if policy.batch_alerts is not None:
        roles.append(policy.batch_alerts.notify)
    return has_role(user, *roles)


# --- detection ---------------------------------------------------------------------------------


def _model_of(complaint: Complaint) -> str:
    product = complaint.product
    return product.model.strip() if product is not None else ""


def _counted(model: str, category: str) -> QuerySet[Complaint]:
    return (Complaint.objects.filter(product__model=model, category=category)
            .exclude(status__in=NOT_COUNTED))


def _join(group: AlertGroup, complaints: list[Complaint], actor: Any, at: datetime) -> None:
    known = set(AlertMember.objects.filter(group=group).values_list("complaint_id", flat=True))
    new = [c for c in complaints if c.pk not in known]
    AlertMember.objects.bulk_create([AlertMember(group=group, complaint=c, joined_at=at) for c in new])
    for complaint in new:
        audit(actor=actor, action="quality.alert_join", obj=group, complaint_number=complaint.number,
              after={"group": group.pk, "complaint": complaint.number})


def complaint_watch(complaint: Complaint, actor: Any, at: datetime) -> None:
    """Called after a complaint is registered or its product changes (same transaction)."""
    policy = policy_of(complaint.policy_version)
    rule = policy.batch_alerts
    model = _model_of(complaint)
    if rule is None or not model or complaint.status in NOT_COUNTED:
        return
    group = (AlertGroup.objects.select_for_update()
             .filter(product_model=model, category=complaint.category, state=AlertGroup.State.OPEN).first())
    if group is not None:
        _join(group, [complaint], actor, at)
        return
    since = at - timedelta(days=rule.within_days)
    recent = list(_counted(model, complaint.category)
                  .filter(registered_at__gt=since, registered_at__lte=at).order_by("registered_at", "id"))
    if complaint not in recent:
        recent.append(complaint)
    if len(recent) < rule.threshold:
        return
    try:
        with transaction.atomic():
            group = AlertGroup.objects.create(product_model=model, category=complaint.category,
                                              threshold=rule.threshold, within_days=rule.within_days, opened_at=at)
    except IntegrityError:
        # another transaction opened the group for this model and category first: join it
        group = AlertGroup.objects.select_for_update().get(product_model=model, category=complaint.category,
                                                           state=AlertGroup.State.OPEN)
        _join(group, [complaint], actor, at)
        return
    audit(actor=actor, action="quality.alert_open", obj=group, complaint_number=complaint.number,
          after={"group": group.pk, "model": model, "category": complaint.category, "count": len(recent),
                 "threshold": rule.threshold, "within_days": rule.within_days,
                 "complaints": [c.number for c in recent]})
    _join(group, recent, actor, at)
    try:
        category_label: Any = policy.category(complaint.category).label
    except UnknownCode:
        category_label = complaint.category
    told = User.objects.filter(is_active=True, groups__name=str(rule.notify)).order_by("id")
    notice_send(users=told, complaint=complaint, kind="batch_alert",
                model=model, category=category_label, count=len(recent), days=rule.within_days,
                group=f"Q{group.pk}")


def register() -> None:
    notice_register("batch_alert", subject=_("Batch quality alert"),
                    body=_("%(count)s complaints about %(model)s in “%(category)s” within %(days)s days (latest "
                           "%(number)s): alert group %(group)s is open."))
    watchers.watch_registered(complaint_watch)
    watchers.watch_amended(complaint_watch)


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LotCount:
    lot: str
    count: int


@dataclass(frozen=True)
class GroupFigures:
    count: int
    first_at: datetime | None
    last_at: datetime | None
    lots: list[LotCount]


def _lot(complaint: Complaint) -> str:
    value = complaint.facts.get("lot_number") if isinstance(complaint.facts, dict) else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    product = complaint.product
    return product.lot_number.strip() if product is not None else ""


def group_figures(group: AlertGroup, user: Any = None) -> GroupFigures:
    """Counts and first/last registration in SQL; lot numbers (from the category's ``lot_number``
    fact or the product's lot) counted over the group's members; with ``user``, over the members
    of the user's units only (a store's page shows its own complaints)."""
    members = Complaint.objects.filter(alert_groups=group)
    if user is not None:
        members = members.filter(scope_q(user))
    totals = members.aggregate(count=Count("id"), first=Min("registered_at"), last=Max("registered_at"))
    lots: dict[str, int] = {}
    for complaint in members.select_related("product").only("facts", "product__lot_number"):
        lot = _lot(complaint)
        if lot:
            lots[lot] = lots.get(lot, 0) + 1
    ordered = sorted(lots.items(), key=lambda item: (-item[1], item[0]))
    return GroupFigures(count=totals["count"], first_at=totals["first"], last_at=totals["last"],
                        lots=[LotCount(lot, n) for lot, n in ordered])


def alert_group_list(user: Any, *, state: str = "") -> QuerySet[AlertGroup]:
    if not may_view_alerts(user):
        raise PermissionDenied(_("Your role may not see quality alerts."))
    # detection counts across the whole tree; a reader sees the groups with complaints of their units,
    # counted over those complaints only (head office: all of them)
    mine = scope_q(user, "complaints__unit")
    groups = AlertGroup.objects.annotate(count=Count("complaints", filter=mine),
                                         first_at=Min("complaints__registered_at", filter=mine),
                                         last_at=Max("complaints__registered_at", filter=mine)).filter(count__gt=0)
    if state in (AlertGroup.State.OPEN, AlertGroup.State.CLOSED):
        groups = groups.filter(state=state)
    return groups.order_by("state", "-opened_at", "-id")


def alert_group_get(user: Any, group_id: int, *, for_update: bool = False) -> AlertGroup:
    if not may_view_alerts(user):
        raise PermissionDenied(_("Your role may not see quality alerts."))
    queryset = AlertGroup.objects.select_for_update() if for_update else AlertGroup.objects.all()
    group = queryset.filter(pk=group_id).first()
    if group is None or not Complaint.objects.filter(scope_q(user), alert_groups=group).exists():
        raise NotFound(_("Alert group Q%(group)s does not exist.") % {"group": group_id})
    return group


# --- recording ---------------------------------------------------------------------------------


def _open_for_recording(actor: Any, group_id: int) -> AlertGroup:
    if not may_record_alerts(actor):
        raise PermissionDenied(_("Only the quality department records decisions on quality alerts."))
    group = alert_group_get(actor, group_id, for_update=True)
    if group.state != AlertGroup.State.OPEN:
        raise Conflict(_("Alert group Q%(group)s is closed.") % {"group": group.pk})
    return group


@transaction.atomic
def alert_containment_add(*, actor: Any, group_id: int, kind: str, note: str = "",
                          now: datetime | None = None) -> Containment:
    """Record one containment decision: isolate stock, stop shipment or recall."""
    group = _open_for_recording(actor, group_id)
    problems = Problems()
    if kind not in Containment.Kind.values:
        problems.add("kind", _("Choose the containment: isolate stock, stop shipment or recall."))
    problems.raise_if_any()
    now = now or timezone.now()
    decision = Containment.objects.create(group=group, kind=kind, note=note.strip(), decided_by=actor, decided_at=now)
    group.version += 1
    group.save(update_fields=["version"])
    audit(actor=actor, action="quality.containment", obj=group,
          after={"group": group.pk, "kind": kind, "note": decision.note})
    return decision


@transaction.atomic
def alert_corrective_action(*, actor: Any, group_id: int, text: str, now: datetime | None = None) -> AlertGroup:
    """Record (or revise) the corrective action of the group."""
    group = _open_for_recording(actor, group_id)
    problems = Problems()
    text = text.strip()
    if not text:
        problems.add("corrective_action", _("Describe the corrective action."))
    problems.raise_if_any()
    before = group.corrective_action
    group.corrective_action = text
    group.corrective_by = actor
    group.corrective_at = now or timezone.now()
    group.version += 1
    group.save(update_fields=["corrective_action", "corrective_by", "corrective_at", "version"])
    audit(actor=actor, action="quality.corrective_action", obj=group, before={"corrective_action": before},
          after={"corrective_action": text})
    return group


@transaction.atomic
def alert_group_close(*, actor: Any, group_id: int, note: str = "", now: datetime | None = None) -> AlertGroup:
    """Close the group; it needs its corrective action first. Later complaints open a new group."""
    group = _open_for_recording(actor, group_id)
    problems = Problems()
    if not group.corrective_action.strip():
        problems.add("corrective_action", _("Record the corrective action before closing the alert group."))
    problems.raise_if_any()
    group.state = AlertGroup.State.CLOSED
    group.closed_at = now or timezone.now()
    group.closed_by = actor
    group.closing_note = note.strip()
    group.version += 1
    group.save(update_fields=["state", "closed_at", "closed_by", "closing_note", "version"])
    audit(actor=actor, action="quality.alert_close", obj=group, before={"state": "open"},
          after={"state": "closed", "note": group.closing_note})
    return group
