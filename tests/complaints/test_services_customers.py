"""The customer archive (complaints/services/customers.py): one customer record reused across
complaints, found by exact phone, e-mail or IMEI through the blind index, and merged by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from complaintdesk.complaints import contact_index
from complaintdesk.complaints.models import Complaint, ContactDigest, Customer, CustomerDigest
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.customers import customer_merge
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def register(org: Any, registration: Any, **overrides: Any) -> Complaint:
    return complaint_register(actor=org["agent"], data=ComplaintIn(**registration(**overrides)).to_input())


def test_the_same_phone_reuses_the_customer_and_takes_the_latest_details(org: Any, registration: Any) -> None:
    first = register(org, registration)
    second = register(org, registration, customer={"last_name": "Carter", "first_name": "Emily",
                                                   "phone": "+86 138 1234 5678", "address": "Beijing",
                                                   "language": "en"})
    assert second.customer_id == first.customer_id
    assert Customer.objects.count() == 1
    customer = Customer.objects.get()
    # a value given replaces the stored one; a value left empty (the e-mail) keeps it
    assert customer.address == "Beijing" and customer.email == "emily@example.com"
    assert customer.products.count() == 2


def test_the_same_email_reuses_the_customer_when_the_phone_changed(org: Any, registration: Any) -> None:
    first = register(org, registration)
    second = register(org, registration, customer={"first_name": "Ann", "last_name": "Carter", "phone": "13900000001",
                                                   "email": "Emily@Example.com", "language": "en"})
    assert second.customer_id == first.customer_id
    assert Customer.objects.get().phone == "+8613900000001"
    # the customer is now found by its new phone, no longer by the old one
    assert contact_index.digest("phone", "+8613900000001") in set(
        CustomerDigest.objects.values_list("digest", flat=True))
    assert contact_index.digest("phone", "+8613812345678") not in set(
        CustomerDigest.objects.values_list("digest", flat=True))


def test_the_imei_alone_finds_the_customer_only_without_phone_and_email(org: Any, registration: Any) -> None:
    first = register(org, registration)
    by_device = register(org, registration, customer={"first_name": "Ann", "last_name": "Carter", "address": "Shanghai",
                                                      "language": "en"})
    assert by_device.customer_id == first.customer_id
    # a new phone with a known IMEI is someone else until a person merges them (devices change hands)
    other = register(org, registration, customer={"first_name": "Ann",
                                                  "last_name": "Zhou", "phone": "13700000002", "language": "en"})
    assert other.customer_id != first.customer_id


def test_a_part_of_a_number_never_matches(org: Any, registration: Any) -> None:
    first = register(org, registration)
    near = register(org, registration, customer={"first_name": "Ann", "last_name": "Li", "phone": "13812345679",
                                                 "email": "emily@example.co", "language": "en"},
                    product={"model": "Reno 8 Pro"})
    assert near.customer_id != first.customer_id
    assert Customer.objects.count() == 2


def test_no_clear_contact_value_is_stored_in_the_index(org: Any, registration: Any) -> None:
    register(org, registration)
    stored = " ".join(CustomerDigest.objects.values_list("digest", flat=True))
    assert "13812345678" not in stored and "emily" not in stored
    assert CustomerDigest.objects.count() == 3  # phone, e-mail, IMEI


def _duplicate_pair(org: Any, registration: Any) -> tuple[Complaint, Complaint]:
    keep = register(org, registration, customer={"first_name": "Ann",
                                                 "last_name": "Carter", "phone": "13812345678", "language": "en"},
                    product={"model": "Reno 8 Pro"})
    other = register(org, registration, customer={"first_name": "Ann",
                                                  "last_name": "Carter", "email": "carter@example.com",
                                                  "address": "Suzhou", "language": "en"},
                     product={"model": "Reno 8 Pro"})
    assert keep.customer_id != other.customer_id
    return keep, other


def test_merge_moves_the_complaints_fills_gaps_and_updates_the_index(org: Any, registration: Any) -> None:
    keep, other = _duplicate_pair(org, registration)
    duplicate_id = other.customer_id
    kept = customer_merge(actor=org["supervisor"], keep_id=keep.customer_id, duplicate=f"#{duplicate_id}")
    assert set(Complaint.objects.values_list("customer_id", flat=True)) == {kept.pk}
    assert not Customer.objects.filter(pk=duplicate_id).exists()
    assert kept.email == "carter@example.com" and kept.address == "Suzhou" and kept.phone == "+8613812345678"
    digests = set(CustomerDigest.objects.filter(customer=kept).values_list("digest", flat=True))
    assert digests == {contact_index.digest("phone", "+8613812345678"),
                       contact_index.digest("email", "carter@example.com")}
    # the moved complaint is found by the kept record's phone as well as by its own e-mail
    moved = set(ContactDigest.objects.filter(complaint=other).values_list("digest", flat=True))
    assert contact_index.digest("phone", "+8613812345678") in moved
    assert contact_index.digest("email", "carter@example.com") in moved
    event = AuditEvent.objects.filter(action="customer.merge").get()
    assert event.after["merged"] == duplicate_id and event.after["complaints"] == [other.number]
    # a later registration by the e-mail alone lands on the kept record
    again = register(org, registration, customer={"first_name": "Ann",
                                                  "last_name": "Carter", "email": "carter@example.com",
                                                  "language": "en"})
    assert again.customer_id == kept.pk


def test_merge_is_refused_to_roles_without_it_and_for_bad_input(org: Any, registration: Any) -> None:
    keep, other = _duplicate_pair(org, registration)
    with pytest.raises(PermissionDenied):
        customer_merge(actor=org["agent"], keep_id=keep.customer_id, duplicate=other.customer_id)
    with pytest.raises(ValidationFailed) as problem:
        customer_merge(actor=org["supervisor"], keep_id=keep.customer_id, duplicate="seven")
    assert problem.value.problems[0].field == "duplicate"
    with pytest.raises(Conflict):
        customer_merge(actor=org["supervisor"], keep_id=keep.customer_id, duplicate=keep.customer_id)
    assert Customer.objects.count() == 2 and not AuditEvent.objects.filter(action="customer.merge").exists()


def test_merge_is_refused_across_units_the_user_does_not_reach(org: Any, registration: Any) -> None:
    from unitkit import build_tree, person, received_by

    tree = build_tree()
    keep, other = _duplicate_pair(org, registration)
    received_by(keep, tree.store_a)
    received_by(other, tree.store_b)
    boss = person(tree, "boss-a", "store-a", "supervisor")
    with pytest.raises(PermissionDenied):
        customer_merge(actor=boss, keep_id=keep.customer_id, duplicate=other.customer_id)
    assert Complaint.objects.get(pk=other.pk).customer_id == other.customer_id
    regional = person(tree, "boss-east", "east", "supervisor")
    assert customer_merge(actor=regional, keep_id=keep.customer_id, duplicate=other.customer_id).pk == \
        keep.customer_id


def test_one_batch_shares_a_customer_between_rows_and_with_the_record(org: Any, registration: Any) -> None:
    """The import's door: the rows of one batch are matched to the record and to each other."""
    from django.utils import timezone

    from complaintdesk.complaints.services.customers import customers_for

    on_record = register(org, registration).customer
    base = {"title": "", "first_name": "", "name_note": "", "kind": "individual", "company": "",
            "social_account": "", "address": "", "special_identity": "", "emotion": "", "language": "en"}
    rows = [({**base, "first_name": "Ann",
                      "last_name": "Carter", "phone": "+8613812345678", "email": ""}, {"imei": ""}),
            ({**base, "first_name": "Ann",
                      "last_name": "New", "phone": "+8613700000009", "email": ""}, {"imei": "356938035643809"}),
            ({**base, "first_name": "Ann",
                      "last_name": "New", "phone": "", "email": "", "address": "Wuxi"}, {"imei": "356938035643809"}),
            ({**base, "first_name": "Ann", "last_name": "Other", "phone": "+8613700000010", "email": ""}, {"imei": ""})]
    with transaction.atomic():
        found = customers_for(rows, now=timezone.now())
    assert found[0].pk == on_record.pk
    assert found[1].pk is not None and found[2].pk == found[1].pk and found[2].address == "Wuxi"
    assert found[3].pk not in {on_record.pk, found[1].pk}
    assert Customer.objects.count() == 3


def test_a_large_batch_finds_the_customers_on_record_by_one_probe_per_digest(org: Any, registration: Any) -> None:
    """A batch that asks for more than a hundred digests (an import's) looks them up as one array on
    PostgreSQL (``_owners``: an index probe per digest, whatever the table's statistics): the
    customers on record are found by phone and by e-mail, the most recent when several share one."""
    from django.utils import timezone

    from complaintdesk.complaints import contact_index
    from complaintdesk.complaints.services.customers import customers_for

    on_record = register(org, registration).customer
    older = Customer.objects.create(last_name="Older", email="shared@example.com", created_at=timezone.now())
    newer = Customer.objects.create(last_name="Newer", email="shared@example.com", created_at=timezone.now())
    contact_index.index_customers([older, newer])
    base = {"title": "", "first_name": "", "name_note": "", "kind": "individual", "company": "",
            "social_account": "", "address": "", "special_identity": "", "emotion": "", "language": "en"}
    rows = [({**base, "first_name": "Ann",
                      "last_name": f"Row {i}", "phone": f"+86137{i:08d}", "email": f"row{i}@example.com"},
             {"imei": ""}) for i in range(60)]
    rows[10] = ({**base, "first_name": "Ann",
                         "last_name": "Carter", "phone": on_record.phone, "email": ""}, {"imei": ""})
    rows[20] = ({**base, "first_name": "Ann",
                         "last_name": "Shared", "phone": "", "email": "shared@example.com"}, {"imei": ""})
    with transaction.atomic():
        found = customers_for(rows, now=timezone.now())
    assert found[10].pk == on_record.pk and found[20].pk == newer.pk
    assert len({c.pk for c in found}) == 60 and Customer.objects.count() == 3 + 58
