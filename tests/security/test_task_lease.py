"""A task left RUNNING by a worker that died is taken up again after the lease."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.notify.models import Message
from complaintdesk.task_lease import reclaim_abandoned


def _claimed_by_a_dead_worker(started: timedelta) -> DBTaskResult:
    task = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    task.claim("worker-that-was-killed")  # exactly what django-tasks-db's worker does first
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - started)
    return task


def test_an_abandoned_task_runs_again_after_the_lease(org_tx: Any, registration: Any, run_worker_process: Any,
                                                     monkeypatch: Any) -> None:
    complaint = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()).to_input())
    task = _claimed_by_a_dead_worker(timedelta(minutes=10))
    monkeypatch.setenv("COMPLAINTDESK_TASK_LEASE_SECONDS", "60")
    result = run_worker_process()
    assert result.returncode == 0, result.stderr
    assert "took back 1 task(s)" in result.stderr
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.worker_ids[0] == "worker-that-was-killed"
    message = Message.objects.get(complaint=complaint)
    assert message.status == "sent"


def test_a_task_within_its_lease_is_left_to_its_worker(org_tx: Any, registration: Any) -> None:
    complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()).to_input())
    task = _claimed_by_a_dead_worker(timedelta(seconds=5))
    assert reclaim_abandoned(lease=60) == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert reclaim_abandoned(lease=1) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY and task.started_at is None


def test_a_heartbeat_keeps_a_slow_workers_task(org_tx: Any, registration: Any) -> None:
    from complaintdesk.core.models import TaskHeartbeat
    from complaintdesk.task_lease import renew

    complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()))
    task = _claimed_by_a_dead_worker(timedelta(minutes=10))  # started long ago …
    assert renew("worker-that-was-killed") == 1  # … but its worker is alive and beats
    assert reclaim_abandoned(lease=60) == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    # the beats stop (the worker died): once the last one is older than the lease, it is taken back
    TaskHeartbeat.objects.update(renewed_at=timezone.now() - timedelta(seconds=61))
    assert reclaim_abandoned(lease=60) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY and not TaskHeartbeat.objects.exists()


def test_the_heartbeat_thread_renews_while_the_block_runs(org_tx: Any, registration: Any) -> None:
    import time

    from complaintdesk.core.models import TaskHeartbeat
    from complaintdesk.task_lease import Heartbeat

    complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()))
    task = _claimed_by_a_dead_worker(timedelta(minutes=10))
    with Heartbeat("worker-that-was-killed", interval=0.05):
        waited = time.monotonic() + 10
        while not TaskHeartbeat.objects.filter(task_id=task.pk).exists() and time.monotonic() < waited:
            time.sleep(0.05)
        assert reclaim_abandoned(lease=1) == 0  # a slow task of a live worker is not taken over
    assert not TaskHeartbeat.objects.exists()  # the block ended: the worker's beats are gone
    assert reclaim_abandoned(lease=1) == 1
