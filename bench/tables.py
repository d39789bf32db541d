"""Bulk writing of generated rows: COPY on PostgreSQL, ``executemany`` on SQLite.

A :class:`Table` names the model columns a generator fills; every other concrete column gets the
model field's default (so a column added later by another app does not break the generator as long
as it has a default or is nullable). Primary keys are assigned by the generator (``Table.next_id``)
so that rows of several tables can refer to each other inside one batch; :func:`finish` moves each
table's identity sequence past the ids used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models

NOT_PROVIDED = object()


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


class Table:
    """Rows for one model: ``add(values)`` takes the values of ``columns`` in order."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{self.name}: no column {unknown}")
        pk = model._meta.pk
        assert pk is not None
        self.pk_name = pk.attname
        extra = [name for name, f in fields.items() if name not in columns and name != self.pk_name]
        self.fields = [fields[c] for c in columns] + [fields[c] for c in extra]
        self.columns = [f.column for f in self.fields]
        self.given = len(columns)
        self.defaults = tuple(self._default(fields[c]) for c in extra)
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.last_id = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk.column)}) "  # noqa: S608 - model metadata
                           f"FROM {connection.ops.quote_name(self.name)}")
            self.last_id = cursor.fetchone()[0] or 0
        self.has_pk = self.pk_name in columns

    @staticmethod
    def _default(field: models.Field[Any, Any]) -> Any:
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if isinstance(field, models.BooleanField):
            return False
        if isinstance(field, models.CharField | models.TextField):
            return ""
        raise ValueError(f"{field.model._meta.db_table}.{field.column}: needs a value (no default)")

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def add(self, values: Sequence[Any]) -> None:
        if len(values) != self.given:
            raise ValueError(f"{self.name}: {len(values)} values for {self.given} columns")
        self.rows.append(tuple(values) + self.defaults)

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            self._copy()
        else:
            self._insert()
        self.written += len(self.rows)
        self.rows = []

    def _copy(self) -> None:
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        json_at = set(self.json)
        with connection.cursor() as wrapper:
            raw = wrapper.cursor  # psycopg 3
            with raw.copy(f"COPY {connection.ops.quote_name(self.name)} ({columns}) FROM STDIN") as copy:
                for row in self.rows:
                    if json_at:
                        row = tuple(json.dumps(v, ensure_ascii=False, default=_json_default) if i in json_at else v
                                    for i, v in enumerate(row))
                    copy.write_row(row)

    def _insert(self) -> None:
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        prepared = [tuple(f.get_db_prep_save(v, connection) for f, v in zip(self.fields, row, strict=True))
                    for row in self.rows]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {connection.ops.quote_name(self.name)} ({columns}) "  # noqa: S608
                               f"VALUES ({marks})", prepared)


def flush_all(tables: Iterable[Table]) -> None:
    for table in tables:
        table.flush()


def finish(tables: Iterable[Table]) -> None:
    """Move identity sequences past the ids the generator assigned (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            if table.has_pk and table.last_id:
                pk = table.model._meta.pk
                assert pk is not None
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                               [connection.ops.quote_name(table.name), pk.column, table.last_id])
