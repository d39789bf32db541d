"""Masked contact data cannot be recovered through search, the timeline or the address."""

from __future__ import annotations

import stat
from typing import Any

import pytest
from django.utils import timezone

from complaintdesk.complaints import contact_index
from complaintdesk.complaints.models import Complaint, ContactDigest
from complaintdesk.complaints.services.common import timeline_add
from complaintdesk.core.keys import key_file
from complaintdesk.core.models import AuditEvent
from complaintdesk.policy.rules import normalise_text

TARGET_PHONE = "+60123458012"
TARGET_EMAIL = "wei.zhang@example.com"
TARGET_IMEI = "356938035643809"


def _register(api: Any, registration: Any, **customer: str) -> str:
    body = registration(customer={"first_name": "Wei", "last_name": "Zhang", "language": "en", **customer})
    response = api("agent").post("/complaints", body)
    assert response.status_code == 201, response.json_body
    return str(response.json_body["number"])


@pytest.fixture
def three(api: Any, registration: Any) -> dict[str, str]:
    """The target and two neighbours whose numbers share a prefix with it."""
    target = api("agent").post("/complaints", registration(
        customer={"first_name": "Wei", "last_name": "Zhang", "language": "en", "phone": TARGET_PHONE,
                  "email": TARGET_EMAIL, "address": "Jalan Ampang 88, Kuala Lumpur"},
        product={"model": "Reno 8 Pro", "imei": TARGET_IMEI})).json_body["number"]
    other = _register(api, registration, phone="+60198765432", email="li.na@example.com")
    third = _register(api, registration, phone="13812345678", email="emily@example.com")
    return {"target": target, "other": other, "third": third}


def _search(client: Any, term: str) -> list[str]:
    from urllib.parse import quote

    response = client.get(f"/complaints?q={quote(term)}&page_size=100")
    assert response.status_code == 200, response.json_body
    return [row["number"] for row in response.json_body["results"]]


def test_digit_by_digit_search_never_narrows_to_the_complaint(api: Any, three: dict[str, str]) -> None:
    """The attack from the issue: a role that sees +601****8012 adds one digit at a time."""
    vp = api("vp")  # sees every complaint, contact data masked, may not reveal
    masked = vp.get(f"/complaints/{three['target']}").json_body["customer_detail"]["phone"]
    assert masked != TARGET_PHONE and "****" in masked
    known = masked.split("*")[0]
    text = Complaint.objects.get(number=three["target"]).search_text
    for length in range(1, len(TARGET_PHONE)):
        for guess in {TARGET_PHONE[:length], TARGET_PHONE[:length].lstrip("+"), TARGET_PHONE[-length:]}:
            if not guess.strip("+"):
                continue
            found = _search(vp, guess)
            # a few digits may match the free text ("after 60 s", the number "…-0001"), never the phone
            assert three["target"] not in found or normalise_text(guess) in text, guess
            assert found != [three["target"]], guess
    assert three["target"] not in _search(vp, known)
    # the exact number finds it, written as a person would type it
    assert _search(vp, TARGET_PHONE) == [three["target"]]
    assert _search(vp, "+60 12-345 8012") == [three["target"]]


def test_email_and_imei_only_by_exact_value(api: Any, three: dict[str, str]) -> None:
    vp = api("vp")
    for part in ("wei.zhang", "example.com", "zhang@", TARGET_EMAIL[:-1], TARGET_IMEI[:14], TARGET_IMEI[3:]):
        assert three["target"] not in _search(vp, part), part
    assert _search(vp, TARGET_EMAIL.upper()) == [three["target"]]
    assert _search(vp, TARGET_IMEI) == [three["target"]]
    assert _search(vp, "35-693803-564380-9") == [three["target"]]
    # a Chinese number without +86 is normalised like at registration
    assert _search(vp, "138 1234 5678") == [three["third"]]


def test_free_text_still_matches_substrings(api: Any, three: dict[str, str]) -> None:
    vp = api("vp")
    assert set(_search(vp, "zhang")) == {three["target"], three["other"], three["third"]}
    assert three["target"] in _search(vp, "calls drop after")
    assert _search(vp, three["other"][-6:]) == [three["other"]]  # the complaint number stays substring


def test_search_text_holds_no_contact_value(api: Any, three: dict[str, str]) -> None:
    complaint = Complaint.objects.get(number=three["target"])
    for value in (TARGET_PHONE, TARGET_PHONE[1:], TARGET_EMAIL, TARGET_IMEI, "8012"):
        assert value not in complaint.search_text
    digests = set(ContactDigest.objects.filter(complaint=complaint).values_list("digest", flat=True))
    assert contact_index.digest("phone", TARGET_PHONE) in digests
    assert contact_index.digest("email", TARGET_EMAIL) in digests
    assert contact_index.digest("imei", TARGET_IMEI) in digests
    # the digest is keyed: a plain hash of the value is not what the database holds
    import hashlib

    assert hashlib.sha256(f"phone\x1f{TARGET_PHONE}".encode()).hexdigest() not in digests


def test_amending_the_phone_moves_the_index(api: Any, three: dict[str, str]) -> None:
    agent = api("agent")
    number = three["target"]
    version = agent.get(f"/complaints/{number}").json_body["version"]
    response = agent.patch(f"/complaints/{number}", {"customer": {"first_name": "Wei", "last_name": "Zhang",
                                                                          "language": "en", "phone": "+60198765000"}},
                           HTTP_IF_MATCH=str(version))
    assert response.status_code == 200, response.json_body
    assert number not in _search(agent, TARGET_PHONE)
    assert _search(agent, "+60198765000") == [number]
    assert "60198765000" not in Complaint.objects.get(number=number).search_text


def test_timeline_recipient_and_address_are_masked_until_revealed(api: Any, three: dict[str, str]) -> None:
    complaint = Complaint.objects.get(number=three["target"])
    from django.db import transaction

    with transaction.atomic():
        timeline_add(complaint, "message_sent", None, at=timezone.now(), recipient=TARGET_PHONE,
                     message_kind="acknowledgement", channel="sms", transport="console")
    for role in ("vp", "agent", "qc_manager"):
        body = api(role).get(f"/complaints/{three['target']}").json_body
        sent = [e for e in body["timeline"] if e["kind"] == "message_sent"]
        assert sent and sent[0]["data"]["recipient"] != TARGET_PHONE
        assert TARGET_PHONE not in str(body) and TARGET_PHONE[1:] not in str(body)
        assert "Jalan Ampang 88" not in str(body)
        assert body["customer_detail"]["address"].endswith("****")
    before = AuditEvent.objects.filter(action="customer.reveal").count()
    revealed = api("agent").get(f"/complaints/{three['target']}?reveal=true").json_body
    sent = [e for e in revealed["timeline"] if e["kind"] == "message_sent"]
    assert sent[0]["data"]["recipient"] == TARGET_PHONE
    assert revealed["customer_detail"]["address"] == "Jalan Ampang 88, Kuala Lumpur"
    assert AuditEvent.objects.filter(action="customer.reveal").count() == before + 1
    # a role that may not reveal asks in vain and nothing is recorded as revealed
    vp_body = api("vp").get(f"/complaints/{three['target']}?reveal=true").json_body
    assert TARGET_PHONE not in str(vp_body)
    assert AuditEvent.objects.filter(action="customer.reveal").count() == before + 1


def test_the_search_key_lives_outside_the_database_owner_only(org: Any) -> None:
    path = key_file("search")
    contact_index.digest("phone", TARGET_PHONE)  # creates the key on first use
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_migration_moves_existing_contacts_out_of_the_search_text(api: Any, three: dict[str, str]) -> None:
    import importlib

    from django.apps import apps

    complaint = Complaint.objects.get(number=three["target"])
    Complaint.objects.filter(pk=complaint.pk).update(search_text=f"{complaint.search_text} {TARGET_PHONE} "
                                                                 f"{TARGET_EMAIL} {TARGET_IMEI}")
    ContactDigest.objects.filter(complaint=complaint).delete()
    migration = importlib.import_module("complaintdesk.complaints.migrations.0005_contact_digests")
    migration.move_contacts_to_the_index(apps, None)
    complaint.refresh_from_db()
    assert TARGET_PHONE not in complaint.search_text and TARGET_IMEI not in complaint.search_text
    assert TARGET_EMAIL not in complaint.search_text
    assert _search(api("vp"), TARGET_PHONE) == [three["target"]]
