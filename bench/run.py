"""Benchmarks of DESIGN.md §6 and issue 14, side by side with django-helpdesk, written to docs/performance.md.

    make bench                                  # = bench/run.py: PostgreSQL, 1,000,000 complaints (11–13 min here)
    .venv/bin/python bench/run.py --quick       # 100,000 complaints, shorter rounds (development)
    .venv/bin/python bench/run.py --database sqlite --no-peer [--complaints N]

Builds a fresh database (`complaintdesk_bench` on the PostgreSQL server at 127.0.0.1:5432, or a file
under bench/results/ for SQLite) and the peer's (`bench_peer`: django-helpdesk from PyPI in
bench/.peer-venv, bench/peer/), loads N complaints with bench/generate.py and N tickets into the peer,
then measures:

- server time through Django's test client (p50 / p95 over repetitions): the "overdue" and "mine"
  queue pages, the list page, the API list, Chinese and English search;
- the clock sweep with nothing due and with 100 clocks due;
- over HTTP, both sites served by gunicorn with the same number of sync workers and driven by the
  same wrk (bench/loadgen.py) in alternating rounds: registration over the REST API and the
  open-case list's first page — requests/s, p50 / p95, and the ratio ours / peer's;
- the web workers' memory (RSS) after the HTTP rounds.

Raw results go to bench/results/<database>-<N>.json; the table to docs/performance.md (between the
``bench:start`` / ``bench:end`` markers) with the date, commit, command and the machine's load.
CI never runs this.
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
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


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


def loaded_complaints() -> int:
    """How many complaints the PostgreSQL bench database holds (0 when there is none)."""
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "complaintdesk_bench", "-Atc",
                          "SELECT count(*) FROM complaints_complaint"], capture_output=True, text=True, check=False)
    return int(out.stdout.strip() or 0) if out.returncode == 0 else 0


def setup_environment(database: str, *, keep: bool = False) -> dict[str, str]:
    """The environment of the run; the bench database made anew unless ``keep`` (``--reuse``)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="complaintdesk.settings", PYTHONPATH=str(ROOT / "src"),
               COMPLAINTDESK_VAR_DIR=str(RESULTS / "var"), COMPLAINTDESK_LOG_LEVEL="WARNING")
    if database == "postgres":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/complaintdesk_bench"
    if database == "postgres" and not keep:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "complaintdesk_bench"],
                       check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "complaintdesk_bench"], check=True)
    elif database != "postgres":
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


def measure_pages(repeat: int = 60, username: str = "agent") -> dict[str, object]:
    from django.test import Client
    from django.utils import translation

    from complaintdesk.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
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


def load(n: int, presets: str) -> dict[str, Any]:
    """Migrate, then the realistic generator (bench/generate.py: COPY on PostgreSQL)."""
    import django

    django.setup()
    import generate as generator
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return generator.generate(n, presets=presets.split(","), active="phone_maker")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100,000 complaints, 10 s rounds: for development")
    parser.add_argument("--complaints", type=int, default=None, help="default 1,000,000 (100,000 with --quick)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--presets", default="all", help="presets the generator spreads complaints over")
    parser.add_argument("--http-seconds", type=float, default=None, help="seconds per wrk round (20; 10 quick)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per job")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers, ours and the peer's")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for registrations")
    parser.add_argument("--list-connections", type=int, default=8, help="wrk connections for the open list")
    parser.add_argument("--no-peer", action="store_true", help="skip django-helpdesk")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/performance.md")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the databases of an earlier run with the same count (ours and the peer's, "
                             "PostgreSQL): only the measurements run")
    args = parser.parse_args()
    count = args.complaints or (100_000 if args.quick else 1_000_000)
    seconds = args.http_seconds or (10 if args.quick else 20)
    started = time.time()
    load_before = os.getloadavg()
    keep = args.reuse and args.database == "postgres" and loaded_complaints() == count
    env = setup_environment(args.database, keep=keep)
    results: dict[str, Any] = {"database": args.database, "machine": f"{os.cpu_count()} cores",
                               "command": " ".join(["bench/run.py", *sys.argv[1:]]), "complaints": count}
    out = RESULTS / f"{args.database}-{count}.json"
    # a run that stops half-way keeps what it measured (and --reuse the figures of the load)
    partial = RESULTS / f"{args.database}-{count}.partial.json"
    earlier = json.loads(partial.read_text()) if keep and partial.exists() else {}

    def save() -> None:
        partial.write_text(json.dumps(results, indent=2, ensure_ascii=False))

    peer: dict[str, Any] | None = None
    # the peer's tickets load while ours do: its load is mostly the database server's COPY, ours mostly
    # the generator's Python, so on two cores the two overlap instead of adding up
    peer_loading: threading.Thread | None = None
    peer_failure: list[BaseException] = []
    if not args.no_peer:
        if args.database != "postgres":
            print("the peer runs on PostgreSQL only; --database sqlite measures ours alone", file=sys.stderr)
        else:
            from peer import peer as peer_site

            peer = peer_site.existing(count) if args.reuse else None
            if peer is None:
                print(f"peer: django-helpdesk, {count:,} tickets (beside ours) …", file=sys.stderr)

                def load_peer() -> None:
                    nonlocal peer
                    try:
                        peer = peer_site.prepare(count)
                    except BaseException as error:  # re-raised by the main thread after ours are loaded
                        peer_failure.append(error)
                        return
                    results["peer_load"] = {k: v for k, v in peer.items() if k != "token"}

                peer_loading = threading.Thread(target=load_peer, name="peer-load")
                peer_loading.start()
            else:
                print(f"peer: the {count:,} tickets already loaded", file=sys.stderr)
                shown = {k: v for k, v in peer.items() if k != "token"}
                results["peer_load"] = {**earlier.get("peer_load", {}), **shown}
                save()
    if keep:
        print(f"ours: the {count:,} complaints already loaded", file=sys.stderr)
        import django

        django.setup()
        results["generate"] = {**earlier.get("generate", {}), "reused": True}
    else:
        print(f"ours: {count:,} complaints …", file=sys.stderr)
        results["generate"] = load(count, args.presets)
    if peer_loading is not None:
        peer_loading.join()
        if peer_failure:
            raise peer_failure[0]
    save()
    results["pages"] = measure_pages(username="gen-agent-01")
    results["sweep"] = measure_sweep()
    save()
    from complaintdesk.accounts.services import token_create

    _token, clear = token_create(actor=None, username="gen-agent-01")
    import http_jobs

    results["http"] = http_jobs.run_jobs(env=env, our_token=clear, peer=peer, workers=args.workers, seconds=seconds,
                                         connections=args.connections, list_connections=args.list_connections,
                                         rounds=args.rounds)
    results["load_average"] = {"before": [round(x, 2) for x in load_before],
                               "after": [round(x, 2) for x in os.getloadavg()]}
    results["minutes"] = round((time.time() - started) / 60, 1)
    import doc_table

    results["measured_at"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime(started))
    results["commit"] = doc_table._commit()
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    save()
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(doc_table.render(results))
    if not args.no_doc:
        doc_table.write(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
