"""``complaintdesk worker``: the django-tasks database worker, plus the clock sweep.

Tasks (message delivery…) run as they are enqueued; every ``sweep_interval`` seconds the clock
sweep fires what is due. Several workers may run at once: tasks are claimed with row locks, and
clocks fire at most once (see clocks.sweep).
"""

from __future__ import annotations

import logging
import os
import signal
import time
from types import FrameType
from typing import Any

from django.db import close_old_connections
from django_tasks_db.models import DBTaskResult

from complaintdesk.core.periodic import PERIODIC  # jobs apps register to run with every sweep (idempotent)
from complaintdesk.task_lease import reclaim_abandoned

logger = logging.getLogger("complaintdesk.worker")


class _Stop:
    def __init__(self) -> None:
        self.stop = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        logger.info("received %s, stopping after the current step", signal.Signals(signum).name)
        self.stop = True


def run_tasks(max_tasks: int = 50) -> int:
    """Run up to ``max_tasks`` ready tasks; return how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker

    ready = DBTaskResult.objects.ready().count()
    if not ready:
        return 0
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=min(ready, max_tasks), worker_id=f"complaintdesk-{time.monotonic_ns()}",
                    excluded_queue_names=[])
    worker.run()
    return worker._run_tasks


def sweep_once() -> int:
    """Fire the clocks that are due; returns how many fired. ``COMPLAINTDESK_SWEEP_BATCH`` sets how
    many clocks one transaction takes (default 100): smaller batches spread the work of a large
    backlog over more workers."""
    from complaintdesk.clocks.sweep import sweep  # after django.setup()

    return sweep(batch=max(1, int(os.environ.get("COMPLAINTDESK_SWEEP_BATCH", "100"))))


def recompute_provisional() -> int:
    """Deadlines computed provisionally become official once their year's calendar file is loaded
    (the worker checks the calendar directory before each sweep, and at start)."""
    from complaintdesk.clocks.services import clocks_recompute_provisional  # after django.setup()

    try:
        count = clocks_recompute_provisional()
    except Exception:  # a bad calendar file must not stop message delivery
        logger.exception("recomputing provisional deadlines failed")
        return 0
    if count:
        logger.info("%d provisional deadline(s) recomputed on the official calendar", count)
    return count


def run_worker(*, sweep_interval: float = 15.0, once: bool = False, poll: float = 1.0) -> int:
    stopper = _Stop()
    signal.signal(signal.SIGINT, stopper)
    signal.signal(signal.SIGTERM, stopper)
    next_sweep = 0.0
    logger.info("worker started (sweep every %.0f s)", sweep_interval)
    from complaintdesk.core.calendars import calendar_directory_stamp  # after django.setup()

    recompute_provisional()
    calendars = calendar_directory_stamp()
    mail_server = None if once else _start_mail_intake()
    next_imap = 0.0
    while not stopper.stop:
        close_old_connections()
        reclaim_abandoned()
        ran = run_tasks()
        if time.monotonic() >= next_sweep:
            if calendar_directory_stamp() != calendars:  # an administrator loaded a calendar file
                calendars = calendar_directory_stamp()
                recompute_provisional()
            try:
                fired = sweep_once()
                if fired:
                    logger.info("clock sweep fired %d clock(s)", fired)
            except Exception:  # a failing sweep must not stop message delivery; it is retried
                logger.exception("clock sweep failed")
            for job in PERIODIC:
                try:
                    job()
                except Exception:  # one failing job must not stop the others or the sweep
                    logger.exception("periodic job %s failed", getattr(job, "__name__", job))
            next_sweep = time.monotonic() + sweep_interval
        if time.monotonic() >= next_imap:
            next_imap = time.monotonic() + _poll_mailbox()
        if once:
            run_tasks()
            break
        if not ran:
            time.sleep(poll)
    if mail_server is not None:
        mail_server.stop()
    return 0


def _poll_mailbox() -> float:
    """Read the IMAP mailbox when one is configured; returns the seconds until the next poll."""
    from django.conf import settings

    from complaintdesk.integrations import imap  # the worker module loads before Django is set up

    if not imap.configured():
        return 3600.0
    try:
        polled = imap.poll_once()
        if polled.read:
            logger.info("IMAP: %d mail(s) read", polled.read)
    except Exception:  # a mailbox that is down must not stop message delivery
        logger.exception("IMAP poll failed")
    return float(settings.COMPLAINTDESK_IMAP_INTERVAL)


def _start_mail_intake() -> Any:
    """The complaint address's SMTP server, when ``COMPLAINTDESK_MAIL_LISTEN`` is set."""
    from django.conf import settings

    if not settings.COMPLAINTDESK_MAIL_LISTEN:
        return None
    from complaintdesk.integrations.mailserver import start  # the worker module loads before Django is set up

    return start(settings.COMPLAINTDESK_MAIL_LISTEN)
