"""Several ``complaintdesk worker`` processes on one PostgreSQL database: every due clock fires
exactly once, and a worker killed in the middle of a sweep loses nothing and doubles nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from workkit import register

from complaintdesk.clocks.models import Clock, ClockFiring
from complaintdesk.notify.models import Message

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers share clocks through PostgreSQL row locks (SELECT … FOR UPDATE SKIP "
                    "LOCKED); SQLite runs one writer at a time. Run with DATABASE_URL=postgres://…")


def due_complaints(org: Any, count: int) -> list[Any]:
    """``count`` complaints registered three days ago: each has one first_reply clock (24 h) whose
    warning and breach are both due."""
    from django_tasks_db.models import DBTaskResult

    when = timezone.now() - timedelta(days=3)
    complaints = [register(org["agent"], when=when, customer={
        "first_name": "Ann", "last_name": f"Worker{i}", "phone": f"139{i:08d}", "language": "en"})
        for i in range(count)]
    DBTaskResult.objects.all().delete()  # message delivery is not what these tests watch
    assert Clock.objects.filter(next_fire_at__lte=timezone.now()).count() == count
    return complaints


def worker(child_env: dict[str, str], **extra_env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "complaintdesk", "worker", "--once"], cwd=ROOT,
                            env={**child_env, **extra_env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def assert_each_fired_once(org: Any, count: int) -> None:
    rows = list(ClockFiring.objects.values_list("clock_id", "kind"))
    assert len(rows) == len(set(rows)) == 2 * count  # a warning and a breach for each clock
    assert not Clock.objects.filter(next_fire_at__lte=timezone.now()).exists()
    # one notice per recipient per firing: warning → owner; breach → owner and the level's supervisor
    warnings = Message.objects.filter(kind="clock_warning", channel="internal")
    breaches = Message.objects.filter(kind="clock_breach", channel="internal")
    # (recipients are encrypted at rest: staff notices are matched by their user)
    assert warnings.count() == count and set(warnings.values_list("recipient_user__username", flat=True)) == {"agent"}
    assert breaches.filter(recipient_user__username="agent").count() == count
    assert breaches.filter(recipient_user__username="supervisor").count() == count
    assert breaches.values("complaint_id", "recipient_user_id").distinct().count() == 2 * count


def test_four_workers_at_once_fire_every_clock_exactly_once(org_tx: Any, child_env: dict[str, str]) -> None:
    count = 40
    due_complaints(org_tx, count)
    # small batches, so that the four workers really share the backlog
    processes = [worker(child_env, COMPLAINTDESK_SWEEP_BATCH="3") for _ in range(4)]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert_each_fired_once(org_tx, count)
    assert ClockFiring.objects.values("worker").distinct().count() >= 1


def _params() -> dict[str, Any]:
    settings = connection.settings_dict
    params = {"dbname": settings["NAME"], "user": settings.get("USER") or "postgres",
              "host": settings.get("HOST") or "127.0.0.1", "port": settings.get("PORT") or 5432}
    if settings.get("PASSWORD"):
        params["password"] = settings["PASSWORD"]
    return params


def _waiting_on_notices(watcher: Any) -> int:
    """How many sessions wait to insert notices (inside their sweep transaction)."""
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
        "AND query LIKE 'INSERT INTO \"notify_message\"%%'", [connection.settings_dict["NAME"]]).fetchone()
    return int(row[0]) if row else 0


def test_two_workers_sweeping_at_the_same_moment_never_fire_a_clock_twice(
        org_tx: Any, child_env: dict[str, str]) -> None:
    """Two real ``complaintdesk worker`` processes are held inside their sweep transactions at the
    same time (each has taken a batch of due clocks and waits to write its notices on a table lock
    held here), so they really sweep at once; then both go on. Each took other clocks (SKIP
    LOCKED), both fired, and every clock fired exactly once."""
    import psycopg

    count = 8
    due_complaints(org_tx, count)
    params = _params()
    with psycopg.connect(**params) as locker, psycopg.connect(**params, autocommit=True) as watcher:
        locker.execute('LOCK TABLE "notify_message" IN EXCLUSIVE MODE')
        first, second = (worker(child_env, COMPLAINTDESK_SWEEP_BATCH="3") for _ in range(2))
        deadline = time.monotonic() + 90
        while _waiting_on_notices(watcher) < 2:
            for process in (first, second):
                assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the two workers never swept at the same time"
            time.sleep(0.1)
        # both hold a batch of locked clocks now: they cannot be the same clocks
        held = watcher.execute("SELECT count(DISTINCT pid) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                               "WHERE c.relname = 'clocks_clock' AND l.mode = 'RowShareLock' AND l.granted").fetchone()
        assert held is not None and held[0] >= 2
        locker.rollback()  # lets both go on
    for process in (first, second):
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert_each_fired_once(org_tx, count)
    assert ClockFiring.objects.values("worker").distinct().count() == 2  # both workers fired clocks


def test_a_worker_killed_in_the_middle_of_a_sweep_loses_nothing(org_tx: Any, child_env: dict[str, str]) -> None:
    """The worker is stopped inside its sweep transaction (its first notice waits on a table lock
    held here), killed with SIGKILL, and a fresh worker then fires every clock exactly once."""
    import psycopg

    count = 6
    due_complaints(org_tx, count)
    settings = connection.settings_dict
    params = {"dbname": settings["NAME"], "user": settings.get("USER") or "postgres",
              "host": settings.get("HOST") or "127.0.0.1", "port": settings.get("PORT") or 5432}
    if settings.get("PASSWORD"):
        params["password"] = settings["PASSWORD"]
    with psycopg.connect(**params) as locker, psycopg.connect(**params, autocommit=True) as watcher:
        locker.execute('LOCK TABLE "notify_message" IN EXCLUSIVE MODE')
        victim = worker(child_env)
        deadline = time.monotonic() + 90
        while True:
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
                "AND query LIKE 'INSERT INTO \"notify_message\"%%'", [settings["NAME"]]).fetchone()
            if row and row[0]:
                break
            assert victim.poll() is None, victim.communicate()[1]
            assert time.monotonic() < deadline, "the worker never reached its first notice"
            time.sleep(0.1)
        # the victim has recorded a firing and is sending its first notice, inside its transaction
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        assert victim.returncode == -signal.SIGKILL
        locker.rollback()
    assert ClockFiring.objects.count() == 0
    assert Message.objects.filter(kind__startswith="clock_").count() == 0
    assert Clock.objects.filter(next_fire_at__lte=timezone.now(), warned_at__isnull=True).count() == count
    survivor = worker(child_env)
    _out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err
    assert_each_fired_once(org_tx, count)
    again = worker(child_env)
    again.communicate(timeout=120)
    assert_each_fired_once(org_tx, count)
