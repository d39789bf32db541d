"""The bulk writer of the import (integrations/import_write.py): an imported row is the complaint the
registration service writes for the same data — column by column, customer, product, facts, the
blind index — and the audit chain it extends in bulk stays valid; numbers run on from registration."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.forms.models import model_to_dict

from complaintdesk.complaints.models import Complaint, ContactDigest
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.audit import verify_chain, verify_checkpoint
from complaintdesk.core.models import AuditEvent
from complaintdesk.integrations.importer import column_paths, complaints_import, row_data
from registerkit import HEADINGS, good_row, write_xlsx

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
# what differs by nature: the keys, the number, and what only registration does (the promised reply
# clock sets reply_due_at; an imported complaint is history, registered when it was received:
# docs/decisions/0011)
OWN = {"id", "number", "customer", "product", "search_text", "reply_due_at", "reply_due_provisional", "repeats",
       "registered_at"}


def _columns(complaint: Complaint) -> dict[str, Any]:
    return {k: v for k, v in model_to_dict(complaint).items() if k not in OWN}


def _row(index: int, **changes: Any) -> list[Any]:
    row = good_row(index)
    for heading, value in changes.items():
        row[HEADINGS.index(heading)] = value
    return row


@pytest.mark.parametrize("row", [
    _row(1),
    # a Chinese row with a fact-bound IMEI, an urgent word that raises the level, a missing fact
    _row(2, **{"Last name": "王芳", "Language": "zh-hans", "Reason": "手机爆炸 起火", "IMEI": "",
               "facts.troubleshooting": "", "E-mail": ""}),
])
def test_an_imported_row_is_the_complaint_registration_writes(org: Any, tmp_path: Path, row: list[Any],
                                                               django_capture_on_commit_callbacks: Any) -> None:
    data = row_data(column_paths(HEADINGS, {}), row)
    registered = complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(), now=NOW)
    source = tmp_path / "one.xlsx"
    write_xlsx(source, HEADINGS, [row])
    with django_capture_on_commit_callbacks(execute=True):
        result = complaints_import(actor=org["agent"], path=source, now=NOW)
    assert (result.imported, result.refused) == (1, [])
    imported = Complaint.objects.get(number=result.numbers[0])
    registered.refresh_from_db()
    assert _columns(imported) == _columns(registered)
    assert registered.registered_at == NOW and imported.registered_at == imported.received_at < NOW
    assert (imported.search_text.replace(imported.number.lower(), "")
            == registered.search_text.replace(registered.number.lower(), ""))
    skip = {"id", "created_at", "customer"}
    assert ({k: v for k, v in model_to_dict(imported.customer).items() if k not in skip}
            == {k: v for k, v in model_to_dict(registered.customer).items() if k not in skip})
    assert (model_to_dict(imported.product, exclude=["id", "customer"]) if imported.product else None) == (
        model_to_dict(registered.product, exclude=["id", "customer"]) if registered.product else None)
    digests = {c.pk: set(ContactDigest.objects.filter(complaint=c).values_list("digest", flat=True))
               for c in (imported, registered)}
    assert digests[imported.pk] == digests[registered.pk] and digests[imported.pk]
    # contact data is encrypted at rest by the bulk path as by Model.save
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM complaints_customer WHERE id = %s", [imported.customer_id])
        assert str(cursor.fetchone()[0]).startswith("enc1:")
    event = AuditEvent.objects.get(action="complaint.register", complaint_number=imported.number)
    assert event.after["door"] == "import" and event.after["level"] == registered.level
    assert event.after["customer"] == imported.customer_id and event.object_id == str(imported.pk)
    assert list(verify_chain()) == [] and list(verify_checkpoint()) == []


def test_a_bulk_import_keeps_the_chain_and_the_numbers_running(org: Any, tmp_path: Path,
                                                               django_capture_on_commit_callbacks: Any) -> None:
    source = tmp_path / "many.xlsx"
    write_xlsx(source, HEADINGS, [good_row(index) for index in range(25)])
    with django_capture_on_commit_callbacks(execute=True):
        result = complaints_import(actor=org["agent"], path=source, now=NOW, batch=10)
        later = complaint_register(actor=org["agent"], data=ComplaintIn(**row_data(
            column_paths(HEADINGS, {}), good_row(99))).to_input(), now=NOW)
    assert result.imported == 25
    sequence = [int(number.rsplit("-", 1)[1]) for number in [*result.numbers, later.number]]
    assert sequence == list(range(sequence[0], sequence[0] + 26))  # one counter, no gap, no repeat
    assert AuditEvent.objects.filter(action="complaint.register").count() == 26
    assert AuditEvent.objects.filter(action="complaint.import").count() == 3  # one per batch
    assert list(verify_chain()) == [] and list(verify_checkpoint()) == []
    # the events of a batch follow each other in the chain in the order of the rows
    numbers = list(AuditEvent.objects.filter(action="complaint.register").order_by("id")
                   .values_list("complaint_number", flat=True))
    assert numbers == [*result.numbers, later.number]
