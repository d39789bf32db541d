"""Jobs the worker runs with every clock sweep, registered by the apps above (the reports app's
scheduled reports). The worker is an entry point and apps may not import it; they register here."""

from __future__ import annotations

from collections.abc import Callable

PeriodicJob = Callable[[], int]
PERIODIC: list[PeriodicJob] = []


def periodic_register(job: PeriodicJob) -> PeriodicJob:
    """Run ``job`` once per sweep; it returns how many things it did (for the worker's log)."""
    if job not in PERIODIC:
        PERIODIC.append(job)
    return job
