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
from complaintdesk.complaints.models import Complaint, ContactDigest, Customer, CustomerDigest, Product, TimelineEntry
from complaintdesk.complaints.services.common import search_text_numbered
from complaintdesk.complaints.services.customers import customers_for
from complaintdesk.complaints.services.intake import Registration
from complaintdesk.core.audit import Change, audit, audit_many
from complaintdesk.core.bulk import Table, allocate_ids
from complaintdesk.core.sequences import reserve_values
from complaintdesk.integrations.import_prepare import Prepared, prepare
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


Pending = tuple[int, Registration | Prepared, Receiver]


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


def _customer_index(prepared: list[Prepared], customers: list[Customer], created: list[Customer]) -> None:
    """The customers' blind-index rows. A new customer has none yet: its rows are the digests of its
    phone, e-mail and the IMEIs of its products of this batch (those its one row computed, when it
    has one row) — one bulk insert for the batch; a customer on record is re-indexed as registration
    does (``index_customers``, which also reads its earlier products)."""
    fresh = {customer.pk for customer in created}
    rows_of: dict[int, list[int]] = {}
    for index, customer in enumerate(customers):
        rows_of.setdefault(customer.pk, []).append(index)
    table = Table(CustomerDigest, with_pk=False)
    rows: list[tuple[Any, ...]] = []
    for customer in created:
        indexes = rows_of[customer.pk]
        if len(indexes) == 1:
            wanted = prepared[indexes[0]].digests[1]
        else:
            imeis = [str(prepared[i].product.get("imei") or "") for i in indexes
                     if _has_product(prepared[i].product)]
            wanted = contact_index.customer_digests(customer.phone, customer.email, imeis)
        rows.extend(table.row({"customer_id": customer.pk, "digest": value}) for value in sorted(wanted))
    table.insert(rows)
    known = {c.pk: c for c in customers if c.pk not in fresh}
    if known:
        contact_index.index_customers(known.values())


@transaction.atomic
def write_batch(actor: Any, owner: Any, pending: list[Pending], now: datetime, source: str) -> list[str]:
    """Write the batch's rows; return their numbers in the order of ``pending``. Each row comes
    prepared by the process that validated it (integrations/import_prepare.py), or is prepared here."""
    numbers = _numbers(pending, now)  # the first write: on SQLite it takes the write lock for allocate_ids
    count = len(pending)
    prepared = [item if isinstance(item, Prepared) else prepare(item, receiver.policy, now)
                for _row, item, receiver in pending]
    # each row's customer is the one on record with the same phone, e-mail or IMEI, or a new one
    # (new ones written in one bulk insert; complaints/services/customers.py)
    created: list[Customer] = []
    customers = customers_for([(p.customer, p.product) for p in prepared], now=now, created=created,
                              digests=[p.digests for p in prepared], ciphers=[p.customer_ciphers for p in prepared],
                              copy=True)
    customer_ids = [customer.pk for customer in customers]
    with_product = [index for index, p in enumerate(prepared) if _has_product(p.product)]
    product_ids = dict(zip(with_product, allocate_ids(Product, len(with_product)), strict=True))
    complaint_ids = allocate_ids(Complaint, count)
    products, complaints = Table(Product), Table(Complaint)
    digests, entries = Table(ContactDigest, with_pk=False), Table(TimelineEntry, with_pk=False)
    product_rows: list[tuple[Any, ...]] = []
    complaint_rows: list[tuple[Any, ...]] = []
    digest_rows: list[tuple[Any, ...]] = []
    entry_rows: list[tuple[Any, ...]] = []
    changes: list[Change] = []
    owner_name = owner.username
    for index, ((row, _item, receiver), prep) in enumerate(zip(pending, prepared, strict=True)):
        number, customer_id, complaint_id = numbers[index], customer_ids[index], complaint_ids[index]
        product_id = product_ids.get(index)
        if product_id is not None:
            product_rows.append(products.row({"id": product_id, "customer_id": customer_id, **prep.product,
                                              **prep.product_ciphers}))
        complaint_rows.append(complaints.row({
            "id": complaint_id, "unit_id": receiver.unit.pk, "policy_version_id": receiver.version.pk,
            "customer_id": customer_id, "product_id": product_id, "owner_id": owner.pk, "registered_by_id": owner.pk,
            **prep.columns, "number": number,
            "search_text": search_text_numbered(number, prep.columns["search_text"])}))
        digest_rows.extend(digests.row({"complaint_id": complaint_id, "digest": digest}) for digest in prep.contact)
        entry_rows.append(entries.row({
            "complaint_id": complaint_id, "kind": "imported", "actor_id": actor.pk, "at": now,
            "data": {"file": source, "row": row, **prep.entry}}))
        changes.append(Change(
            action="complaint.register", object_type="complaints.complaint", object_id=str(complaint_id),
            complaint_number=number, ready=True,
            after={**prep.audit_after, "number": number, "policy": str(receiver.version), "owner": owner_name,
                   "unit": receiver.unit.code, "file": source, "row": row, "customer": customer_id,
                   "product": product_id}))
    products.insert(product_rows)
    _customer_index(prepared, customers, created)
    complaints.insert(complaint_rows, ready=prepared[0].columns if prepared else ())
    digests.insert(digest_rows)
    entries.insert(entry_rows)
    audit_many(actor=actor, changes=changes)
    audit(actor=actor, action="complaint.import", object_type="complaints.complaint", object_id=numbers[0],
          after={"file": source, "rows": [row for row, _reg, _r in pending], "numbers": numbers,
                 "policy": ", ".join(sorted({str(receiver.version) for _row, _reg, receiver in pending})),
                 "units": sorted({receiver.unit.code for _row, _reg, receiver in pending})})
    return numbers
