"""The round trips of the writes every registration makes (issue 14): the number counter, the audit
chain's head, the policy in force — few, and still correct."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from complaintdesk.core import policies
from complaintdesk.core.audit import CHECKPOINT_SIZE, audit, checkpoint_path, read_checkpoint, verify_chain
from complaintdesk.core.models import AuditHead, Sequence
from complaintdesk.core.sequences import next_value, reserve_values

pytestmark = pytest.mark.django_db


def test_a_counter_advances_in_one_statement_and_is_created_on_first_use(org: Any) -> None:
    with transaction.atomic():
        assert next_value("TEST:1") == 1
        with CaptureQueriesContext(connection) as captured:
            assert next_value("TEST:1") == 2
        assert len(captured.captured_queries) == 1
        assert "RETURNING" in captured.captured_queries[0]["sql"].upper()
        assert reserve_values("TEST:1", 5) == 3
        assert next_value("TEST:1") == 8
    assert Sequence.objects.get(key="TEST:1").value == 8


def test_an_event_takes_the_head_in_one_statement_and_appends_in_one_more_on_postgresql(org: Any) -> None:
    with transaction.atomic():
        audit(actor=None, action="test.first", object_type="thing", object_id="0")
        with CaptureQueriesContext(connection) as captured:
            event = audit(actor=None, action="test.second", object_type="thing", object_id="1", after={"x": "中文"})
    expected = 2 if connection.vendor == "postgresql" else 3
    assert len(captured.captured_queries) == expected
    head = AuditHead.objects.get(pk=1)
    assert event.pk is not None and head.last_hash == event.hash
    assert head.count == event.__class__.objects.count()
    assert list(verify_chain()) == []


def test_the_checkpoint_is_one_sector_overwritten_in_place(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    path = Path(checkpoint_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x" * 2000)  # an older, longer file (or garbage) is replaced by one record
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit(actor=None, action="test.event", object_type="thing", object_id="x")
    assert path.stat().st_size == CHECKPOINT_SIZE
    inode = path.stat().st_ino
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit(actor=None, action="test.event", object_type="thing", object_id="y")
    saved = read_checkpoint()
    head = AuditHead.objects.get(pk=1)
    assert saved is not None and (saved["count"], saved["hash"]) == (head.count, head.last_hash)
    assert path.stat().st_ino == inode and path.stat().st_mode & 0o777 == 0o600


def test_the_policy_in_force_is_parsed_once_and_its_text_not_read_again(org: Any, monkeypatch: Any) -> None:
    parsed: list[int] = []
    original = policies._parse

    def counting(pk: int, sha256: str, text: str) -> Any:
        parsed.append(pk)
        return original(pk, sha256, text)

    monkeypatch.setattr(policies, "_parse", counting)
    policies._PARSED.clear()
    first = policies.active_policy()[1]
    with CaptureQueriesContext(connection) as captured:
        version, again = policies.active_policy()
    assert again is first and parsed == [version.pk]
    assert len(captured.captured_queries) == 1 and '"text"' not in captured.captured_queries[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_writer_that_waited_for_the_lock_records_the_head_as_it_is_then(org_tx: Any, monkeypatch: Any) -> None:
    """Group commit: while another process holds the checkpoint's lock, a later commit waits; once it
    has the lock it records the newest head, which covers every commit made meanwhile."""
    import fcntl
    import os
    import threading
    import time

    from complaintdesk.core import audit as audit_module

    with transaction.atomic():
        audit(actor=None, action="test.event", object_type="thing", object_id="0")
    first = read_checkpoint()
    # the next commits write no checkpoint of their own here: the waiting writer below stands for theirs
    monkeypatch.setattr(audit_module, "_checkpoint_on_commit", lambda: None)
    with transaction.atomic():
        audit(actor=None, action="test.event", object_type="thing", object_id="1")
    path = Path(checkpoint_path())
    holder = os.open(path, os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another process writing
    done = threading.Event()

    def writer() -> None:
        from django.db import connections

        try:
            audit_module.write_checkpoint()  # read the head (event 1), then wait for the lock
        finally:
            done.set()
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    assert not done.is_set()
    with transaction.atomic():  # committed while the writer waits
        audit(actor=None, action="test.event", object_type="thing", object_id="2")
    os.close(holder)
    thread.join(timeout=10)
    head = AuditHead.objects.get(pk=1)
    saved = read_checkpoint()
    assert first is not None and saved is not None and saved["count"] > first["count"] + 1
    assert (saved["count"], saved["hash"]) == (head.count, head.last_hash)
