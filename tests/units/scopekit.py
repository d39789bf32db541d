"""An organisation with units for the scoping tests: head office with dealers A and B, the people
of each, one complaint in each dealer, and a row of every kind that hangs off a complaint (work
order, return visit, judgement, plan, approval, petty cash, legal, attachments …) so that every
route that takes one of their ids can be called."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from orgkit import PASSWORD, Org, valid_registration

PDF = b"%PDF-1.4\n%%EOF\n"


@dataclass
class Units:
    """The two dealers' complaints, their people and the rows hanging off each complaint."""

    org: Org
    a: Any
    b: Any
    users: dict[str, Any]
    complaint_a: Any
    complaint_b: Any
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # complaint number → model label → row

    def __getitem__(self, name: str) -> Any:
        return self.users[name]


# who is who: (username, [(unit code, roles)])
PEOPLE: list[tuple[str, list[tuple[str, list[str]]]]] = [
    ("a_agent", [("dealer-a", ["agent"])]),
    ("a_supervisor", [("dealer-a", ["supervisor", "qc_manager"])]),
    ("b_agent", [("dealer-b", ["agent"])]),
    ("b_supervisor", [("dealer-b", ["supervisor", "qc_manager"])]),
    ("b_legal", [("dealer-b", ["legal"])]),
    ("ho_supervisor", [("hq", ["supervisor", "qc_manager", "cs_head"])]),
    ("mixed", [("dealer-a", ["supervisor"]), ("dealer-b", ["agent"])]),
]

# the models whose rows hang off a complaint, by the route parameter that names them
ROW_MODELS = {
    "order_id": "complaints.WorkOrder",
    "visit_id": "followup.ReturnVisit",
    "judgement_id": "followup.Judgement",
    "plan_id": "resolutions.Plan",
    "approval_id": "resolutions.Approval",
    "payout_id": "resolutions.PettyCashPayout",
    "consultation_id": "resolutions.LegalConsultation",
    "agreement_id": "resolutions.SettlementAgreement",
    "hold_id": "privacy.LegalHold",
}
# attachment_id names a staff attachment on /complaints/attachments/…, a customer file elsewhere
STAFF_ATTACHMENT = "complaints.Attachment"
CUSTOMER_FILE = "portal.CustomerFile"


def install_units() -> Units:
    from django.utils import timezone

    from complaintdesk.accounts.services import user_create
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register
    from complaintdesk.units.models import root_unit
    from complaintdesk.units.services import membership_set, unit_create
    from orgkit import install_org

    org = install_org()
    root = root_unit()
    a = unit_create(actor=None, code="dealer-a", name_zh="经销商甲", name_en="Dealer A", kind="dealer")
    b = unit_create(actor=None, code="dealer-b", name_zh="经销商乙", name_en="Dealer B", kind="dealer")
    users: dict[str, Any] = {}
    for username, places in PEOPLE:
        user = user_create(actor=None, username=username, password=PASSWORD, roles=[], first_name=username,
                           last_name="Test", language="en")
        for unit, roles in places:
            membership_set(actor=None, username=username, unit=root.code if unit == "hq" else unit, roles=roles)
        users[username] = user
    complaints = []
    for unit, owner, phone, name in ((a, users["a_agent"], "13812345678", "Carter"),
                                     (b, users["b_agent"], "13912345678", "Brown")):
        registration = valid_registration()
        registration["customer"].update(phone=phone, last_name=name, email=f"{name.lower()}@example.com")
        complaint = complaint_register(actor=org["specialist"], data=ComplaintIn(**registration).to_input())
        Complaint.objects.filter(pk=complaint.pk).update(unit=unit, owner=owner)
        complaints.append(Complaint.objects.select_related("unit", "owner").get(pk=complaint.pk))
    kit = Units(org=org, a=a, b=b, users=users, complaint_a=complaints[0], complaint_b=complaints[1])
    now = timezone.now()
    for complaint in complaints:
        made: dict[str, Any] = {}
        for label in (*ROW_MODELS.values(), STAFF_ATTACHMENT, CUSTOMER_FILE, "transfers.Transfer"):
            row_of(label, complaint, made, now)
        kit.rows[complaint.number] = made
    return kit


def row_of(label: str, complaint: Any, made: dict[str, Any], now: datetime) -> Any:
    """A row of ``label`` on ``complaint``, its required columns filled with plain values and its
    foreign keys pointing at the complaint, its owner, or rows made the same way."""
    from django.apps import apps
    from django.db import models

    from complaintdesk.accounts.models import Department, User
    from complaintdesk.complaints.models import Complaint

    if label in made:
        return made[label]
    model = apps.get_model(label)
    values: dict[str, Any] = {}
    for column in model._meta.concrete_fields:
        if column.primary_key or column.null or column.has_default() or getattr(column, "auto_now", False):
            continue
        if isinstance(column, models.ForeignKey):
            target = column.related_model
            if target is Complaint:
                values[column.name] = complaint
            elif target is User:
                values[column.name] = complaint.owner
            elif target is Department:
                values[column.name] = Department.objects.order_by("id").first()
            else:
                values[column.name] = row_of(target._meta.label, complaint, made, now)
        elif column.choices:
            values[column.name] = column.choices[0][0]
        elif isinstance(column, models.DateTimeField):
            values[column.name] = now
        elif isinstance(column, models.DateField):
            values[column.name] = now.date()
        elif isinstance(column, models.DecimalField):
            values[column.name] = Decimal("1")
        elif isinstance(column, models.BooleanField):
            values[column.name] = False
        elif isinstance(column, (models.IntegerField, models.FloatField)):
            values[column.name] = 1
        elif isinstance(column, models.JSONField):
            values[column.name] = {}
        elif isinstance(column, models.FileField):
            values[column.name] = column.storage.save(f"scoping/{uuid.uuid4().hex}.pdf", ContentFile(PDF))
        else:
            values[column.name] = f"{column.name}-{uuid.uuid4().hex[:8]}"[: column.max_length or 64]
    if label == "followup.Judgement":
        values["staff"] = complaint.owner  # a judgement about one of the complaint's own unit
    row = model.objects.create(**values)
    made[label] = row
    return row
