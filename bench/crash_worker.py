"""Crash test of the task worker: SIGKILL it again and again under a stream of registrations.

    .venv/bin/python bench/crash_worker.py [--kills 100] [--database sqlite|postgres]

A fresh database (SQLite in bench/results/crash/, or PostgreSQL `complaintdesk_crash`) with the
phone-maker preset. This process registers complaints one after another through the registration
service (a complaint counts as *acknowledged to the caller* once the service returned), each customer
reachable by e-mail only, so that the acknowledgement goes out by SMTP to a real SMTP server on
loopback run by this script. Meanwhile ``complaintdesk worker`` is started and, as soon as it has
delivered an acknowledgement, killed with SIGKILL a random 0–0.3 s later (in the middle of its
work), ``--kills`` times; its task lease is 2 s. Then one last worker drains what is left. The figures:

- acknowledged complaints lost: registered, but no acknowledgement e-mail ever arrived;
- acknowledgements doubled: complaints whose acknowledgement arrived more than once.

Not part of the test suite (it takes minutes); the figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "results" / "crash"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    random.seed(args.seed)

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="complaintdesk.settings", PYTHONPATH=str(ROOT / "src"),
               COMPLAINTDESK_VAR_DIR=str(WORK / "var"), COMPLAINTDESK_LOG_LEVEL="WARNING",
               COMPLAINTDESK_TRANSPORT_EMAIL="smtp", COMPLAINTDESK_SMTP_HOST="127.0.0.1",
               COMPLAINTDESK_SMTP_PORT=str(port), COMPLAINTDESK_TASK_LEASE_SECONDS="2")
    if args.database == "postgres":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/complaintdesk_crash"
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "complaintdesk_crash"],
                       check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "complaintdesk_crash"], check=True)
    os.environ.update(env)
    cli = [sys.executable, "-m", "complaintdesk"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([*cli, "policy", "install", "phone_maker"], env=env, check=True, capture_output=True)
    subprocess.run([*cli, "user", "create", "agent", "--role", "agent"], check=True, capture_output=True,
                   env={**env, "COMPLAINTDESK_PASSWORD": "crash-test-password-1"})

    # the customers' mail server: counts every acknowledgement by complaint number
    from aiosmtpd.controller import Controller

    received: Counter[str] = Counter()
    number = re.compile(r"[A-Z]{2,}-\d{8}-\d{4,}")

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            text = envelope.content.decode("utf-8", "replace")
            found = number.search(text)
            received[found.group(0) if found else "?"] += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()

    import django

    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    from complaintdesk.accounts.models import User
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    agent = User.objects.get(username="agent")
    acknowledged: list[str] = []
    stop = threading.Event()

    def register_stream() -> None:
        index = 0
        while not stop.is_set():
            index += 1
            data = ComplaintIn(**{
                "customer": {"first_name": "Test", "last_name": f"Customer{index}",
                             "email": f"customer{index}@example.com", "language": "en"},
                "product": {"model": "Reno 8 Pro", "imei": "490154203237518", "build_number": "A.21",
                            "purchase_date": "2026-03-01"},
                "channel": "hotline", "category": "product", "targets": ["product"],
                "reason_codes": ["product_quality", "software"], "reason": "Calls drop after the update",
                "description": "Since the last update calls drop after about one minute.",
                "customer_request": "Fix within one week",
                "facts": {"fault_scenario": "Calls drop", "troubleshooting": "Reset", "repair_history": "None"},
            }).to_input()
            try:
                acknowledged.append(complaint_register(actor=agent, data=data).number)
            except Exception as exc:
                print(f"registration failed (not counted): {exc}", file=sys.stderr)
            time.sleep(0.2)

    stream = threading.Thread(target=register_stream, daemon=True)
    stream.start()
    started = time.monotonic()
    for kill in range(args.kills):
        worker = subprocess.Popen([*cli, "worker", "--sweep-interval", "3600"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # kill it while it delivers: once an acknowledgement from it arrived, a random moment later
        before = sum(received.values())
        waited = time.monotonic() + 30
        while sum(received.values()) == before and time.monotonic() < waited and worker.poll() is None:
            time.sleep(0.02)
        time.sleep(random.uniform(0, 0.3))  # a random moment, not a secret
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        if (kill + 1) % 10 == 0:
            print(f"{kill + 1} kills, {len(acknowledged)} complaints registered, "
                  f"{sum(received.values())} acknowledgements received", flush=True)
    stop.set()
    stream.join()

    # drain: one worker runs until every acknowledged complaint's message has left (or 15 minutes pass)
    from complaintdesk.notify.models import Message

    last = subprocess.Popen([*cli, "worker", "--sweep-interval", "3600"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        pending = Message.objects.filter(complaint__number__in=acknowledged, kind="acknowledgement",
                                         status="queued").count()
        if not pending and all(received[n] for n in acknowledged):
            break
        time.sleep(1)
    last.send_signal(signal.SIGTERM)
    last.wait(timeout=30)
    controller.stop()

    lost = [n for n in acknowledged if received[n] == 0]
    doubled = [n for n in acknowledged if received[n] > 1]
    elapsed = time.monotonic() - started
    print(f"database: {args.database}; worker killed with SIGKILL {args.kills} times in {elapsed:.0f} s")
    print(f"complaints registered and acknowledged to the caller: {len(acknowledged)}")
    print(f"acknowledgement e-mails received: {sum(received.values())}")
    print(f"acknowledged complaints lost: {len(lost)} {lost[:10]}")
    print(f"acknowledgements doubled: {len(doubled)} {doubled[:10]}")
    return 0 if not lost else 1


if __name__ == "__main__":
    raise SystemExit(main())
