"""Writing many rows at once, for the bulk import (integrations/importer.py) and the audit events it
records (core/audit.py ``audit_many``).

On PostgreSQL the rows go through ``COPY … FROM STDIN`` (psycopg's ``cursor.copy``): one statement
per table and batch, no SQL text per row. Elsewhere (SQLite) they are inserted with
``executemany``, each value prepared by its model field exactly as ``Model.save`` would: correct,
and slower. Either way the rows are written in the caller's transaction.

Primary keys are allocated before the insert (``allocate_ids``) so that rows of one table can name
rows of another written in the same batch (a complaint its customer) without reading anything back.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction

from complaintdesk.core.crypto import PREFIX, encrypt
from complaintdesk.core.fields import EncryptedTextField
from complaintdesk.core.keys import key


class JsonText(str):
    """A JSON column's value given as its JSON text already (``core.audit.canonical``): written as it
    is, not encoded again."""

    __slots__ = ()


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``'s table, taken from its own sequence on PostgreSQL (so
    concurrent inserts never collide) and after the highest ever used on SQLite (whose writers are
    serialised: the caller's transaction has written before, so it holds the database's write lock)."""
    if count < 1:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the sequence looked up once: pg_get_serial_sequence() in the select list ran for every
            # row (2.7–3.5 µs a key against 0.26 µs with the sequence named; 20,000 keys)
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
            return [int(row[0]) for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608
        highest = int(cursor.fetchone()[0])
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if cursor.fetchone() is not None:  # AUTOINCREMENT tables never reuse a deleted row's key
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, int(row[0]) if row else 0)
    return list(range(highest + 1, highest + 1 + count))


def ready_value(field: models.Field[Any, Any], value: Any) -> Any:
    """``value`` of ``field`` as a bulk insert writes it (``Table.insert(ready=…)``): JSON as its text
    (a plain ``str``: cheap to pickle), contact data encrypted, a datetime checked to be aware; the
    rest as it is."""
    value = _copy_value(field)(value)
    return str(value) if isinstance(value, JsonText) else value


# empty containers are most of an import's JSON values (no flags, no earlier cases, no notes)
_EMPTY_LIST, _EMPTY_OBJECT = JsonText("[]"), JsonText("{}")


@functools.cache  # one converter per field: an import converts a dozen values a row
def _copy_value(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a Python value of ``field`` is handed to COPY: JSON as text, contact data encrypted, the
    rest as psycopg adapts it (aware datetimes, dates, booleans, numbers, text, None)."""
    if isinstance(field, models.JSONField):
        # one encoder for every value: json.dumps(cls=…) would build one per call; same output
        encode = (field.encoder or json.JSONEncoder)().encode

        def to_json(value: Any) -> Any:
            if value is None or isinstance(value, JsonText):
                return value
            if not value and isinstance(value, list | dict):
                return _EMPTY_LIST if isinstance(value, list) else _EMPTY_OBJECT
            return JsonText(encode(value))

        return to_json
    if isinstance(field, EncryptedTextField):

        def to_cipher(value: Any) -> Any:
            if isinstance(value, str) and value and not value.startswith(PREFIX):
                return encrypt(value, key("data"))  # the key in use now (core/keys.py)
            return value

        return to_cipher
    if isinstance(field, models.DateTimeField):
        name = field.name

        def to_moment(value: Any) -> Any:
            if isinstance(value, datetime) and value.utcoffset() is None:
                raise ValueError(f"{name}: a naive datetime")
            return value

        return to_moment
    return _same


def _same(value: Any) -> Any:
    return value


class Table:
    """The columns of ``model`` written by a bulk insert: every concrete field, with the field's
    default where a row does not give the value (``rows`` take attribute names: ``customer_id``)."""

    def __init__(self, model: type[models.Model], *, with_pk: bool = True) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields if not f.primary_key}
        self._names = [f.attname for f in self.fields]
        self._fallback = [self.defaults.get(f.attname) for f in self.fields]

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(map(values.get, self._names, self._fallback))

    def insert(self, rows: Sequence[tuple[Any, ...]], *, ready: Iterable[str] = ()) -> None:
        """Write ``rows`` (tuples in the order of ``self.fields``) in the caller's transaction. The
        columns named in ``ready`` hold values as ``ready_value`` gives them (JSON as its text,
        contact data encrypted, aware datetimes) and are not converted again."""
        if not rows:
            return
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("bulk inserts run inside the caller's transaction")
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        done = set(ready)
        if connection.vendor == "postgresql":
            # only the columns whose values need converting are touched
            pairs = [(c, i) for i, (f, c) in enumerate((f, _copy_value(f)) for f in self.fields)
                     if c is not _same and f.attname not in done]
            with connection.cursor() as cursor, cursor.cursor.copy(
                    f"COPY {table} ({columns}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    if pairs:
                        values = list(row)
                        for convert, index in pairs:
                            values[index] = convert(values[index])
                        write(values)
                    else:
                        write(row)
            return
        marks = ", ".join(["%s"] * len(self.fields))
        # JSON given as its text is written as it is; everything else is prepared by its field
        text = [isinstance(f, models.JSONField) and f.attname in done for f in self.fields]
        prepared = [[value if as_text or isinstance(value, JsonText) else f.get_db_prep_save(value, connection)
                     for f, as_text, value in zip(self.fields, text, row, strict=True)] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608
