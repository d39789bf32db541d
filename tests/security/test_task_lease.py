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
