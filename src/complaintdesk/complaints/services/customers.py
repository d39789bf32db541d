"""The customer archive: one customer record reused across complaints.

Every door that registers complaints (the staff form, the API, the portal, mail, the import) asks
:func:`customers_for` for the customer of each registration. A customer is found through the keyed
blind index (``CustomerDigest``, complaints/contact_index.py) by the exact normalised phone, else
e-mail, else IMEI (see :func:`lookup_keys`), never by a part of one; the record then holds the latest
details given (a name given replaces the name, every other value given replaces the one stored, a
value left empty keeps it).
Duplicates that no value links (a customer who called from two numbers) are joined by
:func:`customer_merge`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import can
from complaintdesk.complaints import contact_index
from complaintdesk.complaints.models import Complaint, ContactDigest, Customer, CustomerDigest, Product
from complaintdesk.core.bulk import Table, allocate_ids
from complaintdesk.core.errors import Conflict, FieldProblem, NotFound, PermissionDenied, ValidationFailed
from complaintdesk.core.record import record
from complaintdesk.units.scope import reaches

# the name is one value: a name given replaces title, names and the note together
NAME_FIELDS = ("title", "first_name", "last_name", "name_note")


# the digests a registration is looked up by (``lookup_keys``) and all the digests its customer is
# found by afterwards (``customer_digests`` of its phone, e-mail and IMEI): a bulk import computes
# both in its validating processes (integrations/import_prepare.py)
Digests = tuple[list[set[str]], set[str]]


def registration_digests(values: Mapping[str, Any], product: Mapping[str, Any]) -> Digests:
    return lookup_keys(values, product), contact_index.customer_digests(
        str(values.get("phone") or ""), str(values.get("email") or ""), [str(product.get("imei") or "")])


def lookup_keys(values: Mapping[str, Any], product: Mapping[str, Any]) -> list[set[str]]:
    """The digests to look a registration up by, strongest first: its phone, its e-mail, and its
    IMEI only when it gives neither (a device changes hands: a new phone with a known IMEI is a new
    customer until someone merges the two)."""
    phone, email = str(values.get("phone") or ""), str(values.get("email") or "")
    keys = [contact_index.customer_digests(phone, "", []), contact_index.customer_digests("", email, [])]
    if not (phone or email):
        keys.append(contact_index.customer_digests("", "", [str(product.get("imei") or "")]))
    return keys


def _named(customer: Customer) -> bool:
    return bool(customer.first_name or customer.last_name)


def _update(customer: Customer, values: Mapping[str, Any], *, save: bool) -> list[str]:
    """Take the latest details given; the names of the fields changed."""
    named = bool(values.get("first_name") or values.get("last_name"))
    changed: list[str] = []
    for name, value in values.items():
        take = (named or (not _named(customer) and bool(value))) if name in NAME_FIELDS else bool(value)
        if take and getattr(customer, name) != value:
            setattr(customer, name, value)
            changed.append(name)
    if changed and save:
        customer.save(update_fields=changed)
    return changed


def customers_for(registrations: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]], *,
                  now: datetime, created: list[Customer] | None = None, digests: Sequence[Digests] | None = None,
                  ciphers: Sequence[Mapping[str, str]] | None = None, copy: bool = False) -> list[Customer]:
    """The customer of each (customer values, product values) registration, in order: the customer
    already on record with the same phone, else the same e-mail, else (for a registration with
    neither) the same IMEI, the most recent one when several are; or a new one. Two registrations
    of one batch with a value in common share one customer. Runs inside the caller's transaction;
    one query finds every known customer of the batch. ``created`` receives the new customers.

    A bulk import gives each registration's ``digests`` (``registration_digests``, computed by its
    workers) and, with ``copy``, has the new customers written as one bulk insert (core/bulk.py:
    COPY on PostgreSQL) after its first write of the transaction; ``ciphers`` then holds, per
    registration, the encrypted form of its contact values (field name: ciphertext of the value
    the registration gives), used while a new customer still has that value."""
    regs = [(dict(values), product) for values, product in registrations]
    rows = list(zip(regs, digests if digests is not None else [registration_digests(v, p) for v, p in regs],
                    strict=True))
    wanted = {digest for _reg, (keys, _all) in rows for key in keys for digest in key}
    owner: dict[str, int] = {}
    for digest, customer_id in _owners(wanted):
        owner[digest] = customer_id  # the most recent customer wins
    existing = Customer.objects.in_bulk(set(owner.values()))
    known: dict[str, Customer] = {digest: existing[customer_id] for digest, customer_id in owner.items()}
    fresh: list[Customer] = []
    origin: list[int] = []  # the registration each new customer was made from
    out: list[Customer] = []
    for index, ((values, _product), (keys, every)) in enumerate(rows):
        customer = next((known[d] for key in keys for d in sorted(key) if d in known), None)
        if customer is None:
            customer = Customer(created_at=now, **values)
            fresh.append(customer)
            origin.append(index)
        else:
            _update(customer, values, save=customer.pk is not None)
        # the customer is found by all of the row's values from now on, as its index will say
        known.update(dict.fromkeys(every, customer))
        out.append(customer)
    if copy:
        _insert(fresh, [(regs[i][0], ciphers[i] if ciphers is not None else {}) for i in origin])
    else:
        Customer.objects.bulk_create(fresh)  # one statement for the new customers of the batch
    if created is not None:
        created.extend(fresh)
    return out


def _owners(digests: set[str]) -> list[tuple[str, int]]:
    """(digest, customer id) of the index rows with these digests, by customer id. On PostgreSQL the
    digests go as one array parameter (a batch asks for thousands), each looked up in the digest
    index whatever the table's statistics say: ``digest = ANY(array)`` on a table grown by an import
    and not analysed since (autovacuum off, or behind) was planned as a scan of the whole index
    table — 635 µs of the server's time per imported row at 1,000,000 rows, growing with the table
    (docs/performance.md, "Import", session 12). The lateral subquery (kept apart by ``OFFSET 0``)
    makes the plan one index probe per digest; JIT is off for the rest of the batch's transaction,
    as the same missing statistics had every batch compile this query (50–75 ms)."""
    if connection.vendor == "postgresql" and len(digests) > 100:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"SELECT found.{quote('digest')}, found.{quote('customer_id')} "  # noqa: S608
                           f"FROM unnest(%s::varchar[]) AS wanted(digest) CROSS JOIN LATERAL ("
                           f"SELECT d.{quote('digest')}, d.{quote('customer_id')} "
                           f"FROM {quote(CustomerDigest._meta.db_table)} d "
                           f"WHERE d.{quote('digest')} = wanted.digest OFFSET 0) AS found "
                           f"ORDER BY found.{quote('customer_id')}", [sorted(digests)])
            return [(str(digest), int(customer_id)) for digest, customer_id in cursor.fetchall()]
    return list(CustomerDigest.objects.filter(digest__in=digests).order_by("customer_id")
                .values_list("digest", "customer_id"))


def _insert(fresh: list[Customer], origins: list[tuple[Mapping[str, Any], Mapping[str, str]]]) -> None:
    """Write the new customers in one bulk insert with keys taken up front, as ``bulk_create`` would
    (afterwards each is a saved record). A contact value still the one its registration gave is
    written as the ciphertext computed for it; any other is encrypted by the insert."""
    table = Table(Customer)
    rows = []
    for customer, pk, (values, sealed) in zip(fresh, allocate_ids(Customer, len(fresh)), origins, strict=True):
        customer.pk = pk
        customer._state.adding = False
        customer._state.db = connection.alias
        columns = {f.attname: getattr(customer, f.attname) for f in table.fields}
        for name, cipher in sealed.items():
            if name in columns and columns[name] == values.get(name):
                columns[name] = cipher
        rows.append(table.row(columns))
    table.insert(rows)


def _complaints_of(actor: Any, customer: Customer) -> list[Complaint]:
    complaints = list(Complaint.objects.filter(customer=customer).select_related("unit", "product",
                                                                              "policy_version"))
    for complaint in complaints:
        if not reaches(actor, complaint.unit) or not can(actor, "customer.merge", at=complaint):
            raise PermissionDenied(_("Customer %(id)s has complaints outside the units you may merge in.")
                                   % {"id": customer.pk})
    return complaints


@transaction.atomic
def customer_merge(*, actor: Any, keep_id: int, duplicate: str | int, now: datetime | None = None) -> Customer:
    """Join the duplicate record into the kept one: its complaints and products move, the kept
    record's empty values are filled from the duplicate, both blind indexes are rebuilt and the
    duplicate is deleted. Refused unless the actor may merge customers at the unit of every
    complaint of both."""
    now = now or timezone.now()
    if not can(actor, "customer.merge"):
        raise PermissionDenied(_("Your role may not merge customers."))
    text = str(duplicate).strip().lstrip("#")
    if not text.isdigit() or len(text) > 9:
        raise ValidationFailed([FieldProblem("duplicate", _("Give the number of the customer to merge (digits)."))])
    duplicate_id = int(text)
    if keep_id == duplicate_id:
        raise Conflict(_("A customer cannot be merged into itself."))
    found = Customer.objects.select_for_update().in_bulk([keep_id, duplicate_id])
    if keep_id not in found or duplicate_id not in found:
        raise NotFound(_("There is no customer %(id)s.")
                       % {"id": duplicate_id if keep_id in found else keep_id})
    keep, other = found[keep_id], found[duplicate_id]
    complaints = _complaints_of(actor, other)
    _complaints_of(actor, keep)
    filled = [f.name for f in Customer._meta.concrete_fields
              if f.name not in {"id", "created_at", *NAME_FIELDS} and getattr(other, f.name)
              and not getattr(keep, f.name)]
    if not _named(keep) and _named(other):
        filled += [name for name in NAME_FIELDS if getattr(other, name) != getattr(keep, name)]
    for name in filled:
        setattr(keep, name, getattr(other, name))
    keep.created_at = min(keep.created_at, other.created_at)
    keep.save()
    Product.objects.filter(customer=other).update(customer=keep)
    Complaint.objects.filter(customer=other).update(customer=keep)
    for complaint in complaints:
        complaint.customer = keep
        # the complaint stays findable by the values it was registered with, and by the kept record's
        old = ContactDigest.objects.filter(complaint=complaint).values_list("digest", flat=True)
        keep_keys = contact_index.customer_digests(keep.phone, keep.email,
                                                   [complaint.product.imei] if complaint.product else [])
        contact_index.index_complaint(complaint, set(old) | keep_keys)
    other.delete()
    contact_index.index_customers([keep])
    record(actor=actor, action="customer.merge", obj=keep,
           before={"customers": [keep_id, duplicate_id]},
           after={"customer": keep_id, "merged": duplicate_id, "filled": sorted(filled),
                  "complaints": [c.number for c in complaints]}, at=now)
    return keep


def customer_detach(*, complaint: Complaint, now: datetime) -> Customer:
    """Give ``complaint`` a customer record of its own when its customer is shared with other
    complaints, so that erasing this complaint's personal data (privacy/erasure.py) leaves the
    others' intact; the shared record's index is rebuilt without this complaint's product. Runs
    inside the erasure's transaction; the erasure records the change."""
    shared = complaint.customer
    if not Complaint.objects.filter(customer=shared).exclude(pk=complaint.pk).exists():
        return shared
    fields = {f.name: getattr(shared, f.name) for f in Customer._meta.concrete_fields if f.name != "id"}
    own = Customer.objects.create(**{**fields, "created_at": now})
    if complaint.product is not None:
        Product.objects.filter(pk=complaint.product.pk).update(customer=own)
    Complaint.objects.filter(pk=complaint.pk).update(customer=own)
    complaint.customer = own
    contact_index.index_customers([shared])
    return own
