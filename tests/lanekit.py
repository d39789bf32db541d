"""A task for the worker's queue tests (tests/core/test_worker_queues.py): long work on the bulk
queue that ends when the test says so, importable by a real worker process (tests/ on its path)."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task(queue_name="bulk")
def hold(flag: str, seconds: float = 90.0) -> str:
    """Runs until the file ``flag`` exists (at most ``seconds``): an import that takes as long as
    the test needs."""
    deadline = time.monotonic() + seconds
    while not Path(flag).exists():
        if time.monotonic() > deadline:
            return "timed out"
        time.sleep(0.05)
    return "released"
