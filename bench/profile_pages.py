"""The profile of the queue pages, the list page and the list API: queries, SQL time, wall and CPU time.

    DATABASE_URL=postgres://…/cd_bench .venv/bin/python bench/profile_pages.py [--repeat 30] [--only overdue,api_open]

Uses the database as it is (load it first with bench/generate.py). Reads only: the pages are requested
through Django's test client with signed-cookie sessions and without the last-login update, so that
signing in writes nothing (the lead's 1,000,000 database may be read, never written). Each page is
requested as the user the bench uses for it (``gen-agent-01``, an agent of the active organisation;
the department inbox as ``--handler``, a department handler, if there is one — ``--create-handler``
makes one in a database you own). Prints one JSON object, per page:

- ``status`` and ``queries``: the HTTP status and the SQL of one request (``CaptureQueriesContext``),
  counted, with the database time Django measured for them (``--sql`` adds the statements);
- ``wall_ms`` / ``cpu_ms``: p50 and p95 over ``--repeat`` requests; CPU is the process's
  (``time.process_time``), which the machine's load does not inflate; wall − CPU is waiting (mostly
  for PostgreSQL, which shares the cores);
- ``top_own_cumulative``: the project's functions with the most cumulative CPU time under cProfile
  (``--top`` of them), and ``top_self``: all functions by their own time.

The load average is printed before and after: put it next to any wall-time figure.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share / 100 * (len(ordered) - 1)))]


def pages(level: str) -> list[tuple[str, str, str]]:
    """(name, URL, which user) for every page measured."""
    return [
        ("overdue", "/complaints/queues/overdue/", "agent"),
        ("mine", "/complaints/queues/mine/", "agent"),
        ("soon", "/complaints/queues/soon/", "agent"),
        ("level", f"/complaints/queues/level-{level}/", "agent"),
        ("inbox", "/work-orders/", "handler"),
        ("list", "/complaints/", "agent"),
        ("api_list", "/api/v1/complaints?page_size=50", "agent"),
        ("api_open", "/api/v1/complaints?status=open&page_size=25", "agent"),
    ]


def handler_user(username: str, create: bool) -> Any:
    """The department handler for the inbox: ``username`` if it exists, else (``create``) a handler
    in the department with the most open work orders, else None."""
    from django.db.models import Count

    from complaintdesk.accounts.models import User
    from complaintdesk.accounts.services import user_create
    from complaintdesk.complaints.models import WorkOrder
    from complaintdesk.policy.schema import Role

    user = User.objects.filter(username=username).first()
    if user is not None or not create:
        return user
    busiest = (WorkOrder.objects.filter(status="open").values("department_id").annotate(n=Count("id"))
               .order_by("-n").first())
    user_create(actor=None, username=username, password="bench-password-01", roles=[Role.HANDLER])
    user = User.objects.get(username=username)
    if busiest is not None:
        User.objects.filter(pk=user.pk).update(department_id=busiest["department_id"])
        user.refresh_from_db()
    return user


def lines(report: str, top: int) -> list[str]:
    kept = [line.strip().replace(str(ROOT) + "/", "") for line in report.splitlines() if "/" in line or "{" in line]
    return kept[:top]


def measure(client: Any, url: str, repeat: int, top: int, with_sql: bool) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> int:
        return int(client.get(url).status_code)

    for _ in range(3):  # warm: imports, the policy cache, the template cache, the connection
        get()
    timings: list[float] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(time.perf_counter() - start)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
        status = get()
    sql = [q["sql"] for q in captured.captured_queries]
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        get()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for _ in range(min(repeat, 10)):
        get()
    profile.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    # the project's own functions by cumulative time (the middleware chain left out: it wraps everything)
    stats.sort_stats("cumulative").print_stats(r"src/complaintdesk/(?!security/|accounts/preferences)", top)
    own = stream.getvalue()
    stream.seek(0)
    stream.truncate()
    stats.sort_stats("tottime").print_stats(top)
    out: dict[str, Any] = {
        "url": url, "status": status,
        "queries": {"count": len(sql), "db_ms": round(sum(timings) * 1000, 1)},
        "wall_ms": {"p50": round(statistics.median(walls), 1), "p95": round(percentile(walls, 95), 1)},
        "cpu_ms": {"p50": round(statistics.median(cpus), 1), "p95": round(percentile(cpus, 95), 1)},
        "top_own_cumulative": lines(own, top),
        "top_self": lines(stream.getvalue(), top),
    }
    if with_sql:
        out["sql"] = [f"{ms * 1000:.1f} ms  {text}" for ms, text in zip(timings, sql, strict=False)]
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--agent", default="gen-agent-01")
    parser.add_argument("--handler", default="gen-handler-01")
    parser.add_argument("--create-handler", action="store_true", help="create --handler if missing (writes)")
    parser.add_argument("--level", default="", help="the level queue's code (default: the policy's lowest level)")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--sql", action="store_true", help="print each page's statements")
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import translation

    from complaintdesk.accounts.models import User
    from complaintdesk.core.policies import active_policy

    # signing in writes nothing: no session row, no last_login
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    override = override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies")
    override.enable()
    _version, policy = active_policy()
    level = args.level or policy.levels_by_rank()[0].code
    users: dict[str, Callable[[], Any]] = {
        "agent": lambda: User.objects.filter(username=args.agent).first(),
        "handler": lambda: handler_user(args.handler, args.create_handler),
    }
    only = {name for name in args.only.split(",") if name}
    clients: dict[str, Any] = {}
    out: dict[str, Any] = {"database": connection.vendor, "name": connection.settings_dict["NAME"],
                           "load_before": os.getloadavg(), "pages": {}}
    with translation.override("zh-hans"):
        for name, url, who in pages(level):
            if only and name not in only:
                continue
            if who not in clients:
                user = users[who]()
                if user is None:
                    out["pages"][name] = {"url": url, "skipped": f"no {who} user (see --handler / --create-handler)"}
                    continue
                clients[who] = Client()
                clients[who].force_login(user)
            out["pages"][name] = measure(clients[who], url, args.repeat, args.top, args.sql)
    out["load_after"] = os.getloadavg()
    override.disable()
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
