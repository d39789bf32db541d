"""What the complaint services take: plain, immutable data classes, free of any interface library.

The REST API and the web forms parse a request into their own shapes (``complaints/schemas.py``,
``complaints/forms.py``) and hand the services these classes (``ComplaintIn.to_input()``); the mail,
portal, import and transfer doors build them too. Values stay as typed (dates and numbers as text):
the registration service validates every field against the policy and reports every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class CustomerInput:
    """The customer as the caller gave them."""

    title: str = ""
    first_name: str = ""
    last_name: str = ""
    name_note: str = ""
    kind: str = "individual"
    company: str = ""
    phone: str = ""
    email: str = ""
    social_account: str = ""
    address: str = ""
    special_identity: str = ""
    emotion: str = ""
    language: str = ""


@dataclass(frozen=True, kw_only=True)
class ProductInput:
    """The product complained about, as the caller gave it (``purchase_date`` as ``YYYY-MM-DD``)."""

    model: str = ""
    imei: str = ""
    build_number: str = ""
    purchase_date: str = ""
    purchase_date_approximate: bool = False
    place_of_purchase: str = ""
    lot_number: str = ""


@dataclass(frozen=True, kw_only=True)
class RegistrationInput:
    """A registration: customer, product, door, classification and the three-part description."""

    customer: CustomerInput
    product: ProductInput = field(default_factory=ProductInput)
    channel: str
    case_origin: str = ""
    category: str
    targets: list[str] = field(default_factory=list)
    reason_codes: list[str] = field(default_factory=list)
    reason: str = ""
    description: str = ""
    customer_request: str = ""
    requested_deadline: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    missing_notes: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    level: str = ""
    level_override_reason: str = ""
    urgent: bool = False
    urgency_reason: str = ""
    earlier_case_ids: list[str] = field(default_factory=list)
    repair_ids: list[str] = field(default_factory=list)
    units: int | None = None
    received_at: str = ""
    unit: str = ""
    source_number: str = ""


@dataclass(frozen=True, kw_only=True)
class AmendmentInput:
    """Fields amended after registration; ``None`` leaves a field as it is."""

    facts: dict[str, Any] | None = None
    missing_notes: dict[str, str] | None = None
    reason: str | None = None
    description: str | None = None
    customer_request: str | None = None
    targets: list[str] | None = None
    reason_codes: list[str] | None = None
    flags: list[str] | None = None
    level: str | None = None
    level_override_reason: str | None = None
    earlier_case_ids: list[str] | None = None
    repair_ids: list[str] | None = None
    case_origin: str | None = None
    customer: CustomerInput | None = None
    product: ProductInput | None = None
    comment: str = ""
