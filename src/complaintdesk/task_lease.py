"""Tasks that survive a crashed worker: a lease on RUNNING, renewed by a heartbeat.

django-tasks-db marks a task RUNNING when a worker claims it and FINISHED or FAILED when it ends. A
worker killed in between (SIGKILL, power loss, OOM) leaves the task RUNNING for ever: its message is
never sent. Every worker therefore takes back, before it looks for work, the tasks that have been
RUNNING for longer than the lease (``COMPLAINTDESK_TASK_LEASE_SECONDS``, default 300 s) and makes
them READY again, so they run once more.

A worker that is alive but slow keeps its tasks: while it runs tasks, a heartbeat thread renews the
lease of each task it holds every third of the lease (``core.TaskHeartbeat``), and a task whose
heartbeat is younger than the lease is never taken back, however long ago it started. So only a
worker that stopped beating — a dead one — loses its tasks. Message delivery adds its own guard
against a double send (notify.services.message_deliver: the attempt id, "in flight", "uncertain").
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta
from types import TracebackType

from django.db import close_old_connections, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from complaintdesk.core.models import TaskHeartbeat

logger = logging.getLogger("complaintdesk.worker")


def lease_seconds() -> float:
    return float(os.environ.get("COMPLAINTDESK_TASK_LEASE_SECONDS", "300"))


def reclaim_abandoned(lease: float | None = None, limit: int = 500) -> int:
    """Make tasks RUNNING for longer than the lease, without a heartbeat within it, READY again;
    return how many."""
    cutoff = timezone.now() - timedelta(seconds=lease_seconds() if lease is None else lease)
    alive = TaskHeartbeat.objects.filter(task_id=OuterRef("id"), renewed_at__gte=cutoff)
    with transaction.atomic():
        stale = (DBTaskResult.objects.select_for_update(skip_locked=True)
                 .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).exclude(Exists(alive))
                 .order_by("started_at"))
        ids = list(stale.values_list("id", flat=True)[:limit])
        if not ids:
            return 0
        count = DBTaskResult.objects.filter(id__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None)
        TaskHeartbeat.objects.filter(task_id__in=ids).delete()
    logger.warning("took back %d task(s) left running by a stopped worker", count)
    return count


def renew(worker_id: str) -> int:
    """Renew the lease of every RUNNING task this worker claimed last; return how many."""
    now = timezone.now()
    mine = [row.id for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids")
            if row.worker_ids and row.worker_ids[-1] == worker_id]
    for task_id in mine:
        TaskHeartbeat.objects.update_or_create(task_id=task_id, defaults={"worker_id": worker_id, "renewed_at": now})
    TaskHeartbeat.objects.filter(worker_id=worker_id).exclude(task_id__in=mine).delete()
    return len(mine)


class Heartbeat:
    """``with Heartbeat(worker_id):`` renews the worker's leases every third of the lease (or every
    ``interval`` seconds) in a thread of its own, until the block ends."""

    def __init__(self, worker_id: str, interval: float | None = None) -> None:
        self.worker_id = worker_id
        self.interval = interval if interval is not None else max(0.2, lease_seconds() / 3)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{worker_id}", daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    renew(self.worker_id)
                except Exception:  # a missed beat is retried; the lease is three beats long
                    logger.exception("renewing the task lease failed")
                    close_old_connections()
        finally:
            connection.close()  # the thread's own connection

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()
        TaskHeartbeat.objects.filter(worker_id=self.worker_id).delete()
