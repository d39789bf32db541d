"""The append-only, hash-chained audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from complaintdesk.core.audit import audit, verify_chain
from complaintdesk.core.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def write(n: int, actor: Any = None) -> list[AuditEvent]:
    with transaction.atomic():
        return [audit(actor=actor, action="test.event", object_type="thing", object_id=str(i),
                      before={"i": i}, after={"i": i + 1, "text": "中文"}) for i in range(n)]


def test_each_event_carries_the_previous_hash(org: Any) -> None:
    events = write(3)
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert list(verify_chain()) == []


def test_events_cannot_be_changed_or_deleted_through_the_model(org: Any) -> None:
    event = write(1)[0]
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_a_changed_event_breaks_the_chain(org: Any) -> None:
    events = write(3)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET after = %s WHERE id = %s",
                       ['{"i": 99}', events[1].pk])
    problems = list(verify_chain())
    assert [p.event_id for p in problems] == [events[1].pk]


def test_a_removed_event_breaks_the_chain(org: Any) -> None:
    events = write(3)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[1].pk])
    assert any(p.event_id == events[2].pk for p in verify_chain())


def test_a_truncated_end_is_detected(org: Any) -> None:
    events = write(3)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[2].pk])
    assert list(verify_chain())


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        audit(actor=None, action="x", object_type="y", object_id="1")


def test_each_hash_is_unique_and_has_one_index(org: Any) -> None:
    """Two events can never carry one hash (a copied event would pass for the original); the
    uniqueness is one index — no LIKE copy of it on PostgreSQL, which no query used and every event
    wrote (migration core 0005)."""
    from django.db import IntegrityError

    audit(actor=None, action="test.one", object_type="test", object_id="1")
    event = AuditEvent.objects.get(action="test.one")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(at=event.at, action="test.copy", object_type="test", object_id="2",
                                  prev_hash=event.hash, hash=event.hash)
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    on_hash = [name for name, info in indexes.items() if info["columns"] == ["hash"]]
    assert on_hash == ["audit_event_hash_unique"]
