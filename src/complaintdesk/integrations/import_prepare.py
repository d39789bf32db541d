"""What can be computed of an import row before it is written, done where it was validated.

With ``complaintdesk import --jobs N`` rows are validated in worker processes
(integrations/import_pool.py) and written by the importing process alone, so every microsecond the
writer spends per row limits the import. Everything of a row that does not depend on what only the
writer knows (the complaint's number and keys, its customer record, the audit chain's head) is
therefore computed right after validation, in the worker: the blind-index digests, the encrypted
contact values, the complaint's columns, its normalised search text and the sealed part of its
audit event. The writer (integrations/import_write.py) fills in the number and the keys.

Each value is computed by the same function the writer used before (and registration uses), so an
imported row is written exactly as before; only where it is computed changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

from django.db import models

from complaintdesk.complaints import contact_index
from complaintdesk.complaints.models import Complaint, Customer
from complaintdesk.complaints.services.customers import Digests, registration_digests
from complaintdesk.complaints.services.intake import Registration, complaint_columns
from complaintdesk.core.audit import jsonable, sealed
from complaintdesk.core.bulk import ready_value
from complaintdesk.core.crypto import PREFIX, encrypt
from complaintdesk.core.fields import EncryptedTextField
from complaintdesk.core.keys import key
from complaintdesk.policy.schema import Policy

# the complaint's columns whose values a bulk insert converts (JSON, datetimes): converted here
CONVERTED = tuple(f for f in Complaint._meta.concrete_fields if isinstance(f, models.JSONField | models.DateTimeField))
# the customer's columns encrypted at rest (core/fields.py)
CUSTOMER_SECRETS = tuple(f.attname for f in Customer._meta.concrete_fields if isinstance(f, EncryptedTextField))


@dataclass(frozen=True)
class Prepared:
    """What writing a validated row needs, computed once where it was validated (the registration
    itself is not carried back to the writer: only what it writes)."""

    customer: dict[str, Any]  # the registration's customer and product values
    product: dict[str, Any]
    entry: dict[str, Any]  # the "imported" timeline entry's data, but for the file and row
    digests: Digests  # how its customer is looked up, and every digest that customer is found by
    contact: list[str]  # the complaint's blind-index digests, sorted
    customer_ciphers: dict[str, str]  # field name: ciphertext of the value the row gives
    product_ciphers: dict[str, str]
    # the complaint's columns, without its number (``search_text`` without it too), JSON and datetimes
    # as the bulk insert writes them (core/bulk.py ``ready_value``)
    columns: dict[str, Any]
    audit_after: dict[str, Any]  # the audit event's part that the row alone decides, sealed and JSON-ready


def _plain(value: Any) -> TypeGuard[str]:
    """A value the bulk insert would encrypt (core/bulk.py): text, not empty, not already encrypted."""
    return isinstance(value, str) and bool(value) and not value.startswith(PREFIX)


def prepare(reg: Registration, policy: Policy, now: datetime) -> Prepared:
    private = contact_index.private_fact_codes(policy, reg.category)
    data_key = key("data")
    customer_ciphers = {name: encrypt(value, data_key) for name in CUSTOMER_SECRETS
                        if _plain(value := reg.customer.get(name))}
    imei = reg.product.get("imei")
    product_ciphers = {"imei": encrypt(imei, data_key)} if _plain(imei) else {}
    columns = complaint_columns(reg, number="", now=now, private=private)
    # a register's row was registered by the system of record when it was received: it counts in the
    # statistics, the dashboard and the lists by that time, not by the day it was imported
    # (docs/decisions/0011-imported-complaints-are-history.md); the import's own time is its timeline
    # entry and audit event
    columns["registered_at"] = reg.received_at
    for field in CONVERTED:
        if field.attname in columns:
            columns[field.attname] = ready_value(field, columns[field.attname])
    return Prepared(
        customer=reg.customer, product=reg.product,
        entry={"level": reg.level, "complete": reg.completeness.complete, "missing": list(reg.completeness.missing)},
        digests=registration_digests(reg.customer, reg.product),
        contact=sorted(contact_index.contact_digests(reg.customer, reg.product, reg.facts, private)),
        customer_ciphers=customer_ciphers,
        product_ciphers=product_ciphers,
        columns=columns,
        audit_after=jsonable(sealed({
            "channel": reg.channel, "category": reg.category, "level": reg.level,
            "suggested_level": reg.suggestion.level, "level_override_reason": reg.level_override_reason,
            "targets": reg.targets, "primary_target": reg.primary_target, "complete": reg.completeness.complete,
            "missing_facts": list(reg.completeness.missing), "door": "import", "repeats": [],
            "urgent": reg.urgent})),
    )
