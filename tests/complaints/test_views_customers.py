"""The customer page (complaints/views/customers.py) through HTTP: every complaint, contact and
satisfaction result the reader may see, masked contact data, the customer file the policy keeps
(``customer_profile``), and merging a duplicate record."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.complaints.models import Complaint, Customer
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.work import contact_record
from orgkit import install_variant

pytestmark = pytest.mark.django_db


def register(org: Any, registration: Any, **overrides: Any) -> Complaint:
    return complaint_register(actor=org["agent"], data=ComplaintIn(**registration(**overrides)).to_input())


def test_the_page_lists_every_complaint_and_contact_masked(org: Any, registration: Any, client: Any) -> None:
    first = register(org, registration)
    second = register(org, registration, reason="The screen flickers as well")
    contact_record(actor=org["agent"], number=second.number, outcome="no_answer", note="Rang twice")
    client.force_login(org["specialist"])
    page = client.get(f"/customers/{first.customer_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert first.number in page and second.number in page and "The screen flickers as well" in page
    assert "138****5678" in page and "13812345678" not in page and "emily@example.com" not in page
    assert "Rang twice" in page and "No answer" in page
    assert 'data-testid="customer-file"' not in page  # the phone maker keeps no customer file
    detail = client.get(f"/complaints/{first.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/customers/{first.customer_id}/"' in detail


def test_a_customer_outside_the_readers_units_is_not_found(org: Any, registration: Any, client: Any) -> None:
    from unitkit import build_tree, person, received_by

    tree = build_tree()
    complaint = received_by(register(org, registration), tree.store_b)
    client.force_login(person(tree, "agent-a", "store-a", "agent"))
    assert client.get(f"/customers/{complaint.customer_id}/").status_code == 404
    assert client.get("/customers/999999/").status_code == 404
    client.force_login(person(tree, "agent-b", "store-b", "agent"))
    assert client.get(f"/customers/{complaint.customer_id}/").status_code == 200


def test_the_customer_file_shows_what_the_policy_keeps(db: Any, registration: Any, client: Any) -> None:
    org = install_variant("phone_maker", "2026.9", (
        "repeat:", "customer_profile: [customer.name, customer.address, product.place_of_purchase]\nrepeat:"))
    complaint = register(org, registration)
    client.force_login(org["specialist"])
    page = client.get(f"/customers/{complaint.customer_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="customer-file"' in page
    assert 'data-field="customer.name">Emily Carter' in page
    assert 'data-field="customer.address">Sh****' in page  # an address is masked as everywhere
    assert 'data-field="product.place_of_purchase"><span class="badge text-bg-warning">missing' in page
    assert 'data-field="product.model"' not in page  # not kept by this policy


def test_merge_from_the_page(org: Any, registration: Any, client: Any) -> None:
    keep = register(org, registration)
    other = register(org, registration, customer={"first_name": "Ann", "last_name": "Carter", "email": "c2@example.com",
                                                  "language": "en"}, product={"model": "Reno 8 Pro"})
    client.force_login(org["agent"])
    assert 'data-testid="merge-form"' not in client.get(f"/customers/{keep.customer_id}/").content.decode()
    refused = client.post(f"/customers/{keep.customer_id}/merge/", {"duplicate": str(other.customer_id)})
    assert refused.status_code == 403
    client.force_login(org["supervisor"])
    bad = client.post(f"/customers/{keep.customer_id}/merge/", {"duplicate": "abc"}, follow=True,
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Give the number of the customer to merge" in bad
    done = client.post(f"/customers/{keep.customer_id}/merge/", {"duplicate": str(other.customer_id)},
                       follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Customer records merged" in done and other.number in done
    assert Customer.objects.count() == 1
