"""Privacy requests: find a person by exact contact data, export everything held, erase it in every
table while statistics and the audit chain stay valid; legal holds block erasure."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook

from complaintdesk.complaints.models import Complaint, ContactDigest, TimelineEntry
from complaintdesk.complaints.schemas import ComplaintAmendIn, ComplaintIn
from complaintdesk.complaints.selectors.listing import ComplaintFilter, complaint_list
from complaintdesk.complaints.services.amend import complaint_amend
from complaintdesk.complaints.services.intake import complaint_register
from complaintdesk.complaints.services.work import ProgressInput, progress_add
from complaintdesk.core.audit import verify_chain
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.notify.models import Message
from complaintdesk.privacy import services
from complaintdesk.privacy.export import export_workbook, person_export
from complaintdesk.privacy.models import Erasure

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
STORED = "+8613812345678"  # as intake normalises it


def _register(org: Any, registration: Any, **overrides: Any) -> Complaint:
    return complaint_register(actor=org["agent"], data=ComplaintIn(**registration(**overrides)).to_input())


@pytest.fixture
def person(org: Any, registration: Any) -> list[Complaint]:
    first = _register(org, registration, customer={"title": "ms", "first_name": "晓梅", "last_name": "王",
                                                   "phone": PHONE, "email": "wang@example.com",
                                                   "address": "上海市徐汇区漕溪北路88号", "language": "zh-hans"},
                      description="王晓梅 says calls drop; call her back on 13812345678.")
    second = _register(org, registration, customer={"title": "ms", "first_name": "晓梅", "last_name": "王",
                                                    "phone": PHONE, "language": "zh-hans"})
    other = _register(org, registration, customer={"title": "mr", "first_name": "Wei", "last_name": "Zhang",
                                                   "phone": "13900001111", "language": "en"})
    assert other.number
    progress_add(actor=org["agent"], number=first.number,
                 data=ProgressInput(verified="Called 王晓梅 at 13812345678", done="Explained the update",
                                    next_step="Wait for the fix"))
    return [first, second]


def test_the_person_is_found_by_exact_contact_data_only(org: Any, person: list[Complaint]) -> None:
    found = services.person_complaints(actor=org["admin"], contact=PHONE)
    assert [c.number for c in found] == [c.number for c in person]
    assert services.person_complaints(actor=org["admin"], contact=PHONE[:-1]) == []
    by_number = services.person_complaints(actor=org["legal"], number=person[1].number)
    assert {c.number for c in by_number} == {c.number for c in person}
    with pytest.raises(ValidationFailed) as refused:
        services.person_complaints(actor=org["admin"])
    assert [p.field for p in refused.value.problems] == ["contact"]


def test_only_the_administrator_and_legal_answer(org: Any, person: list[Complaint]) -> None:
    for role in ("agent", "supervisor", "cs_head"):
        with pytest.raises(PermissionDenied):
            services.person_complaints(actor=org[role], contact=PHONE)


def test_export_holds_everything_and_the_audit_keeps_none_of_it(org: Any, person: list[Complaint]) -> None:
    complaints = services.person_complaints(actor=org["admin"], contact=PHONE)
    document = person_export(actor=org["admin"], complaints=complaints)
    first = document["complaints"][0]
    assert first["customer"]["phone"] == STORED and first["customer"]["last_name"] == "王"
    assert first["product"]["imei"] == "490154203237518"
    assert first["messages"] and first["messages"][0]["recipient"]
    assert json.loads(json.dumps(document, ensure_ascii=False))["complaints"][1]["number"] == person[1].number
    book = load_workbook(io.BytesIO(export_workbook(document)))
    assert book.sheetnames[0] == "Complaints"
    rows = list(book["Complaints"].iter_rows(values_only=True))
    assert rows[1][6] == STORED and len(rows) == 3
    event = AuditEvent.objects.filter(action="privacy.export").get()
    assert STORED not in json.dumps(event.after) and person[0].number in event.after["complaints"]


def test_erasure_removes_personal_data_everywhere_and_keeps_statistics(org: Any, person: list[Complaint]) -> None:
    complaint_amend(actor=org["agent"], number=person[0].number,
                    data=ComplaintAmendIn(customer={
                        "title": "ms", "first_name": "晓梅", "last_name": "王", "phone": PHONE,
                        "email": "wang@example.com", "address": "北京市朝阳区建国路1号", "language": "zh-hans"},
                    ).to_input())
    total = Complaint.objects.count()
    erased = services.person_erase(actor=org["admin"], contact=PHONE, reason="Request by phone 2026-11-30, "
                                                                               "identified by ID card")
    assert sorted(e.complaint.number for e in erased) == sorted(c.number for c in person)
    first = Complaint.objects.select_related("customer", "product").get(pk=person[0].pk)
    assert (first.customer.phone, first.customer.email, first.customer.last_name, first.customer.address) == (
        "", "", "", "")
    assert first.product is not None and first.product.imei == ""
    assert "13812345678" not in first.description and "王晓梅" not in first.description
    assert "13812345678" not in first.search_text
    assert not ContactDigest.objects.filter(complaint=first).exists()
    assert all(m.recipient == "" for m in Message.objects.filter(complaint=first, recipient_user__isnull=True))
    for entry in TimelineEntry.objects.filter(complaint=first):
        assert "13812345678" not in json.dumps(entry.data, ensure_ascii=False)
    assert "13812345678" not in first.progress.get().verified
    # statistics still count the complaint; search finds it no more by the phone
    assert Complaint.objects.count() == total and first.category == "product" and first.level
    assert complaint_list(org["agent"], ComplaintFilter(q=PHONE)).count() == 0
    # the audit chain is intact, and holds no contact value of the customer (amendments are sealed)
    assert list(verify_chain()) == []
    for personal in (PHONE, "北京市朝阳区", "王晓梅", "wang@example.com", "490154203237518"):
        leaks = [e.action for e in AuditEvent.objects.all()
                 if personal in json.dumps([e.before, e.after], ensure_ascii=False)]
        assert leaks == [], personal
    assert Erasure.objects.filter(complaint=first, cause="request").exists()
    with pytest.raises(Conflict):
        services.person_erase(actor=org["admin"], number=first.number, reason="again")


def test_a_legal_hold_blocks_the_whole_request(org: Any, person: list[Complaint]) -> None:
    hold = services.hold_place(actor=org["legal"], number=person[1].number, reason="Court case (2026)沪0104民初1号")
    with pytest.raises(Conflict) as refused:
        services.person_erase(actor=org["admin"], contact=PHONE, reason="request")
    assert person[1].number in str(refused.value)
    assert not Erasure.objects.exists()
    assert Complaint.objects.get(pk=person[0].pk).customer.phone == STORED
    with pytest.raises(ValidationFailed):
        services.hold_release(actor=org["legal"], hold_id=hold.pk, reason=" ")
    services.hold_release(actor=org["legal"], hold_id=hold.pk, reason="Judgement final")
    assert len(services.person_erase(actor=org["admin"], contact=PHONE, reason="request")) == 2


def test_the_api_answers_privacy_requests(api: Any, person: list[Complaint]) -> None:
    admin, agent = api("admin"), api("agent")
    assert agent.post("/privacy/search", {"contact": PHONE}).status_code == 403
    found = admin.post("/privacy/search", {"contact": PHONE})
    assert found.status_code == 200 and [r["number"] for r in found.json_body] == [c.number for c in person]
    exported = admin.post("/privacy/export", {"contact": PHONE})
    assert exported.status_code == 200 and exported.json_body["complaints"][0]["customer"]["phone"] == STORED
    workbook = admin.client.post("/api/v1/privacy/export.xlsx", data=json.dumps({"contact": PHONE}),
                                 content_type="application/json", **admin.headers)
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    held = admin.post("/privacy/holds", {"number": person[0].number, "reason": "Regulator inquiry"})
    assert held.status_code == 201
    refused = admin.post("/privacy/erase", {"contact": PHONE, "reason": "request"})
    assert refused.status_code == 409
    missing = admin.post("/privacy/erase", {"contact": PHONE, "reason": ""})
    assert missing.status_code == 422 and [f["field"] for f in missing.json_body["fields"]] == ["reason"]
    released = admin.post(f"/privacy/holds/{held.json_body['id']}/release", {"reason": "Inquiry closed"})
    assert released.status_code == 200 and released.json_body["released_at"]
    done = admin.post("/privacy/erase", {"contact": PHONE, "reason": "request"})
    assert done.status_code == 200 and len(done.json_body["erased"]) == 2
    assert admin.post("/privacy/search", {"contact": PHONE}).json_body == []


def test_erasure_is_all_or_nothing_when_it_fails_midway(org: Any, person: list[Complaint],
                                                       monkeypatch: Any) -> None:
    from complaintdesk.privacy import erasure

    calls = {"n": 0}
    original = erasure.complaint_erase

    def failing(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(services, "complaint_erase", failing)
    with pytest.raises(RuntimeError):
        services.person_erase(actor=org["admin"], contact=PHONE, reason="request")
    assert not Erasure.objects.exists()
    assert Complaint.objects.get(pk=person[0].pk).customer.phone == STORED
