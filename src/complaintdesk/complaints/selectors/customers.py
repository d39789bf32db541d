"""The customer page's reads: a customer, the complaints of it the reader may see, its contacts and
the customer file the policy keeps (``customer_profile``), contact data masked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models import Complaint, ContactAttempt, Customer
from complaintdesk.complaints.selectors.access import visible_complaints
from complaintdesk.complaints.selectors.masking import mask_address, mask_imei, mask_phone
from complaintdesk.core.errors import NotFound
from complaintdesk.core.names import full_name
from complaintdesk.core.policies import policy_of

# how each field a policy may keep in the customer file is named on the page
PROFILE_LABELS = {
    "customer.name": _("Name"),
    "customer.phone": _("Phone"),
    "customer.address": _("Address"),
    "customer.emotion": _("Emotion"),
    "customer.special_identity": _("Special identity"),
    "product.model": _("Model"),
    "product.imei": _("IMEI"),
    "product.build_number": _("Build number"),
    "product.purchase_date": _("Purchase date"),
    "product.place_of_purchase": _("Place of purchase"),
    "product.lot_number": _("Lot"),
}
_PROFILE_MASKS = {"customer.phone": mask_phone, "customer.address": mask_address, "product.imei": mask_imei}


@dataclass(frozen=True)
class ProfileField:
    code: str
    label: str
    value: str  # masked where the value is contact data; "" when the file lacks it


def customer_get(user: Any, customer_id: int) -> Customer:
    """The customer if the user may see at least one of its complaints; otherwise answered like a
    customer that does not exist."""
    if not visible_complaints(user).filter(customer_id=customer_id).exists():
        raise NotFound(_("There is no customer %(id)s.") % {"id": customer_id})
    return Customer.objects.get(pk=customer_id)


def customer_complaints(user: Any, customer: Customer) -> list[Complaint]:
    """The customer's complaints the user may see, the latest first."""
    return list(visible_complaints(user).filter(customer=customer)
                .select_related("unit", "owner", "product", "policy_version").order_by("-registered_at", "-id"))


def customer_contacts(complaints: list[Complaint]) -> list[ContactAttempt]:
    """Every attempt to reach the customer on these complaints, the latest first."""
    return list(ContactAttempt.objects.filter(complaint__in=complaints).select_related("complaint", "by")
                .order_by("-at", "-id"))


def customer_profile(complaints: list[Complaint], codes: list[str] | None = None) -> list[ProfileField]:
    """The customer file as the policy of the latest complaint keeps it (``customer_profile``), or
    with the fields ``codes`` names (a report's policy): each field with the value on record (from
    the customer and the latest complaint's product). A policy that keeps no file gives no fields,
    and the page shows no file."""
    if not complaints:
        return []
    latest = complaints[0]
    customer, product = latest.customer, latest.product
    values: dict[str, object] = {
        "customer.name": full_name(customer.first_name, customer.last_name),
        **{f"customer.{name}": getattr(customer, name) for name in ("phone", "address", "emotion", "special_identity")},
        **({f"product.{name}": getattr(product, name) for name in ("model", "imei", "build_number", "purchase_date",
                                                                   "place_of_purchase", "lot_number")}
           if product else {}),
    }
    out = []
    for code in policy_of(latest.policy_version).customer_profile if codes is None else codes:
        value = str(values.get(code) or "")
        mask = _PROFILE_MASKS.get(code)
        out.append(ProfileField(code=code, label=str(PROFILE_LABELS[code]), value=mask(value) if mask else value))
    return out
