"""Contact data encrypted at rest (AES-256-GCM under the ``data`` key outside the database): the
database holds only ciphertext, the application reads plain text, repeats and searches still match
through the blind index, and the key rotates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from complaintdesk.complaints.models import Complaint, Customer, Product
from complaintdesk.core.crypto import PREFIX, Undecryptable, decrypt, encrypt
from complaintdesk.core.keys import key
from complaintdesk.notify.models import Message

PHONE = "+8613812345678"


@pytest.fixture
def own_keys(settings: Any, tmp_path: Path) -> Path:
    settings.COMPLAINTDESK_KEYS_DIR = tmp_path / "keys"
    return tmp_path / "keys"


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


@given(st.text(max_size=300))
@hsettings(max_examples=200, deadline=None)
def test_every_text_round_trips_and_never_shows_in_the_ciphertext(text: str) -> None:
    sealed = encrypt(text)
    assert decrypt(sealed) == text
    if text:
        assert sealed.startswith(PREFIX) and encrypt(text) != sealed  # a fresh nonce every time
        if len(text) >= 4:  # after the fixed prefix (a text "enc1" is in "enc1:…" whatever the key)
            assert text not in sealed.removeprefix(PREFIX)


def test_a_changed_ciphertext_or_another_key_is_refused() -> None:
    sealed = encrypt(PHONE)
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(Undecryptable):
        decrypt(tampered)
    with pytest.raises(Undecryptable):
        decrypt(sealed, b"\x01" * 32)
    assert decrypt("plain, written before encryption") == "plain, written before encryption"


@pytest.mark.django_db
def test_the_database_holds_only_ciphertext(api: Any, registration: Any) -> None:
    number = api("agent").post("/complaints", registration()).json_body["number"]
    complaint = Complaint.objects.select_related("customer", "product").get(number=number)
    assert complaint.customer.phone == PHONE and complaint.product is not None
    for column, plain in (("phone", "13812345678"), ("email", "emily@example.com"), ("address", "Shanghai")):
        raw = _raw(Customer._meta.db_table, column, complaint.customer.pk)
        assert raw.startswith(PREFIX) and plain not in raw
    assert "490154203237518" not in _raw(Product._meta.db_table, "imei", complaint.product.pk)
    sms = Message.objects.filter(complaint=complaint, recipient_user__isnull=True).first()
    assert sms is not None and sms.recipient and sms.recipient not in _raw(Message._meta.db_table, "recipient", sms.pk)


@pytest.mark.django_db
def test_repeats_and_searches_still_match_by_exact_value(api: Any, registration: Any) -> None:
    agent = api("agent")
    first = agent.post("/complaints", registration()).json_body["number"]
    second = agent.post("/complaints", registration()).json_body
    assert Complaint.objects.get(number=second["number"]).repeats.filter(number=first).exists()
    found = agent.get("/complaints?q=%2B8613812345678").json_body["results"]
    assert {row["number"] for row in found} == {first, second["number"]}


@pytest.mark.django_db
def test_rotating_the_data_key_reencrypts_everything(own_keys: Path, api: Any, registration: Any) -> None:
    from complaintdesk.security.rotation import rotate_data_key

    number = api("agent").post("/complaints", registration()).json_body["number"]
    customer = Complaint.objects.get(number=number).customer
    before = _raw(Customer._meta.db_table, "phone", customer.pk)
    old = key("data")
    assert rotate_data_key() >= 3  # the customer, the product, the acknowledgement
    assert key("data") != old
    after = _raw(Customer._meta.db_table, "phone", customer.pk)
    assert after != before and decrypt(after) == PHONE
    with pytest.raises(Undecryptable):
        decrypt(after, old)
    assert Customer.objects.get(pk=customer.pk).phone == PHONE
