"""Validating import rows in worker processes (``complaintdesk import --jobs N``).

The rows of a register are independent, and once the row's unit (and so its policy) is known,
validating one reads nothing from the database. The importing process reads the file, looks the
units up, and hands chunks of rows to a pool of forked processes; it takes their answers back in
the order of the rows and writes the accepted ones itself, so numbers and the audit chain run in
row order exactly as in the serial import. Refused rows and their reasons are the same as the
serial path's: both call :func:`validate_chunk`.

Children are forked after ``django.setup()`` (the settings, apps, translations and policies are
inherited, nothing is imported again) and never use the database: the connections they inherit
belong to the parent, so each child forgets them at start without closing them (closing would end
the parent's session on the server) and keeps a reference so that they are never collected.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

from django.db import connections
from django.utils import translation

from complaintdesk.complaints.services.intake import Registration
from complaintdesk.integrations.import_prepare import Prepared
from complaintdesk.policy.schema import Policy

# rows handed to a worker at a time; a few chunks per worker are in flight while the parent writes
CHUNK = 500
IN_FLIGHT_PER_JOB = 4

Row = tuple[int, list[Any], str]  # (spreadsheet row number, values, unit code)
Problem = tuple[str, str]
# what validation says of one row: nothing (an empty row), its registration (prepared for writing:
# integrations/import_prepare.py, except in a dry run), or its problems
Outcome = Prepared | Registration | list[Problem] | None
# what a unit code stands for: the policy in force at that unit, or why rows naming it are refused
UnitAnswer = Policy | list[Problem]
# the importer's check of one row under its unit's answer (integrations/importer.py ``row_outcome``)
Validator = Callable[[UnitAnswer, list[str | None], list[Any], datetime], Outcome]


# validating processes of an import that writes, at most: one validates 4,000–5,000 rows a second,
# more than the single writer writes (3,000–3,500), so a third would only wait, holding its memory
# (about 120 MB each: a forked copy of the importing process)
MOST_WRITING_JOBS = 2


def validating_jobs(*, writing: bool = True) -> int:
    """How many processes validate an import's rows by default: one fewer than the processors this
    process may run on, at least one and at most ``MOST_WRITING_JOBS``; one per processor for a dry
    run (``writing=False``), where validating is all there is. The importing process writes, and it
    and its database server are one serial path that needs a processor of its own: on two
    processors one validating process imported 4–17 % more rows a second than two
    (docs/performance.md, "Import")."""
    try:
        processors = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        processors = os.cpu_count() or 1
    return max(1, min(processors - 1, MOST_WRITING_JOBS)) if writing else processors


_inherited: list[Any] = []
_policies: dict[str, Policy] = {}


def validate_chunk(validate: Validator, rows: list[Row], paths: list[str | None], units: Mapping[str, UnitAnswer],
                   now: datetime, language: str) -> list[Outcome]:
    """The outcome of each row, in order, in the importing user's ``language``."""
    out: list[Outcome] = []
    with translation.override(language):
        for _index, values, code in rows:
            out.append(validate(units[code], paths, values, now))
    return out


def _child_start() -> None:
    """In a forked worker: forget the parent's database connections without closing them, and turn
    the garbage collector back on (the importing process holds it off: importer.py
    ``_collector_held``; a worker's refused rows leave exceptions and tracebacks to collect)."""
    gc.enable()
    for conn in connections.all(initialized_only=True):
        _inherited.append(conn.connection)
        conn.connection = None


def _child_task(validate: Validator, rows: list[Row], paths: list[str | None], units: dict[str, str | list[Problem]],
                policies: dict[str, bytes], now: datetime, language: str) -> list[Outcome]:
    for token, payload in policies.items():
        if token not in _policies:
            _policies[token] = pickle.loads(payload)  # noqa: S301 (written by the parent process)
    answers: dict[str, UnitAnswer] = {code: (_policies[value] if isinstance(value, str) else value)
                                      for code, value in units.items()}
    return validate_chunk(validate, rows, paths, answers, now, language)


class ValidationPool:
    """``jobs`` forked processes validating chunks; answers come back in the order they were sent.
    At most ``room`` chunks are waiting, so a large file is never held whole."""

    def __init__(self, jobs: int, validate: Validator, paths: list[str | None], now: datetime,
                 language: str, *, ahead: int = 0) -> None:
        self.jobs, self.validate, self.paths, self.now, self.language = jobs, validate, paths, now, language
        # chunks that may wait: a few per worker, and room for ``ahead`` rows (twice the writer's
        # batch), so that the workers go on validating while the importing process writes a batch
        self.room = max(jobs * IN_FLIGHT_PER_JOB, -(-ahead // CHUNK))
        self._tokens: dict[int, str] = {}
        self._known: set[str] = set()
        self._pending: deque[tuple[list[Row], AsyncResult[list[Outcome]]]] = deque()
        self._pool: Pool | None = None
        _policies.clear()  # tokens are this import's own

    def _token(self, policy: Policy) -> str:
        token = self._tokens.setdefault(id(policy), str(len(self._tokens)))
        _policies.setdefault(token, policy)  # inherited by workers forked from now on
        return token

    def _start(self) -> Pool:
        if self._pool is None:
            self._known = set(_policies)
            self._pool = multiprocessing.get_context("fork").Pool(self.jobs, initializer=_child_start)
        return self._pool

    def submit(self, rows: list[Row], units: Mapping[str, UnitAnswer]) -> None:
        wanted = {code: (self._token(answer) if isinstance(answer, Policy) else answer)
                  for code in {row[2] for row in rows} for answer in (units[code],)}
        pool = self._start()
        policies = {token: pickle.dumps(_policies[token]) for token in wanted.values()
                    if isinstance(token, str) and token not in self._known}
        self._pending.append((rows, pool.apply_async(
            _child_task, (self.validate, rows, self.paths, wanted, policies, self.now, self.language))))

    def full(self) -> bool:
        return len(self._pending) >= self.room

    def take(self) -> tuple[list[Row], list[Outcome]] | None:
        """The oldest chunk and its outcomes (waiting for them), or None when nothing is in flight."""
        if not self._pending:
            return None
        rows, answer = self._pending.popleft()
        return rows, answer.get()

    def close(self, *, failed: bool = False) -> None:
        if self._pool is not None:
            if failed:
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None


def chunks(rows: Iterable[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
