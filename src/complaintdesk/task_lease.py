"""Tasks that survive a crashed worker: a lease on RUNNING.

django-tasks-db marks a task RUNNING when a worker claims it and FINISHED or FAILED when it ends. A
worker killed in between (SIGKILL, power loss, OOM) leaves the task RUNNING for ever: its message is
never sent. Every worker therefore takes back, before it looks for work, the tasks that have been
RUNNING for longer than the lease (``COMPLAINTDESK_TASK_LEASE_SECONDS``, default 300 s — far longer
than any task here runs: a send gives up after 10 s) and makes them READY again, so they run once
more. The tasks are idempotent (a message already SENT is not sent again), so a task taken back
from a worker that was only slow does no harm.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("complaintdesk.worker")


def lease_seconds() -> float:
    return float(os.environ.get("COMPLAINTDESK_TASK_LEASE_SECONDS", "300"))


def reclaim_abandoned(lease: float | None = None, limit: int = 500) -> int:
    """Make tasks RUNNING for longer than the lease READY again; return how many."""
    cutoff = timezone.now() - timedelta(seconds=lease_seconds() if lease is None else lease)
    with transaction.atomic():
        stale = (DBTaskResult.objects.select_for_update(skip_locked=True)
                 .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).order_by("started_at"))
        ids = list(stale.values_list("id", flat=True)[:limit])
        if not ids:
            return 0
        count = DBTaskResult.objects.filter(id__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None)
    logger.warning("took back %d task(s) left running by a stopped worker", count)
    return count
