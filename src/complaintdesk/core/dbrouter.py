"""Reports read from a replica: one setting, one router, one context.

``COMPLAINTDESK_REPORTS_DATABASE_URL`` (a PostgreSQL streaming replica of the main database, or any
read-only copy of it) becomes the ``reports`` database alias (settings.py). The reports' pages, API
and scheduled reports run their selectors inside ``reports_reads()`` (or a view decorated with
``reads_reports``); while that context is open, :class:`ReportsRouter` sends every ORM read to the
``reports`` alias — unless the main database is inside a transaction, whose reads stay on it (they
may need what the transaction wrote). Writes always go to the main database, whatever the context and whichever
database an object was read from, and nothing is ever migrated on the replica. Without the setting
the context changes nothing: every read goes to the main database, as before.

Only reads made through the ORM (or through ``connections[queryset.db]``) follow the router; a
statement sent on ``django.db.connection`` goes to the main database. The replica may lag behind
the main database by a moment: the reports, which count what is registered and finished, tolerate
that; a page that must read what it has just written must not read inside the context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPORTS = "reports"
P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

_reading_reports: ContextVar[bool] = ContextVar("complaintdesk_reading_reports", default=False)


def reports_alias() -> str:
    """The alias reports read from: ``reports`` when the replica is configured, else the main one."""
    return REPORTS if REPORTS in settings.DATABASES else DEFAULT_DB_ALIAS


@contextmanager
def reports_reads() -> Iterator[str]:
    """Inside, the ORM's reads go to :func:`reports_alias` (writes still go to the main database)."""
    token = _reading_reports.set(True)
    try:
        yield reports_alias()
    finally:
        _reading_reports.reset(token)


def reads_reports(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads go to the reports' database (``reports_reads`` around its body)."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with reports_reads():
            return view(*args, **kwargs)

    return wrapper


def reports_rows(rows: Iterable[T]) -> Iterator[T]:
    """A streamed response's rows, read inside ``reports_reads`` as they are produced (a streaming
    response is iterated after its view has returned)."""
    with reports_reads():
        yield from rows


class ReportsRouter:
    """settings.DATABASE_ROUTERS: reads inside ``reports_reads()`` go to the ``reports`` alias when
    it exists; every write goes to the main database; the replica is never migrated."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        # inside a transaction of the main database a read may need what the transaction wrote
        # (a row created on first use): it stays on the main database
        if _reading_reports.get() and REPORTS in settings.DATABASES and not connections[
                DEFAULT_DB_ALIAS].in_atomic_block:
            return REPORTS
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # the replica holds the same rows as the main database: objects read from either may be related
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPORTS}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if db == REPORTS else None
