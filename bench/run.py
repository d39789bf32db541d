"""Benchmarks of DESIGN.md §6, written to docs/performance.md.

    .venv/bin/python bench/run.py [--complaints N] [--database sqlite|postgres] [--http-seconds S]

Builds a fresh database in bench/results/ (SQLite) or `complaintdesk_bench` (PostgreSQL), loads the
phone-maker preset, generates N complaints with clocks and timelines by bulk insert (the generator
is itself measured: rows per second), then measures, each with many repetitions and reporting p50 /
p95 of server time:

- registration over HTTP: gunicorn (2 workers) on loopback, concurrent clients posting valid
  registrations (throughput and latency);
- the "overdue" queue page and the API list, rendered by the Django test client (server time);
- the clock sweep with 100 due clocks among N (and with none due);
- Chinese search of a 2-character and a 3+-character term, English search;
- peak memory (RSS) of a web worker after the HTTP run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "src"))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(function: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        out.append((time.perf_counter() - start) * 1000)
    return out


def setup_environment(database: str) -> dict[str, str]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="complaintdesk.settings", PYTHONPATH=str(ROOT / "src"),
               COMPLAINTDESK_VAR_DIR=str(RESULTS / "var"), COMPLAINTDESK_LOG_LEVEL="WARNING")
    if database == "postgres":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/complaintdesk_bench"
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "complaintdesk_bench"],
                       check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "complaintdesk_bench"], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            path = RESULTS / "var" / f"complaintdesk.sqlite3{suffix}"
            if path.exists():
                path.unlink()
    os.environ.update(env)
    return env


def generate(n: int) -> dict[str, float]:
    """Bulk-insert N complaints with customers, products, clocks and a timeline entry each."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from complaintdesk.accounts.models import User
    from complaintdesk.accounts.services import user_create
    from complaintdesk.clocks.models import Clock
    from complaintdesk.complaints.models import Complaint, Customer, Product, TimelineEntry
    from complaintdesk.core.policies import policy_install
    from complaintdesk.policy.load import load_preset
    from complaintdesk.policy.schema import Role

    call_command("migrate", verbosity=0)
    version = policy_install(actor=None, loaded=load_preset("phone_maker"))
    for role in ("agent", "specialist", "supervisor", "admin"):
        if not User.objects.filter(username=role).exists():
            user_create(actor=None, username=role, password="bench-password", roles=[Role(role)])
    agent = User.objects.get(username="agent")
    rng = random.Random(1)
    words_zh = ["退款", "屏幕", "电池鼓包", "维修时间太长", "服务态度差", "发票", "换机", "漏液", "充电发烫", "客服"]
    words_en = ["refund", "screen", "battery", "repair delay", "rude agent", "invoice", "replacement"]
    categories = ["product", "dealer", "sc_repair_duration", "service_attitude", "other_service"]
    levels = ["general"] * 8 + ["major", "crisis"]
    statuses = ["registered", "accepted", "in_progress", "in_progress", "resolved", "closed", "closed", "closed"]
    now = timezone.now()
    batch = 5000
    start = time.perf_counter()
    rows = 0
    for offset in range(0, n, batch):
        size = min(batch, n - offset)
        with transaction.atomic():
            customers = Customer.objects.bulk_create([
                Customer(last_name=f"客户{offset + i}", phone=f"+86138{(offset + i) % 100000000:08d}", created_at=now,
                         language="zh-hans") for i in range(size)])
            products = Product.objects.bulk_create([
                Product(customer=customers[i], model=rng.choice(["R9s", "A57", "Find X5"]),
                        imei=f"35{offset + i:013d}"[:15]) for i in range(size)])
            complaints = []
            for i in range(size):
                number = offset + i
                registered = now - timedelta(minutes=rng.randint(0, 60 * 24 * 400))
                text = f"{rng.choice(words_zh)} {rng.choice(words_en)} {rng.choice(words_zh)}"
                status = rng.choice(statuses)
                complaints.append(Complaint(
                    number=f"TS-B-{number:08d}", policy_version=version, customer=customers[i], product=products[i],
                    channel="hotline", category=rng.choice(categories), level=rng.choice(levels),
                    suggested_level="general", targets=["product"], primary_target="product",
                    reason_codes=["product_quality", "hardware"], reason=text, description=text,
                    customer_request="-", facts={}, complete=True, status=status, owner=agent,
                    registered_by=agent, received_at=registered, registered_at=registered,
                    reply_due_at=registered + timedelta(hours=24), search_text=text, updated_at=registered,
                    language="zh-hans"))
            complaints = Complaint.objects.bulk_create(complaints)
            TimelineEntry.objects.bulk_create([
                TimelineEntry(complaint=c, at=c.registered_at, kind="registered", actor=agent,
                              data={"channel": "hotline"}) for c in complaints])
            clocks = []
            for c in complaints:
                if c.status in {"closed", "resolved"}:
                    clocks.append(Clock(complaint=c, code="first_reply", status="stopped", started_at=c.registered_at,
                                        due_at=c.registered_at + timedelta(hours=24), stopped_at=c.registered_at))
                else:
                    due = c.registered_at + timedelta(hours=24)
                    # open complaints' clocks already fired long ago; they are not due for the sweep
                    clocks.append(Clock(complaint=c, code="first_reply", status="running", started_at=c.registered_at,
                                        due_at=due, breached_at=due if due < now else None, warned_at=due,
                                        next_fire_at=None if due < now else due))
            Clock.objects.bulk_create(clocks)
        rows += size * 5
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum / a DBA would keep them
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - start
    return {"complaints": n, "rows": rows, "seconds": round(seconds, 1), "rows_per_second": round(rows / seconds)}


def measure_pages(repeat: int = 60) -> dict[str, object]:
    from django.test import Client
    from django.utils import translation

    from complaintdesk.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="agent"))
    out: dict[str, object] = {}
    with translation.override("zh-hans"):
        for name, url in (("queue_overdue_page", "/complaints/queues/overdue/"),
                          ("queue_mine_page", "/complaints/queues/mine/"),
                          ("list_page", "/complaints/"),
                          ("api_list", "/api/v1/complaints?page_size=50"),
                          ("search_zh_2", "/api/v1/complaints?q=退款"),
                          ("search_zh_4", "/api/v1/complaints?q=电池鼓包"),
                          ("search_en", "/api/v1/complaints?q=refund"),
                          ("search_zh_rare", "/api/v1/complaints?q=冒烟起火"),
                          ("search_zh_rare_1char", "/api/v1/complaints?q=炸")):
            client.get(url)  # warm caches
            values = timed(lambda url=url: client.get(url), repeat if "search" not in name else max(10, repeat // 4))
            out[name] = {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(percentile(values, 95), 1)}
    return out


def measure_sweep() -> dict[str, object]:
    from django.utils import timezone

    from complaintdesk.clocks.models import Clock
    from complaintdesk.clocks.sweep import sweep

    empty = timed(lambda: sweep(), 30)
    now = timezone.now()
    ids = list(Clock.objects.filter(status="running").values_list("id", flat=True)[:100])
    Clock.objects.filter(id__in=ids).update(next_fire_at=now - timedelta(minutes=1), due_at=now - timedelta(minutes=1),
                                            breached_at=None, warned_at=now)
    start = time.perf_counter()
    fired = sweep()
    with_due = (time.perf_counter() - start) * 1000
    return {"nothing_due_p95_ms": round(percentile(empty, 95), 1), "hundred_due_ms": round(with_due, 1),
            "fired": fired}


def measure_http(env: dict[str, str], seconds: float, clients: int) -> dict[str, object]:
    from complaintdesk.accounts.services import token_create

    _token, clear = token_create(actor=None, username="agent")
    port = 8765
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "complaintdesk.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"], env=env)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        deadline = time.monotonic() + seconds

        def client(index: int) -> None:
            rng = random.Random(index)
            while time.monotonic() < deadline:
                body = json.dumps({
                    "customer": {"last_name": "李", "phone": f"139{rng.randint(10000000, 99999999)}"},
                    "channel": "hotline", "category": "other_service", "targets": ["cc"],
                    "reason_codes": ["service", "attitude"], "reason": "服务态度差", "description": "坐席挂断电话",
                    "customer_request": "道歉",
                    "facts": {"parties_involved": "CC", "incident_time": "2026-11-01 10:00", "what_happened": "挂机"},
                }).encode()
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/complaints", data=body, method="POST",
                                                 headers={"Authorization": f"Bearer {clear}",
                                                          "Content-Type": "application/json"})
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                        ok = response.status == 201
                except OSError:
                    ok = False
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors[0] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        begin = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - begin
        rss = _worker_rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"clients": clients, "registrations": len(latencies), "errors": errors[0],
            "per_second": round(len(latencies) / wall, 1) if latencies else 0,
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
            "worker_rss_mb": rss}


def _worker_rss(master: int) -> float | None:
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        pids = [int(p) for p in children.read_text().split()]
    except OSError:
        return None
    values = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                values.append(int(line.split()[1]) / 1024)
    return round(max(values), 1) if values else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--http-seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    env = setup_environment(args.database)
    results: dict[str, object] = {"database": args.database, "machine": f"{os.cpu_count()} cores"}
    results["generate"] = generate(args.complaints)
    results["pages"] = measure_pages()
    results["sweep"] = measure_sweep()
    results["http_register"] = measure_http(env, args.http_seconds, args.clients)
    out = RESULTS / f"{args.database}-{args.complaints}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
