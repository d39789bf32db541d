"""What the import computes of a row where it was validated (integrations/import_prepare.py) and
writes in bulk: new customers by bulk insert (COPY on PostgreSQL) equal to Django's ``bulk_create``,
contact data encrypted and readable, the customers' and complaints' blind-index rows found by search,
the search text and the audit hash assembled from their parts equal to the whole computed at once."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.forms.models import model_to_dict

from complaintdesk.complaints import contact_index
from complaintdesk.complaints.models import Complaint, Customer, CustomerDigest
from complaintdesk.complaints.selectors.listing import ComplaintFilter, complaint_list
from complaintdesk.complaints.services.common import search_text_for, search_text_numbered
from complaintdesk.complaints.services.customers import customers_for, registration_digests
from complaintdesk.core.audit import canonical, event_hash, verify_chain, verify_checkpoint
from complaintdesk.core.crypto import decrypt, encrypt
from complaintdesk.core.keys import key
from complaintdesk.integrations.importer import complaints_import
from registerkit import HEADINGS, good_row, write_xlsx

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
BASE = {"title": "", "first_name": "", "name_note": "", "kind": "individual", "company": "", "social_account": "",
        "address": "", "special_identity": "", "emotion": "", "language": "en"}


def _registrations() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """New customers: one per row, two rows sharing a phone (the second changes the e-mail and adds an
    address), and one known by its IMEI only."""
    return [({**BASE, "first_name": "Ann",
                      "last_name": "Li", "phone": "+8613700000001", "email": "li@example.com"}, {"imei": ""}),
            ({**BASE, "first_name": "Ann", "last_name": "Wu", "phone": "+8613700000002", "email": "wu@example.com"},
             {"imei": "356938035643809"}),
            ({**BASE, "first_name": "Ann",
                      "last_name": "Wu", "phone": "+8613700000002", "email": "wu2@example.com", "address": "Wuxi"},
             {"imei": ""}),
            ({**BASE, "first_name": "Ann", "last_name": "Zhao", "phone": "", "email": ""}, {"imei": "490154203237518"})]


def _stored(pk: int) -> dict[str, Any]:
    return {k: v for k, v in model_to_dict(Customer.objects.get(pk=pk)).items() if k != "id"}


def test_new_customers_by_bulk_insert_are_those_bulk_create_writes(org: Any) -> None:
    regs = _registrations()
    with transaction.atomic():
        by_orm = customers_for(regs, now=NOW)
    for customer in by_orm:  # the same values again would find these: start from an empty archive
        customer.digests.all().delete()
    ciphers = [{name: encrypt(v) for name in ("phone", "email", "address") if (v := values.get(name))}
               for values, _product in regs]
    created: list[Customer] = []
    with transaction.atomic():
        by_copy = customers_for(regs, now=NOW, created=created, copy=True, ciphers=ciphers,
                                digests=[registration_digests(v, p) for v, p in regs])
    assert [c.pk for c in created] == sorted({c.pk for c in by_copy})
    assert len({c.pk for c in by_copy}) == len({c.pk for c in by_orm}) == 3
    assert [by_copy.index(c) for c in by_copy] == [by_orm.index(c) for c in by_orm]  # same sharing
    for orm, copied in zip(by_orm, by_copy, strict=True):
        assert not copied._state.adding
        assert _stored(copied.pk) == _stored(orm.pk) == {k: v for k, v in model_to_dict(copied).items() if k != "id"}
    # contact data is encrypted at rest and decrypts to the values given; the row that changed the
    # e-mail is written as the latest value (encrypted by the insert, not the first row's ciphertext)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email, address FROM complaints_customer WHERE id = %s", [by_copy[1].pk])
        phone, email, address = cursor.fetchone()
    assert all(str(v).startswith("enc1:") for v in (phone, email, address))
    assert (decrypt(phone), decrypt(email), decrypt(address)) == ("+8613700000002", "wu2@example.com", "Wuxi")


def test_an_import_indexes_customers_and_complaints_as_registration_would(org: Any, tmp_path: Path,
                                                                        django_capture_on_commit_callbacks: Any,
                                                                        ) -> None:
    rows = [good_row(index) for index in range(6)]
    phone, email = HEADINGS.index("Phone"), HEADINGS.index("E-mail")
    rows[3][phone] = rows[2][phone]  # one customer for rows 2 and 3, whose e-mail the later row changes
    source = tmp_path / "r.xlsx"
    write_xlsx(source, HEADINGS, rows)
    with django_capture_on_commit_callbacks(execute=True):
        result = complaints_import(actor=org["agent"], path=source, now=NOW, jobs=0)
    assert result.imported == 6
    complaints = list(Complaint.objects.filter(number__in=result.numbers).select_related("customer", "product"))
    customers = {c.customer for c in complaints}
    assert len(customers) == 5
    shared = next(c.customer for c in complaints if c.customer.phone == f"+86{rows[2][phone]}")
    assert shared.email == rows[3][email]
    indexed = {c.pk: set(CustomerDigest.objects.filter(customer=c).values_list("digest", flat=True))
               for c in customers}
    with transaction.atomic():
        contact_index.index_customers(customers)  # what registration's indexing makes of them: no change
    assert indexed == {c.pk: set(CustomerDigest.objects.filter(customer=c).values_list("digest", flat=True))
                       for c in customers}
    assert contact_index.digest("email", rows[2][email]) not in indexed[shared.pk]  # the old e-mail is not
    for complaint in complaints:  # stored encrypted, read back in clear, found by its exact values
        assert complaint.product is not None and complaint.product.imei == "490154203237518"
        assert complaint.pk in contact_index.complaint_ids_for(complaint.customer.phone)
    with connection.cursor() as cursor:
        cursor.execute("SELECT imei FROM complaints_product WHERE id = %s", [complaints[0].product_id])
        assert str(cursor.fetchone()[0]).startswith("enc1:")
    found = complaint_list(org["agent"], ComplaintFilter(q=rows[4][email]))  # the list's search box
    assert [c.number for c in found] == [result.numbers[4]]
    assert list(verify_chain()) == [] and list(verify_checkpoint()) == []


@pytest.mark.parametrize("parts", [
    ("Wang", "Reno 8", "Calls drop", "ＦＵＬＬ　width", ""),
    ("  leading space", "", "", "", ""),
    ("\u3000ideographic space first", "x", "", "", ""),
    ("", "", "", "", ""),
    ("e\u0301 combining", "MIXED Case", "tab\there", "", "origin"),
])
def test_the_search_text_with_its_number_is_the_one_computed_with_it(parts: tuple[str, ...]) -> None:
    name, model, reason, description, origin = parts
    args = ({"first_name": "Ann",
             "last_name": name}, {"model": model}, reason, description, "", {"f": "v"} if model else {}, origin)
    for number in ("PM-20261120-000001", "ＡＢ-1"):
        assert search_text_numbered(number, search_text_for("", *args)) == search_text_for(number, *args)


def test_the_event_hash_from_canonical_parts_is_the_hash_of_the_whole() -> None:
    at = datetime(2026, 11, 20, 3, 0, 0, 123456, tzinfo=UTC)
    after = {"number": "PM-1", "b": [1, 2, {"z": "中文", "a": None}], "a": True, "level_override_reason": "hmac:x"}
    for actor_id, before in ((7, {}), (None, {"status": "open", "note": "\"quoted\"\n"})):
        whole = canonical({"prev": "0" * 64, "at": at.isoformat(), "actor": actor_id, "action": "complaint.register",
                           "object": "complaints.complaint:12", "complaint": "PM-1", "before": before,
                           "after": after})
        expected = hmac.new(key("audit"), whole.encode(), hashlib.sha256).hexdigest()
        assert event_hash("0" * 64, at=at, actor_id=actor_id, action="complaint.register",
                          object_type="complaints.complaint", object_id="12", complaint_number="PM-1",
                          before=before, after=after) == expected
