"""Searching contact data without unmasking it: a keyed blind index.

Phones, e-mail addresses, IMEIs and social-media accounts (and facts typed phone or IMEI) never
enter the complaint's free-text search column. Each normalised value is stored only as an
HMAC-SHA256 digest under the ``search`` key (core/keys.py), which lives outside the database. A
search term is normalised the same ways and its digests are looked up, so only the exact value
finds a complaint: adding one digit at a time to a masked number narrows nothing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Any

from stdnum import imei as stdnum_imei

from complaintdesk.complaints import validation as check
from complaintdesk.complaints.models import Complaint, ContactDigest, Customer, CustomerDigest, Product
from complaintdesk.core.keys import key
from complaintdesk.policy.schema import FactType, Policy

# the fact types whose values are contact data: searched by exact value only
PRIVATE_FACT_TYPES = frozenset({FactType.IMEI, FactType.PHONE})
# at most this many complaints are matched by one exact contact value in a search
MATCH_LIMIT = 1000


def digest(kind: str, normalised: str) -> str:
    return _digest(key("search"), kind, normalised)


@functools.lru_cache(maxsize=65536)  # a bulk import asks for each row's digests several times
def _digest(secret: bytes, kind: str, normalised: str) -> str:
    return hmac.new(secret, f"{kind}\x1f{normalised}".encode(), hashlib.sha256).hexdigest()


def private_fact_codes(policy: Policy, category: str) -> frozenset[str]:
    try:
        facts = policy.category(category).facts
    except KeyError:
        return frozenset()
    return frozenset(f.code for f in facts if f.type in PRIVATE_FACT_TYPES)


def _social(value: str) -> str:
    return " ".join(value.split()).casefold()


def contact_digests(customer: Mapping[str, Any], product: Mapping[str, Any], facts: Mapping[str, Any],
                    private_codes: Iterable[str]) -> set[str]:
    """The digests of a complaint's contact values, each already normalised by intake."""
    out: set[str] = set()
    phones = [str(customer.get("phone") or "")]
    imeis = [str(product.get("imei") or "")]
    for code in private_codes:
        value = str(facts.get(code) or "")
        (phones if value.startswith("+") else imeis).append(value)
    out.update(digest("phone", v) for v in phones if v)
    out.update(digest("imei", v) for v in imeis if v)
    email = str(customer.get("email") or "").strip().lower()
    if email:
        out.add(digest("email", email))
    social = _social(str(customer.get("social_account") or ""))
    if social:
        out.add(digest("social", social))
    return out


def query_digests(term: str, default_region: str = "CN") -> set[str]:
    """Every digest the search term can stand for, read as a phone, an IMEI, an e-mail address or a
    social-media account. A term that is none of them exactly matches nothing here."""
    text = term.strip()
    if not text:
        return set()
    out = {digest("social", _social(text))}
    if "@" in text:
        out.add(digest("email", text.lower()))
    compact = stdnum_imei.compact(text)
    if compact.isdigit() and len(compact) in (14, 15, 16):
        out.add(digest("imei", compact))
    with contextlib.suppress(check.FieldInvalid):  # not a phone number: the other readings stand
        out.add(digest("phone", check.phone(text, default_region)))
    return out


def complaint_ids_for(term: str) -> list[int]:
    digests = query_digests(term)
    if not digests:
        return []
    return list(ContactDigest.objects.filter(digest__in=digests)
                .values_list("complaint_id", flat=True).distinct()[:MATCH_LIMIT])


def index_complaint(complaint: Complaint, digests: set[str], *, new: bool = False) -> None:
    """Make the complaint's index rows exactly ``digests`` (inside the caller's transaction); a
    ``new`` complaint (inserted by this transaction) has none yet: one insert."""
    have: set[str] = set()
    if not new:
        have = set(ContactDigest.objects.filter(complaint=complaint).values_list("digest", flat=True))
        ContactDigest.objects.filter(complaint=complaint, digest__in=have - digests).delete()
    ContactDigest.objects.bulk_create([ContactDigest(complaint=complaint, digest=d) for d in sorted(digests - have)])


def reindex_complaint(complaint: Complaint, policy: Policy) -> None:
    customer = complaint.customer
    product = complaint.product
    index_complaint(complaint, contact_digests(
        {f: getattr(customer, f) for f in ("phone", "email", "social_account")},
        {"imei": product.imei} if product else {},
        complaint.facts, private_fact_codes(policy, complaint.category)))


def customer_digests(phone: str, email: str, imeis: Iterable[str]) -> set[str]:
    """The digests a customer is found by: its phone, its e-mail and its products' IMEIs, each
    already normalised by intake (social-media accounts and facts typed as phones do not identify
    the customer: a fact's phone may be a shop's)."""
    out = {digest("imei", v) for v in imeis if v}
    if phone:
        out.add(digest("phone", phone))
    if email.strip():
        out.add(digest("email", email.strip().lower()))
    return out


def index_customers(customers: Iterable[Customer]) -> None:
    """Make each customer's index rows exactly the digests of its present phone, e-mail and IMEIs
    (inside the caller's transaction); three queries for any number of customers."""
    by_id = {customer.pk: customer for customer in customers}
    imeis: dict[int, list[str]] = {pk: [] for pk in by_id}
    for customer_id, imei in Product.objects.filter(customer_id__in=by_id).values_list("customer_id", "imei"):
        imeis[customer_id].append(imei)
    have: dict[int, dict[str, int]] = {pk: {} for pk in by_id}
    for row_id, customer_id, value in (CustomerDigest.objects.filter(customer_id__in=by_id)
                                       .values_list("id", "customer_id", "digest")):
        have[customer_id][value] = row_id
    stale: list[int] = []
    new: list[CustomerDigest] = []
    for pk, customer in by_id.items():
        wanted = customer_digests(customer.phone, customer.email, imeis[pk])
        stale += [row_id for value, row_id in have[pk].items() if value not in wanted]
        new += [CustomerDigest(customer_id=pk, digest=value) for value in sorted(wanted - set(have[pk]))]
    CustomerDigest.objects.filter(pk__in=stale).delete()
    CustomerDigest.objects.bulk_create(new)


def index_new_customer(customer: Customer, imeis: Iterable[str]) -> None:
    """Index a customer inserted by this transaction, whose only products have ``imeis``: it has no
    index rows yet, so one insert (what :func:`index_customers` would write, without reading)."""
    CustomerDigest.objects.bulk_create([CustomerDigest(customer_id=customer.pk, digest=value) for value in
                                        sorted(customer_digests(customer.phone, customer.email, imeis))])
