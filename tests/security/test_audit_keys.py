"""An audit chain that cannot be rewritten: keyed hashes, a signed checkpoint outside the database,
and admin-site changes audited."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test import Client

from complaintdesk.core.audit import (
    GENESIS,
    audit,
    canonical,
    checkpoint_path,
    event_hash,
    read_checkpoint,
    verify_chain,
    verify_checkpoint,
)
from complaintdesk.core.models import AuditEvent, AuditHead

ROOT = Path(__file__).resolve().parents[2]
TABLE = AuditEvent._meta.db_table


def write(n: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [audit(actor=None, action="test.event", object_type="thing", object_id=str(i),
                      before={"i": i}, after={"i": i + 1}) for i in range(n)]


def _payload(event: AuditEvent, prev: str, after: dict[str, Any]) -> str:
    return canonical({"prev": prev, "at": event.at.isoformat(), "actor": event.actor_id, "action": event.action,
                      "object": f"{event.object_type}:{event.object_id}", "complaint": event.complaint_number,
                      "before": event.before, "after": after})


def _rewrite(recompute: Any, change_id: int) -> None:
    """What an attacker with write access to the database does: change one event, then recompute
    every hash after it and the recorded head."""
    prev = GENESIS
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.order_by("id"):
            after = {"i": 999} if event.pk == change_id else event.after
            digest = recompute(event, prev, after)
            cursor.execute(f"UPDATE {TABLE} SET after = %s, prev_hash = %s, hash = %s WHERE id = %s",
                           [json.dumps(after), prev, digest, event.pk])
            prev = digest
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


@pytest.fixture
def committed(org: Any, django_capture_on_commit_callbacks: Any) -> list[AuditEvent]:
    with django_capture_on_commit_callbacks(execute=True):
        events = write(4)
    return events


def test_hashes_are_keyed_and_the_head_is_checkpointed_outside_the_database(committed: list[AuditEvent]) -> None:
    event = AuditEvent.objects.get(pk=committed[1].pk)
    assert hashlib.sha256(_payload(event, event.prev_hash, event.after).encode()).hexdigest() != event.hash
    saved = read_checkpoint()
    assert saved is not None and saved["count"] == AuditEvent.objects.count()
    assert saved["hash"] == AuditHead.objects.get(pk=1).last_hash
    assert checkpoint_path().stat().st_mode & 0o777 == 0o600
    assert list(verify_chain()) == [] and list(verify_checkpoint()) == []


def test_an_edit_with_a_recomputed_plain_chain_fails(committed: list[AuditEvent]) -> None:
    _rewrite(lambda event, prev, after: hashlib.sha256(_payload(event, prev, after).encode()).hexdigest(),
             committed[1].pk)
    assert list(verify_chain())  # without the key no recomputed hash is valid
    assert list(verify_checkpoint())


def test_an_edit_recomputed_even_with_the_key_fails_against_the_checkpoint(committed: list[AuditEvent]) -> None:
    def with_key(event: AuditEvent, prev: str, after: dict[str, Any]) -> str:
        return event_hash(prev, at=event.at, actor_id=event.actor_id, action=event.action,
                          object_type=event.object_type, object_id=event.object_id,
                          complaint_number=event.complaint_number, before=event.before, after=after)

    _rewrite(with_key, committed[1].pk)
    assert list(verify_chain()) == []  # internally consistent…
    problems = [p.message for p in verify_checkpoint()]
    assert any("rewritten" in m for m in problems), problems  # …but not the chain the checkpoint saw


def test_events_cut_from_the_end_fail_against_the_checkpoint(committed: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [committed[-1].pk])
    AuditHead.objects.filter(pk=1).update(last_hash=committed[-2].hash, count=F("count") - 1)
    assert list(verify_chain()) == []
    assert any("removed" in p.message for p in verify_checkpoint())


def test_a_forged_or_missing_checkpoint_is_reported(committed: list[AuditEvent]) -> None:
    path = checkpoint_path()
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "count": 1}))
    assert any("not signed" in p.message for p in verify_checkpoint())
    path.unlink()
    assert any("no checkpoint" in p.message for p in verify_checkpoint())


def test_a_rolled_back_change_does_not_move_the_checkpoint(committed: list[AuditEvent],
                                                          django_capture_on_commit_callbacks: Any) -> None:
    before = read_checkpoint()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        audit(actor=None, action="test.event", object_type="thing", object_id="x")
        raise RuntimeError("rolled back")
    assert read_checkpoint() == before and list(verify_checkpoint()) == []


@pytest.mark.django_db(transaction=True)
def test_cli_audit_verify_fails_after_a_rewrite(org_tx: Any, child_env: dict[str, str]) -> None:
    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "complaintdesk", "audit", "verify"], capture_output=True,
                              text=True, env={**child_env, "PYTHONPATH": str(ROOT / "src")}, timeout=120, check=False)

    events = write(3)
    ok = run()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    _rewrite(lambda event, prev, after: hashlib.sha256(_payload(event, prev, after).encode()).hexdigest(),
             events[0].pk)
    broken = run()
    assert broken.returncode == 1 and "problem" in broken.stdout
    assert os.environ["COMPLAINTDESK_AUDIT_CHECKPOINT"] == str(checkpoint_path())


def test_the_migration_rehashes_an_intact_plain_chain(org: Any) -> None:
    import importlib

    from django.apps import apps

    write(3)
    prev = GENESIS
    with connection.cursor() as cursor:  # the chain as the previous release wrote it
        for event in AuditEvent.objects.order_by("id"):
            digest = hashlib.sha256(_payload(event, prev, event.after).encode()).hexdigest()
            cursor.execute(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s",
                           [prev, digest, event.pk])
            prev = digest
    AuditHead.objects.filter(pk=1).update(last_hash=prev)
    assert list(verify_chain())
    migration = importlib.import_module("complaintdesk.security.migrations.0002_audit_keyed_hashes")
    migration.rehash(apps, None)
    assert list(verify_chain()) == []


def test_admin_changes_are_audited(org: Any) -> None:
    from complaintdesk.accounts.models import User
    from orgkit import PASSWORD

    client = Client()
    assert client.login(username="admin", password=PASSWORD)
    response = client.post("/admin/auth/group/add/", {"name": "night_shift"})
    assert response.status_code == 302, response.content[:500]
    assert AuditEvent.objects.filter(action="admin.group.add", actor=org["admin"]).count() == 1
    agent = User.objects.get(username="agent")
    response = client.post(f"/admin/accounts/user/{agent.pk}/change/", {
        "username": "agent", "first_name": "A", "last_name": "Gent", "email": "", "is_active": "",
        "groups": [], "language": "en", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "staff_number": "", "phone": "", "department": "",
        # the user's unit memberships (an inline on the user's page): none
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="admin.user.change")
    assert "Active" in event.after["fields"] and event.after["state"]["is_active"] is False
    assert "password" not in event.after["state"]
    token_id = AuditEvent.objects.filter(action="token.create").values_list("object_id", flat=True).first()
    if token_id is None:
        from complaintdesk.accounts.services import token_create

        token_id = str(token_create(actor=None, username="specialist")[0].pk)
    client.post(f"/admin/accounts/apitoken/{token_id}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(action="admin.apitoken.delete", object_id=token_id).count() == 1
    assert list(verify_chain()) == []
