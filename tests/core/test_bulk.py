"""core/bulk.py and core.audit.audit_many: rows written in one statement per table (COPY on
PostgreSQL, executemany on SQLite) read back as the ORM wrote them, and events appended in bulk keep
the audit chain valid between events appended one by one."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from complaintdesk.complaints.models import Customer
from complaintdesk.core.audit import Change, audit, audit_many, verify_chain
from complaintdesk.core.bulk import Table, allocate_ids
from complaintdesk.core.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


def test_rows_written_in_bulk_read_back_as_the_orm_writes_them(org: Any) -> None:
    now = timezone.now()
    with transaction.atomic():
        Customer.objects.create(last_name="Before", phone="+8613900000001", created_at=now)
        ids = allocate_ids(Customer, 3)
        table = Table(Customer)
        table.insert([table.row({"id": pk, "last_name": f"Bulk {pk}", "phone": "+8613912345678", "created_at": now})
                      for pk in ids])
        after = Customer.objects.create(last_name="After", created_at=now)
    assert ids == sorted(ids) and len(set(ids)) == 3 and after.pk > max(ids)
    bulk = Customer.objects.get(pk=ids[1])
    assert bulk.phone == "+8613912345678" and bulk.kind == "individual" and bulk.language == "zh-hans"
    with connection.cursor() as cursor:  # encrypted at rest, as Model.save encrypts
        cursor.execute("SELECT phone FROM complaints_customer WHERE id = %s", [ids[1]])
        assert str(cursor.fetchone()[0]).startswith("enc1:")


def test_events_appended_in_bulk_keep_the_chain(org: Any) -> None:
    with transaction.atomic():
        audit(actor=None, action="test.before", object_type="thing", object_id="0")
        written = audit_many(actor=org["agent"], changes=[
            Change("test.bulk", "thing", str(n), complaint_number=f"N-{n}", after={"n": n, "reason": "free text"})
            for n in range(5)])
        audit(actor=None, action="test.after", object_type="thing", object_id="9")
    assert written == 5
    assert list(AuditEvent.objects.filter(action__startswith="test.").values_list("action", flat=True)) == [
        "test.before", *["test.bulk"] * 5, "test.after"]
    bulk = AuditEvent.objects.filter(action="test.bulk").first()
    assert bulk is not None and str(bulk.after["reason"]).startswith("hmac:")  # sealed as audit() seals
    assert AuditHead.objects.get(pk=1).count == AuditEvent.objects.count()
    assert list(verify_chain()) == []
