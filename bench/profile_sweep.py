"""The profile of one clock sweep that fires N clocks: queries and CPU per fired clock.

    DATABASE_URL=postgres://…/cd_u_scale_bench .venv/bin/python bench/profile_sweep.py [--due 100] [--runs 5]

Uses the database as it is (load it first, e.g. with ``bench/generate.py --count 20000 --migrate``).
Each run makes ``--due`` running clocks of open complaints due (a minute ago, their warning already
sent, so each fires its breach, as ``bench/run.py`` does), sweeps, and rolls the whole run back, so
every run fires the same clocks. Prints one JSON object:

- ``queries``: the SQL of one sweep (``CaptureQueriesContext``) by statement kind and table, and per
  fired clock;
- ``cpu_ms`` / ``wall_ms``: CPU time of this process (``time.process_time``) and wall time of each
  run's sweep, and per fired clock; wall − CPU is the time spent waiting on the database;
- ``empty``: the sweep with nothing due (p95 wall, mean CPU);
- ``top``: with ``--profile``, the functions with the most cumulative CPU time under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")

TABLE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_]+)"?', re.IGNORECASE)


class _Rollback(Exception):
    pass


def kind_of(sql: str) -> str:
    verb = sql.lstrip().split(None, 1)[0].upper()
    match = TABLE.search(sql)
    lock = " FOR UPDATE" if "FOR UPDATE" in sql.upper() else ""
    return f"{verb} {match.group(1) if match else ''}{lock}".strip()


def one_run(due: int, *, profile: bool = False, capture: bool = False) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from complaintdesk.clocks.models import Clock
    from complaintdesk.clocks.sweep import sweep

    out: dict[str, Any] = {}
    try:
        with transaction.atomic():
            now = timezone.now()
            ids = list(Clock.objects.filter(status="running", complaint__status__in=[
                "registered", "accepted", "in_progress", "resolved"]).exclude(firings__kind="breach")
                .order_by("id").values_list("id", flat=True)[:due])
            Clock.objects.filter(id__in=ids).update(next_fire_at=now - timedelta(minutes=1),
                                                    due_at=now - timedelta(minutes=1), breached_at=None,
                                                    warned_at=now - timedelta(minutes=2))
            profiler = cProfile.Profile(time.process_time) if profile else None
            with CaptureQueriesContext(connection) as queries:
                cpu, wall = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                fired = sweep(now=now)
                if profiler:
                    profiler.disable()
                out["cpu_ms"] = (time.process_time() - cpu) * 1000
                out["wall_ms"] = (time.perf_counter() - wall) * 1000
            out["fired"] = fired
            out["queries"] = len(queries.captured_queries)
            if capture:
                out["by_kind"] = Counter(kind_of(q["sql"]) for q in queries.captured_queries).most_common()
            if profiler:
                text = io.StringIO()
                order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
                pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(40)
                out["top"] = text.getvalue()
            raise _Rollback
    except _Rollback:
        pass
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions (CPU clock)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection

    from complaintdesk.clocks.sweep import sweep

    one_run(min(args.due, 10))  # warm: imports, the policy parsed, connection open
    runs = [one_run(args.due, capture=(i == 0)) for i in range(args.runs)]
    fired = runs[0]["fired"]
    empty_wall, empty_cpu = [], []
    for _ in range(30):
        cpu, wall = time.process_time(), time.perf_counter()
        sweep()
        empty_cpu.append((time.process_time() - cpu) * 1000)
        empty_wall.append((time.perf_counter() - wall) * 1000)
    cpu_ms = statistics.median(r["cpu_ms"] for r in runs)
    wall_ms = statistics.median(r["wall_ms"] for r in runs)
    result: dict[str, Any] = {
        "database": connection.vendor, "fired": fired, "runs": args.runs, "load_average": os.getloadavg(),
        "queries": runs[0]["queries"], "queries_per_fired_clock": round(runs[0]["queries"] / max(fired, 1), 2),
        "by_kind": runs[0]["by_kind"],
        "cpu_ms_median": round(cpu_ms, 1), "cpu_ms_per_fired_clock": round(cpu_ms / max(fired, 1), 2),
        "wall_ms_median": round(wall_ms, 1), "wall_ms_per_fired_clock": round(wall_ms / max(fired, 1), 2),
        "empty": {"wall_p95_ms": round(sorted(empty_wall)[int(0.95 * (len(empty_wall) - 1))], 2),
                  "cpu_mean_ms": round(statistics.mean(empty_cpu), 2)},
    }
    if args.profile:
        result["top"] = one_run(args.due, profile=True)["top"]
    top = result.pop("top", None)
    print(json.dumps(result, indent=1, default=str))
    if top:
        print(top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
