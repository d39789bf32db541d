"""The privacy page (/privacy/) over HTTP: only the administrator and legal reach it; find, see what
is held (audited as an export), download JSON and Excel, hold and release, erase only after the
confirmation that names what will be erased; contact values never travel in a URL."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services.intake import complaint_register
from complaintdesk.core.models import AuditEvent
from complaintdesk.privacy.models import Erasure, LegalHold

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def person(org: Any, registration: Any) -> Complaint:
    return complaint_register(actor=org["agent"], data=ComplaintIn(**registration(customer={
        "first_name": "Emily", "last_name": "Carter", "phone": PHONE, "email": "emily@example.com",
        "address": "1 High Street", "language": "en"})))


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["agent", "supervisor", "specialist", "cs_head", "handler"])
def test_other_roles_are_refused(org: Any, role: str) -> None:
    client = _client(org[role])
    assert client.get("/privacy/").status_code == 403
    assert client.post("/privacy/search/", {"contact": PHONE}).status_code == 403
    assert client.post("/privacy/erase/", {"confirmed": "1", "reason": "x"}).status_code == 403


def test_legal_finds_sees_exports_holds_and_erases_after_confirming(org: Any, person: Complaint) -> None:
    client = _client(org["legal"])
    assert client.get("/privacy/").status_code == 200
    found = client.post("/privacy/search/", {"contact": PHONE})
    assert found.status_code == 302 and PHONE not in found["Location"]
    page = client.get("/privacy/").content.decode()
    assert f'data-testid="privacy-complaint-{person.number}"' in page
    assert "+8613812345678" in page and "1 High Street" in page  # what is held, unmasked for the answer
    assert AuditEvent.objects.filter(action="privacy.export", actor=org["legal"]).exists()

    exported = client.post("/privacy/export.json")
    assert exported["Content-Disposition"].startswith("attachment")
    assert json.loads(exported.content)["complaints"][0]["number"] == person.number
    workbook = load_workbook(io.BytesIO(client.post("/privacy/export.xlsx").content))
    assert workbook.worksheets[0].cell(row=2, column=1).value == person.number

    client.post("/privacy/holds/", {"number": person.number, "reason": "Court case 2026-17"})
    hold = LegalHold.objects.get(complaint=person, released_at__isnull=True)
    confirm = client.post("/privacy/erase/").content.decode()
    assert 'data-testid="privacy-erase-blocked"' in confirm and person.number in confirm
    client.post(f"/privacy/holds/{hold.pk}/release/", {"reason": "Case closed"})
    hold.refresh_from_db()
    assert hold.released_at is not None

    confirm = client.post("/privacy/erase/").content.decode()  # the first click only asks
    assert 'data-testid="privacy-erase-list"' in confirm and "Emily" in confirm
    assert not Erasure.objects.exists()
    refused = client.post("/privacy/erase/", {"confirmed": "1", "reason": ""})
    assert refused.status_code == 422 and 'data-testid="error-reason"' in refused.content.decode()
    assert not Erasure.objects.exists()
    done = client.post("/privacy/erase/", {"confirmed": "1", "reason": "Request of 2026-12-01, ID card seen"})
    assert done.status_code == 302
    assert Erasure.objects.filter(complaint=person).exists()
    person.customer.refresh_from_db()
    assert person.customer.phone == ""


def test_a_search_without_anything_names_the_field(org: Any) -> None:
    response = _client(org["admin"]).post("/privacy/search/", {"contact": "", "number": ""})
    assert response.status_code == 422 and 'data-testid="error-contact"' in response.content.decode()


@pytest.mark.parametrize(("language", "texts"), [
    ("en", ["Retention rules", "Product acceptance certificate", "2 years", "Dealer and customer service",
            "Customer complaint form", "kept long term", "Marketing headquarters",
            "Kept at", "Not erased by this system"]),
    ("zh-hans", ["保存期限规定", "产品验收合格证明", "2年", "经销商及公司客服部", "长期保存", "营销总部",
                 "保存地点", "本系统不自动删除"]),
])
def test_the_retention_rules_are_listed_with_their_location(db: Any, language: str, texts: list[str]) -> None:
    """003: each after-sales record with where it is kept and for how long ("Save time: 2 years",
    "for a long time"); only a complaint's personal data is erased by the worker."""
    from orgkit import install_org

    org = install_org("dealer_network")
    client = _client(org["legal"])
    client.cookies["django_language"] = language
    page = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in texts:
        assert text in page, text
    assert page.count('data-testid="retention-rule"') == len(org.policy.retention)
