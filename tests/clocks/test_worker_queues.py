"""``complaintdesk worker`` and its two queues (complaintdesk/worker.py): long work (a register's
import, a large export) runs on the bulk queue in a process of its own, so that messages go out and
clocks fire while it runs; that process is started with the worker, started again if it ends, and
ends with the worker, however the worker ends."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from workkit import register

from complaintdesk.clocks.models import ClockFiring
from complaintdesk.integrations.tasks import deliver_webhook, import_register
from complaintdesk.notify.models import Message
from complaintdesk.notify.services import message_queue
from complaintdesk.notify.tasks import deliver_message
from complaintdesk.reports.tasks import deliver_report, write_export
from complaintdesk.worker import BULK, DEFAULT, run_tasks
from lanekit import hold

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def test_long_work_is_queued_apart_from_what_must_not_wait() -> None:
    assert settings.TASKS["default"]["QUEUES"] == [DEFAULT, BULK]
    assert import_register.queue_name == write_export.queue_name == BULK
    assert deliver_message.queue_name == deliver_webhook.queue_name == deliver_report.queue_name == DEFAULT


def _status(result: Any) -> str:
    return str(DBTaskResult.objects.get(id=result.id).status)


def test_a_worker_of_one_queue_leaves_the_other_queue_s_tasks(org_tx: Any, tmp_path: Path) -> None:
    flag = tmp_path / "release"
    flag.touch()
    long = hold.enqueue(str(flag))
    assert run_tasks(queues=(DEFAULT,)) == 0 and _status(long) == TaskResultStatus.READY
    assert run_tasks(queues=(BULK,)) == 1 and _status(long) == TaskResultStatus.SUCCESSFUL


def _wait(what: Callable[[], bool], seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if what():
            return True
        time.sleep(0.1)
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # a zombie is not alive
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


class _Worker:
    """A real ``complaintdesk worker`` against the test database, its log in a file."""

    def __init__(self, env: dict[str, str], log: Path, *args: str) -> None:
        self.log = log
        self.process = subprocess.Popen([sys.executable, "-m", "complaintdesk", "worker", "--sweep-interval", "1",
                                         *args], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)

    def bulk_pids(self) -> list[int]:
        return [int(pid) for pid in re.findall(r"bulk worker started \(pid (\d+)\)", self.log.read_text())]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


@pytest.fixture
def start_worker(child_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., _Worker]]:
    env = {**child_env, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]),
           "COMPLAINTDESK_BULK_RESTART_SECONDS": "1"}
    started: list[_Worker] = []

    def start(*args: str) -> _Worker:
        started.append(_Worker(env, tmp_path / f"worker{len(started)}.log", *args))
        return started[-1]

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait()
        for pid in worker.bulk_pids():
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_messages_go_out_and_clocks_fire_while_the_bulk_queue_is_busy(org_tx: Any, tmp_path: Path,
                                                                     start_worker: Callable[..., _Worker]) -> None:
    flag = tmp_path / "release"
    long = hold.enqueue(str(flag))
    worker = start_worker()
    assert _wait(lambda: _status(long) == TaskResultStatus.RUNNING), worker.log.read_text()
    # while the bulk process holds the long task: a complaint three days old (its first-reply clock
    # due) and a text message
    complaint = register(org_tx["agent"], when=timezone.now() - timedelta(days=3),
                         customer={"first_name": "Ann", "last_name": "Lane", "phone": "13912340000", "language": "en"})
    message = message_queue(actor=org_tx["agent"], kind="manual", channel="sms", recipient="+8613912340000",
                            body="We are on it.", language="en", complaint=complaint)
    assert _wait(lambda: Message.objects.get(pk=message.pk).status == "sent"), worker.log.read_text()
    assert _wait(lambda: ClockFiring.objects.filter(clock__complaint=complaint, kind="breach").exists())
    assert _status(long) == TaskResultStatus.RUNNING  # all of it while the long task ran
    flag.touch()
    assert _wait(lambda: _status(long) == TaskResultStatus.SUCCESSFUL)
    [bulk] = worker.bulk_pids()
    assert worker.stop() == 0
    assert not _alive(bulk)  # stopped with its worker


def test_the_bulk_process_is_started_again_and_dies_with_its_worker(org_tx: Any,
                                                                    start_worker: Callable[..., _Worker]) -> None:
    worker = start_worker()
    assert _wait(lambda: len(worker.bulk_pids()) == 1), worker.log.read_text()
    first = worker.bulk_pids()[0]
    os.kill(first, signal.SIGKILL)
    assert _wait(lambda: len(worker.bulk_pids()) == 2), worker.log.read_text()
    second = worker.bulk_pids()[1]
    assert second != first and _alive(second)
    worker.process.kill()  # the worker killed outright: its bulk process goes with it
    worker.process.wait()
    assert _wait(lambda: not _alive(second), 10), "the bulk process outlived its worker"


def test_a_worker_of_the_default_queue_only_starts_no_bulk_process(org_tx: Any, tmp_path: Path,
                                                                  start_worker: Callable[..., _Worker]) -> None:
    flag = tmp_path / "release"
    flag.touch()
    long = hold.enqueue(str(flag))
    worker = start_worker("--only", "default")
    assert _wait(lambda: "worker started" in worker.log.read_text())
    time.sleep(2)  # two rounds of its loop
    assert _status(long) == TaskResultStatus.READY and worker.bulk_pids() == []
    bulk = start_worker("--only", "bulk")
    assert _wait(lambda: _status(long) == TaskResultStatus.SUCCESSFUL), bulk.log.read_text()
    assert worker.stop() == 0 and bulk.stop() == 0
