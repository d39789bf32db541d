"""Writing one batch of validated import rows: all of them or none (one transaction per batch).

The rows were validated by ``clean_registration`` (integrations/importer.py); here they are written
as registration writes them, in bulk: numbers reserved with one counter update per sequence, primary
keys allocated up front, then customers, products, complaints (their columns built by
``complaint_columns``, the one place registration builds them too), the blind-index rows, an
"imported" timeline entry per complaint and one audit event per complaint plus one for the batch.
On PostgreSQL each table is one ``COPY`` (core/bulk.py); on SQLite, ``executemany``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from complaintdesk.complaints import contact_index
from complaintdesk.complaints.models import Complaint, ContactDigest, Product, TimelineEntry
from complaintdesk.complaints.services.customers import customers_for
from complaintdesk.complaints.services.intake import Registration, complaint_columns
from complaintdesk.core.audit import Change, audit, audit_many
from complaintdesk.core.bulk import Table, allocate_ids
from complaintdesk.core.sequences import reserve_values
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy
from complaintdesk.units.models import Unit


@dataclass(frozen=True)
class Receiver:
    """The unit a row belongs to (the optional ``unit`` column; head office by default) and the policy
    in force there, which validates and numbers the row."""

    unit: Unit
    version: Any
    policy: Policy


Pending = tuple[int, Registration, Receiver]


def _numbers(pending: list[Pending], now: datetime) -> list[str]:
    """One number per row, reserved with one counter update per sequence (per policy prefix and
    period, and per unit when the pattern names the unit)."""
    keys: list[tuple[str, date, Receiver]] = []
    counts: dict[str, int] = {}
    for _row, _reg, receiver in pending:
        local_day = now.astimezone(ZoneInfo(receiver.policy.timezone)).date()
        key = rules.sequence_key(receiver.policy, local_day, receiver.unit.number_prefix)
        keys.append((key, local_day, receiver))
        counts[key] = counts.get(key, 0) + 1
    following = {key: reserve_values(key, count) for key, count in counts.items()}
    numbers = []
    for key, local_day, receiver in keys:
        numbers.append(rules.format_number(receiver.policy, local_day, following[key], receiver.unit.number_prefix))
        following[key] += 1
    return numbers


def _has_product(product: dict[str, Any]) -> bool:
    return any(value for key, value in product.items() if key != "purchase_date_approximate")


@transaction.atomic
def write_batch(actor: Any, owner: Any, pending: list[Pending], now: datetime, source: str) -> list[str]:
    """Write the batch's rows; return their numbers in the order of ``pending``."""
    numbers = _numbers(pending, now)  # the first write: on SQLite it takes the write lock for allocate_ids
    count = len(pending)
    # each row's customer is the one on record with the same phone, e-mail or IMEI, or a new one
    # (new ones written in one statement; complaints/services/customers.py)
    customers = customers_for([(reg.customer, reg.product) for _row, reg, _r in pending], now=now)
    customer_ids = [customer.pk for customer in customers]
    with_product = [index for index, (_row, reg, _r) in enumerate(pending) if _has_product(reg.product)]
    product_ids = dict(zip(with_product, allocate_ids(Product, len(with_product)), strict=True))
    complaint_ids = allocate_ids(Complaint, count)
    products, complaints = Table(Product), Table(Complaint)
    digests, entries = Table(ContactDigest, with_pk=False), Table(TimelineEntry, with_pk=False)
    product_rows: list[tuple[Any, ...]] = []
    complaint_rows: list[tuple[Any, ...]] = []
    digest_rows: list[tuple[Any, ...]] = []
    entry_rows: list[tuple[Any, ...]] = []
    changes: list[Change] = []
    for index, (row, reg, receiver) in enumerate(pending):
        number, customer_id, complaint_id = numbers[index], customer_ids[index], complaint_ids[index]
        product_id = product_ids.get(index)
        if product_id is not None:
            product_rows.append(products.row({"id": product_id, "customer_id": customer_id, **reg.product}))
        private = contact_index.private_fact_codes(receiver.policy, reg.category)
        complaint_rows.append(complaints.row({
            "id": complaint_id, "unit_id": receiver.unit.pk, "policy_version_id": receiver.version.pk,
            "customer_id": customer_id, "product_id": product_id, "owner_id": owner.pk, "registered_by_id": owner.pk,
            **complaint_columns(reg, number=number, now=now, private=private)}))
        digest_rows.extend(digests.row({"complaint_id": complaint_id, "digest": digest})
                           for digest in sorted(contact_index.contact_digests(reg.customer, reg.product, reg.facts,
                                                                              private)))
        entry_rows.append(entries.row({
            "complaint_id": complaint_id, "kind": "imported", "actor_id": actor.pk, "at": now,
            "data": {"file": source, "row": row, "level": reg.level, "complete": reg.completeness.complete,
                     "missing": list(reg.completeness.missing)}}))
        changes.append(Change(
            action="complaint.register", object_type="complaints.complaint", object_id=str(complaint_id),
            complaint_number=number,
            after={"number": number, "policy": str(receiver.version), "channel": reg.channel,
                   "category": reg.category, "level": reg.level, "suggested_level": reg.suggestion.level,
                   "level_override_reason": reg.level_override_reason, "targets": reg.targets,
                   "primary_target": reg.primary_target, "complete": reg.completeness.complete,
                   "missing_facts": list(reg.completeness.missing), "owner": owner.username,
                   "unit": receiver.unit.code, "door": "import", "file": source, "row": row,
                   "customer": customer_id, "product": product_id, "repeats": [], "urgent": reg.urgent}))
    products.insert(product_rows)
    contact_index.index_customers({customer.pk: customer for customer in customers}.values())  # as written
    complaints.insert(complaint_rows)
    digests.insert(digest_rows)
    entries.insert(entry_rows)
    audit_many(actor=actor, changes=changes)
    audit(actor=actor, action="complaint.import", object_type="complaints.complaint", object_id=numbers[0],
          after={"file": source, "rows": [row for row, _reg, _r in pending], "numbers": numbers,
                 "policy": ", ".join(sorted({str(receiver.version) for _row, _reg, receiver in pending})),
                 "units": sorted({receiver.unit.code for _row, _reg, receiver in pending})})
    return numbers
