"""``complaintdesk worker``: the django-tasks database worker, plus the clock sweep.

Tasks (message delivery…) run as they are enqueued; every ``sweep_interval`` seconds the clock
sweep fires what is due. Several workers may run at once: tasks are claimed with row locks, and
clocks fire at most once (see clocks.sweep).

Tasks come in two queues (settings.TASKS). ``default`` holds what must not wait: messages, webhook
deliveries, scheduled reports. ``bulk`` holds long work: the import of a register uploaded on the
import page, a large export — minutes for a million rows, during which a worker that ran them in its
own loop would neither sweep the clocks nor send a message. So ``complaintdesk worker`` runs the
default queue, the sweep and the mail intake itself, and the bulk queue in a process of its own that
it starts (``--only bulk``), restarts if it dies, and stops with itself. ``--only default`` leaves the
bulk queue to workers started elsewhere; ``--once`` runs both queues in turn.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType
from typing import Any

from django.db import close_old_connections
from django_tasks_db.models import DBTaskResult

from complaintdesk.core.periodic import PERIODIC  # jobs apps register to run with every sweep (idempotent)
from complaintdesk.task_lease import Heartbeat, reclaim_abandoned

logger = logging.getLogger("complaintdesk.worker")

DEFAULT, BULK = "default", "bulk"  # the task queues (settings.TASKS)
# set in the bulk process a worker starts: the starting worker's process id, whose end ends it too
PARENT_VARIABLE = "COMPLAINTDESK_WORKER_PARENT"


class _Stop:
    def __init__(self) -> None:
        self.stop = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        logger.info("received %s, stopping after the current step", signal.Signals(signum).name)
        self.stop = True


def run_tasks(max_tasks: int = 50, queues: Sequence[str] = ("*",)) -> int:
    """Run up to ``max_tasks`` ready tasks of ``queues`` (``*``: every queue); return how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker

    ready = DBTaskResult.objects.ready()
    if "*" not in queues:
        ready = ready.filter(queue_name__in=queues)
    count = ready.count()
    if not count:
        return 0
    worker_id = f"complaintdesk-{os.getpid()}-{time.monotonic_ns()}"
    worker = Worker(queue_names=list(queues), interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=min(count, max_tasks), worker_id=worker_id, excluded_queue_names=[])
    with Heartbeat(worker_id):  # a slow task keeps its lease while this process lives
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
    from complaintdesk.clocks.recompute import clocks_recompute_provisional  # after django.setup()

    try:
        count = clocks_recompute_provisional()
    except Exception:  # a bad calendar file must not stop message delivery
        logger.exception("recomputing provisional deadlines failed")
        return 0
    if count:
        logger.info("%d provisional deadline(s) recomputed on the official calendar", count)
    return count


def run_worker(*, sweep_interval: float = 15.0, once: bool = False, poll: float = 1.0,
               only: str | None = None) -> int:
    """The worker's loop until SIGINT or SIGTERM. ``only`` is None (the default queue here, the bulk
    queue in a process started for it), ``default`` (no bulk process) or ``bulk`` (that process:
    bulk tasks only, no sweep, no mail)."""
    stopper = _Stop()
    signal.signal(signal.SIGINT, stopper)
    signal.signal(signal.SIGTERM, stopper)
    if only == BULK:
        return _run_bulk(stopper, poll, once=once)
    next_sweep = 0.0
    logger.info("worker started (sweep every %.0f s)", sweep_interval)
    from complaintdesk.core.calendars import calendar_directory_stamp  # after django.setup()

    recompute_provisional()
    calendars = calendar_directory_stamp()
    mail_server = None if once else _start_mail_intake()
    bulk = _BulkProcess() if only is None and not once else None
    next_imap = 0.0
    queues = (DEFAULT,) if bulk is not None or only == DEFAULT else ("*",)
    while not stopper.stop:
        close_old_connections()
        reclaim_abandoned()
        if bulk is not None:
            bulk.keep()
        ran = run_tasks(queues=queues)
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
            run_tasks(queues=queues)
            break
        if not ran:
            time.sleep(poll)
    if mail_server is not None:
        mail_server.stop()
    if bulk is not None:
        bulk.stop()
    return 0


def _run_bulk(stopper: _Stop, poll: float, *, once: bool = False) -> int:
    """The bulk queue's loop (``--only bulk``). Started by a worker, it ends with it: the kernel
    kills it when that worker dies (Linux), and it stops between tasks once that worker is gone."""
    parent = int(os.environ.get(PARENT_VARIABLE) or 0)
    if parent and sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    logger.info("bulk worker started (pid %d): imports and large exports", os.getpid())
    while not stopper.stop:
        if parent and os.getppid() != parent:
            logger.warning("the worker that started this bulk worker is gone; stopping")
            break
        close_old_connections()
        reclaim_abandoned()
        ran = run_tasks(queues=(BULK,))
        if once:
            break
        if not ran:
            time.sleep(poll)
    return 0


class _BulkProcess:
    """The bulk worker a worker runs beside itself: started at once, started again when it ends
    while the worker goes on, stopped (SIGTERM: after its current task) when the worker stops."""

    def __init__(self) -> None:
        # seconds between two starts, so that a process that cannot start is not started in a loop
        self.restart_after = float(os.environ.get("COMPLAINTDESK_BULK_RESTART_SECONDS", "10"))
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.keep()

    def keep(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        if self.process is not None:
            if time.monotonic() - self.started < self.restart_after:
                return
            logger.warning("the bulk worker ended (exit %s); starting it again", self.process.returncode)
        env = dict(os.environ, **{PARENT_VARIABLE: str(os.getpid())})
        self.started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, "-m", "complaintdesk", "worker", "--only", BULK], env=env)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


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
