"""Gap-free counters under a row lock (complaint numbers).

One round trip in the common case: ``UPDATE … RETURNING`` increments the counter, takes its row lock
until the caller's transaction ends and answers the new value (PostgreSQL, and SQLite from 3.35).
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from complaintdesk.core.models import Sequence

_TABLE = Sequence._meta.db_table


def _advance(key: str, by: int) -> int | None:
    """Add ``by`` to the counter ``key`` and return its new value; None when there is no such counter."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(_TABLE)} SET {quote('value')} = {quote('value')} + %s "  # noqa: S608
                       f"WHERE {quote('key')} = %s RETURNING {quote('value')}", [by, key])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def next_value(key: str) -> int:
    """Increment and return the counter ``key``; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside a transaction")
    value = _advance(key, 1)
    if value is not None:
        return value
    try:
        with transaction.atomic():
            Sequence.objects.create(key=key, value=1)
        return 1
    except IntegrityError:  # another transaction created it first: count after its value
        value = _advance(key, 1)
        if value is None:  # pragma: no cover - the row exists: the insert just failed on it
            raise
        return value


def reserve_values(key: str, count: int) -> int:
    """Reserve ``count`` consecutive values of the counter ``key`` (a batch import) with one counter
    update; returns the first. Same row lock and transaction rule as :func:`next_value`."""
    if count < 1:
        raise ValueError("count must be at least 1")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_values() must run inside a transaction")
    value = _advance(key, count)
    if value is None:
        try:
            with transaction.atomic():
                Sequence.objects.create(key=key, value=count)
            return 1
        except IntegrityError:  # another transaction created it first: count after its value
            value = _advance(key, count)
            if value is None:  # pragma: no cover - the row exists: the insert just failed on it
                raise
    return value - count + 1
