"""Rotating the search and audit keys: everything computed with the old key is recomputed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from complaintdesk.core.audit import verify_chain, verify_checkpoint, write_checkpoint
from complaintdesk.core.keys import key, key_file


@pytest.fixture
def own_keys(settings: Any, tmp_path: Path) -> Path:
    """Keys of this test only (the shared ones stay as they are for the other tests)."""
    settings.COMPLAINTDESK_KEYS_DIR = tmp_path / "keys"
    return tmp_path / "keys"


def test_rotating_the_search_key_reindexes_every_complaint(own_keys: Path, api: Any, registration: Any) -> None:
    from complaintdesk.security.rotation import rotate_search_key

    agent = api("agent")
    number = agent.post("/complaints", registration()).json_body["number"]
    old = key("search")
    assert rotate_search_key() == 1
    assert key("search") != old and key_file("search").read_bytes() != old.hex().encode()
    assert not key_file("search").with_name("search.key.previous").exists()
    found = agent.get("/complaints?q=%2B8613812345678").json_body["results"]
    assert [row["number"] for row in found] == [number]


def test_rotating_the_audit_key_rehashes_and_signs_a_new_checkpoint(own_keys: Path, org: Any) -> None:
    from complaintdesk.security.rotation import rotate_audit_key

    write_checkpoint()  # the fixture's events, as a commit would have recorded them
    assert list(verify_chain()) == [] and list(verify_checkpoint()) == []
    old = key("audit")
    count = rotate_audit_key()
    assert count > 0 and key("audit") != old
    assert list(verify_chain()) == [] and list(verify_checkpoint()) == []


def test_a_broken_chain_is_not_rotated(own_keys: Path, org: Any) -> None:
    from django.db import connection

    from complaintdesk.core.models import AuditEvent
    from complaintdesk.security.rotation import RotationRefused, rotate_audit_key

    write_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET action = %s WHERE id = %s",
                       ["tampered", AuditEvent.objects.order_by("id").first().pk])  # type: ignore[union-attr]
    old = key("audit")
    with pytest.raises(RotationRefused):
        rotate_audit_key()
    assert key("audit") == old
