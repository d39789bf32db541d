"""Benchmark of the reports (DESIGN.md §6: one month's statistics and the dashboard ≤ 300 ms).

    .venv/bin/python bench/reports.py [--complaints N] [--database sqlite|postgres] [--name DB]
    DATABASE_URL=… .venv/bin/python bench/generate.py --count 1000000 --migrate   # then:
    .venv/bin/python bench/reports.py --database postgres --name DB --reuse --generated \\
        [--no-exports]

Loads N complaints with the harness of bench/run.py (phone-maker preset, registrations spread over
400 days, a clock each), adds what the reports read besides complaints — a root cause on resolved
and closed complaints, a work order for one complaint in five, a return visit for each closed one,
budget entries for one in twenty — (or, with ``--reuse --generated``, takes a database made by
bench/generate.py and adds root causes and budget entries), builds the daily summary the reports
read (decision 0009) and times a refresh after 200 changed complaints, then times, with a warm-up
and repetitions (p50 / p95):

- the monthly statistics selector for last month (every dimension, clocks, satisfaction, cost);
- ``GET /api/v1/reports/monthly`` and ``monthly.xlsx`` through the Django test client;
- the dashboard selector for the default twelve weeks and the ``/dashboard/`` page;
- the SLA report;
- the export of the whole complaint list as CSV and as Excel (once each, streamed to the end).

Results go to bench/results/reports-<database>-<N>.json and standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import generate, percentile, timed  # noqa: E402 (the harness sits next to this file)


def environment(database: str, name: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    var = RESULTS / f"var-{name}"
    os.environ.update(DJANGO_SETTINGS_MODULE="complaintdesk.settings", COMPLAINTDESK_VAR_DIR=str(var),
                      COMPLAINTDESK_LOG_LEVEL="WARNING")
    if database == "postgres":
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            path = var / f"complaintdesk.sqlite3{suffix}"
            if path.exists():
                path.unlink()


def enrich(*, generated: bool = False) -> dict[str, float]:
    """What the reports read besides complaints and clocks, by bulk statements. ``generated``: the
    database comes from bench/generate.py, which writes work orders and return visits itself, so
    only root causes and budget entries are added."""
    from django.db import connection, transaction
    from django.utils import timezone

    from complaintdesk.accounts.models import Department, User
    from complaintdesk.complaints.models import Complaint, WorkOrder
    from complaintdesk.followup.models import ReturnVisit
    from complaintdesk.resolutions.models import BudgetEntry

    start = time.perf_counter()
    rng = random.Random(2)
    agent = User.objects.filter(username="agent").first() or User.objects.order_by("pk").first()
    departments = list(Department.objects.all()) or [Department.objects.create(code="service_centre",
                                                                                name_zh="服务中心",
                                                                                name_en="Service centre")]
    causes = {"product": ["product_quality", "hardware", "battery"], "dealer": ["sales", "dealer_conduct"],
              "sc_repair_duration": ["service", "repair", "duration"], "service_attitude": ["service", "attitude"],
              "other_service": ["service", "policy"]}
    with transaction.atomic():
        for category, path in causes.items():
            Complaint.objects.filter(status__in=["resolved", "closed"], category=category).update(root_cause=path)
    now = timezone.now()
    batch = 5000
    ids = Complaint.objects.values_list("id", "registered_at", "status").order_by("id").iterator(chunk_size=batch)
    orders: list[WorkOrder] = []
    visits: list[ReturnVisit] = []
    ledger: list[BudgetEntry] = []
    counts = {"work_orders": 0, "return_visits": 0, "budget_entries": 0}

    def flush() -> None:
        with transaction.atomic():
            WorkOrder.objects.bulk_create(orders)
            ReturnVisit.objects.bulk_create(visits)
            BudgetEntry.objects.bulk_create(ledger)
        counts["work_orders"] += len(orders)
        counts["return_visits"] += len(visits)
        counts["budget_entries"] += len(ledger)
        orders.clear()
        visits.clear()
        ledger.clear()

    for pk, registered, status in ids:
        if pk % 5 == 0 and not generated:
            due = registered + timedelta(hours=48)
            replied = registered + timedelta(hours=rng.randint(2, 72)) if status in {"resolved", "closed"} else None
            orders.append(WorkOrder(complaint_id=pk, number=f"WO-B-{pk}", department=rng.choice(departments),
                                    request="-", status="answered" if replied else "open", created_by=agent,
                                    created_at=registered, due_at=due, replied_at=replied))
        if status == "closed" and not generated:
            done = registered + timedelta(days=rng.randint(1, 10))
            satisfaction = rng.choice(["satisfied", "satisfied", "general", "dissatisfied"])
            visits.append(ReturnVisit(complaint_id=pk, opened_at=registered, due_at=done, state="done",
                                      result="answered", satisfaction=satisfaction, completed_at=min(done, now),
                                      score={"satisfied": 5, "general": 3, "dissatisfied": 1}[satisfaction]))
        if pk % 20 == 0:
            at = registered + timedelta(days=1)
            ledger.append(BudgetEntry(complaint_id=pk, kind=rng.choice(["gift", "spare_part", "money"]),
                                      amount=Decimal(rng.randint(1000, 90000)) / 100, currency="CNY", counts=True,
                                      month=at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m"), at=at))
        if len(orders) + len(visits) + len(ledger) >= batch:
            flush()
    flush()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {**counts, "seconds": round(time.perf_counter() - start, 1)}


def summarise() -> dict[str, float]:
    """Build the daily summary (decision 0009) as the worker would, then time a pass that
    recomputes the days of 200 complaints changed since (what a busy hour leaves)."""
    from django.db import transaction
    from django.utils import timezone

    from complaintdesk.complaints.models import Complaint
    from complaintdesk.reports.services.summary import summary_refresh

    start = time.perf_counter()
    days = summary_refresh(now=timezone.now())
    built = time.perf_counter() - start
    picked = list(Complaint.objects.order_by("?").values_list("pk", flat=True)[:200])
    with transaction.atomic():
        for pk in picked:  # one statement per complaint, as services save them
            Complaint.objects.filter(pk=pk).update(level="serious")
    start = time.perf_counter()
    redone = summary_refresh(now=timezone.now())
    return {"days": days, "build_seconds": round(built, 1), "changed_complaints": len(picked),
            "days_recomputed": redone, "refresh_seconds": round(time.perf_counter() - start, 2)}


def _stat(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(percentile(values, 95), 1)}


def measure(repeat: int, *, skip_exports: bool = False, month_code: str = "",
            dashboard_to: str = "") -> dict[str, object]:
    from zoneinfo import ZoneInfo

    from django.test import Client
    from django.utils import timezone, translation

    import complaintdesk.wsgi  # noqa: F401 (after django.setup(); the application as gunicorn loads it, frozen)
    from complaintdesk.accounts.models import User
    from complaintdesk.accounts.services import user_create
    from complaintdesk.core.policies import active_policy
    from complaintdesk.policy.schema import Role
    from complaintdesk.reports.periods import month_of
    from complaintdesk.reports.selectors.dashboard import dashboard, parse_filters
    from complaintdesk.reports.selectors.monthly import monthly_statistics
    from complaintdesk.reports.selectors.sla import sla_report

    _version, policy = active_policy()
    tz = ZoneInfo(policy.timezone)
    from complaintdesk.reports.periods import parse_month

    current = month_of(timezone.now(), tz)
    month = parse_month(month_code, tz) if month_code else current.previous()
    if not User.objects.filter(username="vp").exists():
        user_create(actor=None, username="vp", password="bench-password", roles=[Role.VP])
    client = Client()
    client.force_login(User.objects.get(username="vp"))
    out: dict[str, object] = {"month": month.code}
    with translation.override("zh-hans"):
        stats = monthly_statistics(policy, month, language="zh-hans")
        out["month_opened"] = stats["totals"]["opened"]
        period = {"to": dashboard_to} if dashboard_to else {}
        filters = parse_filters(period, policy, timezone.now())
        page = "/dashboard/" + (f"?to={dashboard_to}" if dashboard_to else "")
        cases = {
            "monthly_selector": lambda: monthly_statistics(policy, month, language="zh-hans"),
            "monthly_api": lambda: client.get(f"/api/v1/reports/monthly?month={month.code}"),
            "monthly_xlsx": lambda: client.get(f"/api/v1/reports/monthly.xlsx?month={month.code}"),
            "sla_selector": lambda: sla_report(policy, month, language="zh-hans"),
            "dashboard_selector": lambda: dashboard(policy, filters, now=timezone.now(), language="zh-hans"),
            "dashboard_page": lambda: client.get(page),
        }
        if not month_code:  # today read live, the rest of the month stored
            cases["monthly_selector_current_month"] = lambda: monthly_statistics(policy, current, language="zh-hans")
        for name, case in cases.items():
            case()  # warm-up
            out[name] = _stat(timed(case, repeat))
        # the whole complaint list exported once, streamed to the end (what a browser downloads)
        for fmt in (() if skip_exports else ("csv", "xlsx")):
            start = time.perf_counter()
            response = client.get(f"/exports/complaints.{fmt}")
            size = sum(len(chunk) for chunk in response.streaming_content)
            out[f"export_all_{fmt}"] = {"rows": stats_rows(), "seconds": round(time.perf_counter() - start, 1),
                                        "bytes": size}
    return out


def stats_rows() -> int:
    from complaintdesk.complaints.models import Complaint

    return Complaint.objects.count()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--name", default="complaintdesk_bench_reports", help="PostgreSQL database to create")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is (no load)")
    parser.add_argument("--generated", action="store_true",
                        help="with --reuse: a database made by bench/generate.py; add root causes and budget "
                             "entries, migrate, build the daily summary, then measure")
    parser.add_argument("--no-exports", action="store_true", help="skip the whole-list exports")
    parser.add_argument("--no-summary", action="store_true", help="with --reuse: measure the summary as it is")
    parser.add_argument("--month", default="", help="the month to measure (default: last month)")
    parser.add_argument("--dashboard-to", default="", help="the dashboard's last day (default: today)")
    args = parser.parse_args()
    if args.reuse:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")
        if args.database == "postgres":
            os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.name}"
        else:
            os.environ["COMPLAINTDESK_VAR_DIR"] = str(RESULTS / f"var-{args.name}")
        import django

        django.setup()
        results: dict[str, object] = {"database": args.database, "machine": f"{os.cpu_count()} cores"}
        if args.generated:
            from django.core.management import call_command

            results["enrich"] = enrich(generated=True)
            call_command("migrate", verbosity=0)
        results["complaints"] = stats_rows()
        if not args.no_summary:
            results["summary"] = summarise()
    else:
        environment(args.database, args.name)
        results = {"database": args.database, "machine": f"{os.cpu_count()} cores"}
        results["generate"] = generate(args.complaints)
        results["enrich"] = enrich()
        results["summary"] = summarise()
    results["reports"] = measure(args.repeat, skip_exports=args.no_exports, month_code=args.month,
                                 dashboard_to=args.dashboard_to)
    label = f"-{args.month}" if args.month else ""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"reports-{args.database}-{results.get('complaints', args.complaints)}{label}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
