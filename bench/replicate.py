"""Top a database made by bench/generate.py up to N complaints by copying some of its complaints, in
SQL, with their clocks, work orders, return visits and repeat links (PostgreSQL only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB .venv/bin/python bench/replicate.py --to 1000000

For a machine too busy to generate a million complaints in time: the copies are spread evenly
over the existing ones (whole copies, then every complaint whose id falls in the right share of
each thousand), keep their days, levels, categories, statuses and instants, and get new ids and
numbers (``-C1``, ``-C2`` appended), so every day holds more complaints of the same mix.
Customers, products, timelines and contact digests are not copied (the reports do not read them).
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OFFSET = 10_000_000



def copies(offset: int, suffix: str) -> list[tuple[str, dict[str, str | None], str]]:
    """Per table: the new value of the columns that change (None: left to the database), the key
    column that picks the rows; every other column is copied as it is."""
    return [
        ("complaints_complaint", {"id": f"id + {offset}", "number": f"number || '{suffix}'"}, "id"),
        ("clocks_clock", {"id": None, "complaint_id": f"complaint_id + {offset}"}, "complaint_id"),
        ("complaints_workorder", {"id": None, "complaint_id": f"complaint_id + {offset}",
                                  "number": f"number || '{suffix}'"}, "complaint_id"),
        ("followup_returnvisit", {"id": None, "complaint_id": f"complaint_id + {offset}", "work_order_id": "NULL",
                                  "previous_id": "NULL"}, "complaint_id"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--to", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id) FROM complaints_complaint")
        count, top = cursor.fetchone()
        if top >= OFFSET:
            raise SystemExit("already replicated")
        missing = max(0, args.to - count)
        copied: dict[str, int] = {}
        with transaction.atomic():
            round_ = 0
            while missing > 0:  # whole copies, then a share of each thousand for the rest
                round_ += 1
                share = min(1000.0, missing * 1000 / count)
                picked = f"({{column}} % 1000) < {share:.0f}"
                offset = OFFSET * round_
                for table, values, key in copies(offset, f"-C{round_}"):
                    cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                                   "ORDER BY ordinal_position", [table])
                    columns = [row[0] for row in cursor.fetchall() if values.get(row[0], "") is not None]
                    chosen = [values.get(column) or column for column in columns]
                    where = picked.format(column=key) + f" AND {key} < {OFFSET}"
                    cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (constants)
                                   f"SELECT {', '.join(chosen)} FROM {table} WHERE {where}")
                    copied[table] = copied.get(table, 0) + cursor.rowcount
                links = "complaints_complaint_repeats"
                cursor.execute(f"INSERT INTO {links} (from_complaint_id, to_complaint_id) "  # noqa: S608
                               f"SELECT from_complaint_id + {offset}, to_complaint_id FROM {links} "
                               f"WHERE {picked.format(column='from_complaint_id')} AND from_complaint_id < {OFFSET}")
                copied[links] = copied.get(links, 0) + cursor.rowcount
                cursor.execute("SELECT count(*) FROM complaints_complaint")
                missing = args.to - cursor.fetchone()[0]
            cursor.execute("SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), "
                           "(SELECT max(id) FROM complaints_complaint))")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM complaints_complaint")
        total = cursor.fetchone()[0]
    print(json.dumps({"complaints_before": count, "complaints": total, "copied": copied,
                      "seconds": round(time.perf_counter() - started, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
