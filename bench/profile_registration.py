"""The profile of one registration over the REST API: its queries, its Python time, where it waits.

    DATABASE_URL=postgres://…/complaintdesk_bench .venv/bin/python bench/profile_registration.py [--count 200]

Uses the database as it is (load it first, e.g. with bench/generate.py; the phone-maker policy must be
active and ``gen-agent-01`` exist). Posts registrations through Django's test client with the same
body as the bench, then prints one JSON object:

- ``queries``: the SQL of one registration (``CaptureQueriesContext``), counted by statement kind and
  table, with the database time Django measured for them;
- ``per_registration_ms``: wall time and CPU time of the process per registration over ``--count``
  registrations; wall − CPU is the time spent waiting (on the database, the disk);
- ``top``: the functions with the most cumulative time under cProfile (``--top`` of them).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")

TABLE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_]+)"?', re.IGNORECASE)


# (label, file suffix, function): cumulative CPU time of each part of one registration
PARTS = [
    ("whole request (test client)", "django/test/client.py", "request"),
    ("API view", "complaints/api/registration.py", "register"),
    ("service complaint_register", "complaints/services/intake.py", "complaint_register"),
    ("validation clean_registration", "complaints/services/intake.py", "clean_registration"),
    ("writes _write", "complaints/services/intake.py", "_write"),
    ("clocks clock_event", "clocks/services.py", "clock_event"),
    ("audit record", "core/record.py", "record"),
    ("audit checkpoint (on commit)", "core/audit.py", "write_checkpoint"),
    ("acknowledgement", "complaints/services/intake.py", "_acknowledge"),
    ("answer display.detail", "complaints/display.py", "detail"),
    ("roles can()", "accounts/roles.py", "can"),
    ("SQL compile (all)", "django/db/models/sql/compiler.py", "as_sql"),
    ("psycopg execute (all)", "psycopg/cursor.py", "execute"),
]


def kind_of(sql: str) -> str:
    verb = sql.lstrip().split(None, 1)[0].upper()
    match = TABLE.search(sql)
    lock = " FOR UPDATE" if "FOR UPDATE" in sql.upper() else ""
    return f"{verb} {match.group(1) if match else ''}{lock}".strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--username", default="gen-agent-01")
    parser.add_argument("--first", type=int, default=10_000_000,
                        help="the phone numbers run from 139<first>: a new value registers new customers")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from http_jobs import OUR_REGISTRATION

    from complaintdesk.accounts.services import token_create
    from complaintdesk.core import policies

    _token, clear = token_create(actor=None, username=args.username)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {clear}")
    counter = [args.first]

    def register() -> None:
        counter[0] += 1
        body = OUR_REGISTRATION.replace("{n}", str(counter[0]))
        response = client.post("/api/v1/complaints", body, content_type="application/json")
        if response.status_code != 201:
            raise RuntimeError(f"{response.status_code}: {response.content[:500]!r}")

    for _ in range(5):  # warm: imports, the policy cache, the connection
        register()
    with CaptureQueriesContext(connection) as captured:
        register()
    queries = [q["sql"] for q in captured.captured_queries]
    db_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    out: dict[str, Any] = {
        "database": connection.vendor,
        "queries": {"count": len(queries), "db_ms": round(db_ms, 1),
                    "by_kind": dict(Counter(kind_of(q) for q in queries).most_common())},
    }
    parsed = [0]
    parse = policies._parse

    def counting_parse(pk: int, sha256: str, text: str) -> Any:
        parsed[0] += 1
        return parse(pk, sha256, text)

    policies._parse = counting_parse  # type: ignore[assignment]
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.count):
        register()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    policies._parse = parse  # type: ignore[assignment]
    out["per_registration_ms"] = {"wall": round(wall / args.count * 1000, 2), "cpu": round(cpu / args.count * 1000, 2),
                                  "waiting": round((wall - cpu) / args.count * 1000, 2)}
    out["policy_parsed"] = parsed[0]  # times a policy text was parsed during those registrations
    profile = cProfile.Profile(time.process_time)  # CPU time: what the process spends, whatever the load
    profile.enable()
    for _ in range(min(args.count, 100)):
        register()
    profile.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    stats.sort_stats("cumulative").print_stats(args.top)
    out["top"] = [line.strip() for line in stream.getvalue().splitlines() if "/" in line or "{" in line][: args.top]
    runs = min(args.count, 100)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    out["cpu_ms_by_part"] = {
        label: round(sum(v[3] for k, v in raw.items() if k[0].endswith(path) and k[2] == name) / runs * 1000, 2)
        for label, path, name in PARTS}
    out["sql"] = queries
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
