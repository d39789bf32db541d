"""The database triggers that mark the days of the daily summary a change touches (decision 0009).

Every table the summary counts gets triggers after insert, update (of a counted column) and
delete; each writes the moments whose day may have changed into ``reports_summarymark``. A day
with a mark is read live until the worker has recomputed it, so a figure never depends on every
service remembering every report dimension: the database itself sees every write (services,
imports, the bench's COPY, erasure). The SQL is generated for PostgreSQL and SQLite from one table
of what each row's change marks.

On PostgreSQL an insert or a delete marks once per statement, from its transition table (the rows
it inserted or deleted), one mark per distinct moment: a bulk import's ``COPY`` of a thousand
complaints registered at one instant wrote a thousand identical marks through a thousand calls of
the row trigger (≈ 10 µs of the server's time a row; docs/performance.md, "Import"). Updates stay
row triggers there, each with its ``WHEN`` (a statement trigger cannot compare OLD with NEW); SQLite
has row triggers only."""

from __future__ import annotations

from dataclasses import dataclass

MARKS = "reports_summarymark"


@dataclass(frozen=True)
class Watch:
    """A table, the columns whose change matters, and the SELECTs (with ``{row}`` for OLD or NEW)
    that give the moments to mark."""

    name: str
    table: str
    columns: tuple[str, ...]
    moments: tuple[str, ...]
    events: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")


def _own(column: str) -> str:
    return f"SELECT {{row}}.{column} WHERE {{row}}.{column} IS NOT NULL"


def _complaint(column: str) -> str:
    return f"SELECT registered_at FROM complaints_complaint WHERE id = {{row}}.{column}"  # noqa: S608 (constants)


WATCHES: tuple[Watch, ...] = (
    # registration day (its dimensions), closing day (finished, still open at the end)
    Watch("complaint", "complaints_complaint",
          ("registered_at", "closed_at", "status", "level", "category", "channel", "targets", "reason_codes",
           "root_cause", "product_id", "unit_id"),
          (_own("registered_at"), _own("closed_at"))),
    # the lines of a complaint's clocks, work orders and visits carry its level, category and unit
    Watch("complaint_dims", "complaints_complaint", ("level", "category", "unit_id"),
          ("SELECT due_at FROM clocks_clock WHERE complaint_id = {row}.id",
           "SELECT due_at FROM complaints_workorder WHERE complaint_id = {row}.id",
           "SELECT completed_at FROM followup_returnvisit WHERE complaint_id = {row}.id AND completed_at IS NOT NULL"),
          ("UPDATE",)),
    Watch("product", "complaints_product", ("model",),
          ("SELECT registered_at FROM complaints_complaint WHERE product_id = {row}.id",), ("UPDATE",)),
    Watch("repeat", "complaints_complaint_repeats", ("from_complaint_id", "to_complaint_id"),
          (_complaint("from_complaint_id"),)),
    Watch("work_order", "complaints_workorder",
          ("complaint_id", "department_id", "status", "due_at", "replied_at"),
          (_own("due_at"), _complaint("complaint_id"))),
    Watch("judgement", "followup_judgement", ("complaint_id", "validity", "company_at_fault"),
          (_complaint("complaint_id"),)),
    Watch("visit", "followup_returnvisit",
          ("complaint_id", "state", "result", "satisfaction", "score", "completed_at"),
          (_own("completed_at"),)),
    Watch("clock", "clocks_clock",
          ("complaint_id", "code", "status", "due_at", "stopped_at", "breached_at", "paused_since", "pauses",
           "extensions"),
          (_own("due_at"),)),
)


def _rows(event: str) -> tuple[str, ...]:
    return {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[event]


def _inserts(watch: Watch, event: str) -> list[str]:
    return [f"INSERT INTO {MARKS} (at) {moment.format(row=row)};"
            for row in _rows(event) for moment in watch.moments]


def _changed(watch: Watch, vendor: str) -> str:
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in watch.columns)


# the transition table of a statement trigger (PostgreSQL), by event
_TRANSITION = {"INSERT": "NEW TABLE AS changed_rows", "DELETE": "OLD TABLE AS changed_rows"}


def _statement_inserts(watch: Watch) -> list[str]:
    """The marks of one statement's rows: each moment of each row (the row as ``r``), once."""
    return [f"INSERT INTO {MARKS} (at) SELECT DISTINCT m.at FROM changed_rows r "  # noqa: S608 (constants)
            f"CROSS JOIN LATERAL ({moment.format(row='r')}) AS m(at);" for moment in watch.moments]


def create_sql(vendor: str, *, per_statement: bool = True) -> list[str]:
    """The statements that create every trigger (and, on PostgreSQL, its function). On PostgreSQL
    inserts and deletes are marked by statement triggers unless ``per_statement`` is false (the row
    triggers of migration 0003, before 0010)."""
    out: list[str] = []
    for watch in WATCHES:
        for event in watch.events:
            name = f"reports_mark_{watch.name}_{event.lower()}"
            when = f" WHEN ({_changed(watch, vendor)})" if event == "UPDATE" else ""
            body = "\n  ".join(_inserts(watch, event))
            if vendor == "postgresql":
                statement = per_statement and event in _TRANSITION
                if statement:
                    body = "\n  ".join(_statement_inserts(watch))
                out.append(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                           f"BEGIN\n  {body}\n  RETURN NULL;\nEND $$;")
                each = f"REFERENCING {_TRANSITION[event]} FOR EACH STATEMENT" if statement else f"FOR EACH ROW{when}"
                out.append(f"CREATE TRIGGER {name} AFTER {event} ON {watch.table} {each} "
                           f"EXECUTE FUNCTION {name}();")
            else:
                out.append(f"CREATE TRIGGER {name} AFTER {event} ON {watch.table} FOR EACH ROW{when}\n"
                           f"BEGIN\n  {body}\nEND;")
    return out


def drop_sql(vendor: str) -> list[str]:
    out: list[str] = []
    for watch in WATCHES:
        for event in watch.events:
            name = f"reports_mark_{watch.name}_{event.lower()}"
            if vendor == "postgresql":
                out.append(f"DROP TRIGGER IF EXISTS {name} ON {watch.table};")
                out.append(f"DROP FUNCTION IF EXISTS {name}();")
            else:
                out.append(f"DROP TRIGGER IF EXISTS {name};")
    return out


# the indexes the reports read besides the summary: the instants they count by, created here so
# that one migration of the reports app holds everything the reports need. (The complaints open now,
# for the open-complaints-by-age chart, are read through the complaints' own complaint_open_level,
# which begins with the same columns under the same condition: reports_complaint_open, a copy of its
# first two columns, was dropped by migration 0008.)
INDEXES: tuple[tuple[str, str, str], ...] = (
    ("reports_complaint_closed", "complaints_complaint", "(closed_at)"),
    ("reports_workorder_due", "complaints_workorder", "(due_at)"),
    ("reports_visit_completed", "followup_returnvisit", "(completed_at)"),
)


# dropped by migration 0008 (recreated if it is reversed)
OPEN_COMPLAINTS: tuple[tuple[str, str, str], ...] = (
    ("reports_complaint_open", "complaints_complaint",
     "(level, registered_at) WHERE status NOT IN ('closed', 'rejected', 'withdrawn')"),
)


def index_sql(indexes: tuple[tuple[str, str, str], ...] = INDEXES) -> list[str]:
    return [f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns};" for name, table, columns in indexes]


def drop_index_sql(indexes: tuple[tuple[str, str, str], ...] = INDEXES) -> list[str]:
    return [f"DROP INDEX IF EXISTS {name};" for name, _table, _columns in indexes]


# PostgreSQL only (INCLUDE): indexes a reading scans without visiting the table — the daily lines
# of the registered complaints by day and level (the dashboard's weekly trend, twelve weeks of
# lines) and the return visits answered on a day (read live for today)
COVERING_INDEXES: tuple[tuple[str, str, str], ...] = (
    ("reports_day_count_cover", "reports_daycount", "(fact, day) INCLUDE (unit_id, level, category, count)"),
    ("reports_visit_answered", "followup_returnvisit",
     "(completed_at) INCLUDE (complaint_id, satisfaction, score) WHERE state = 'done' AND result = 'answered'"),
)
