"""Erasure (privacy/erasure.py) on a customer shared by several complaints (the customer archive):
erasing one complaint leaves the others' customer record intact; erasing the person erases all."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.complaints.models import Complaint, Customer, CustomerDigest
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services.intake import complaint_register
from complaintdesk.core.audit import verify_chain
from complaintdesk.privacy import services
from complaintdesk.privacy.erasure import ERASED, complaint_erase
from complaintdesk.privacy.models import Erasure

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def _pair(org: Any, registration: Any) -> list[Complaint]:
    customer = {"first_name": "晓梅", "last_name": "王", "phone": PHONE, "address": "上海市徐汇区漕溪北路88号",
                "language": "zh-hans"}
    out = [complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer=customer, description=f"王晓梅 ({PHONE}) says calls drop, case {n}.")).to_input()) for n in (1, 2)]
    assert out[0].customer_id == out[1].customer_id
    return out


def test_erasing_one_complaint_keeps_the_shared_customer_for_the_other(org: Any, registration: Any) -> None:
    old, recent = _pair(org, registration)
    shared = old.customer_id
    complaint_erase(actor=org["admin"], complaint=old, cause=Erasure.Cause.RETENTION)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.customer_id != shared and recent.customer_id == shared
    erased = Customer.objects.get(pk=old.customer_id)
    assert erased.phone == "" and erased.first_name == "" and erased.name_note == ERASED
    assert not CustomerDigest.objects.filter(customer=erased).exists()
    assert PHONE not in old.description and "王晓梅" not in old.description
    kept = Customer.objects.get(pk=shared)
    assert kept.phone == f"+86{PHONE}" and kept.first_name == "晓梅"
    assert PHONE in recent.description
    # the other complaint's product stays with the shared record, the erased one's moved away
    assert list(kept.products.values_list("imei", flat=True)) == [recent.product.imei]
    found = services.person_complaints(actor=org["admin"], contact=PHONE)
    assert [c.number for c in found] == [recent.number]
    assert list(verify_chain()) == []


def test_erasing_the_person_erases_every_complaint_of_the_shared_customer(org: Any, registration: Any) -> None:
    first, second = _pair(org, registration)
    services.person_erase(actor=org["admin"], contact=PHONE, reason="The customer asked")
    for complaint in (first, second):
        complaint.refresh_from_db()
        assert PHONE not in complaint.description and "王晓梅" not in complaint.description
        assert complaint.customer.phone == "" and complaint.customer.address == ""
    assert not CustomerDigest.objects.exists()
    assert services.person_complaints(actor=org["admin"], contact=PHONE) == []
