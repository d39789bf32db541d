"""Run with the peer's own virtualenv: migrate the peer's database and load N tickets.

    bench/.peer-venv/bin/python bench/peer/load.py --count N

Creates a staff user with a DRF token and one queue, then loads N tickets with COPY (the same share
open as our generator: 2–5 %, here 3.5 %; the rest resolved or closed), each with one follow-up as
helpdesk writes on creation. Prints one JSON line: the token, the queue's id, the rows and rows/s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerproject.settings")

TITLES = ["屏幕闪烁", "电池鼓包", "退款未到账", "维修时间太长", "Screen flickers", "Refund not received",
          "服务态度差", "发票开错", "Battery swelling", "Repair takes too long"]
BODIES = ["客户来电反映手机屏幕在充电时闪烁，要求换机。", "The customer says the repair has taken three weeks.",
          "顾客退款两周仍未到账，情绪激动。", "Invoice carries the wrong company name; customer asks for a new one."]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--batch", type=int, default=20_000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from helpdesk.models import FollowUp, Queue, Ticket
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True, "email": "bench@example.com"})
    token, _created = Token.objects.get_or_create(user=user)
    queue, _created = Queue.objects.get_or_create(slug="complaints", defaults={
        "title": "Complaints", "allow_public_submission": False, "allow_email_submission": False})
    rng = random.Random(14)
    now = datetime.now(UTC)
    start = time.perf_counter()
    ticket_table, follow_table = Ticket._meta.db_table, FollowUp._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {ticket_table}")  # noqa: S608 - model table name
        first_id = cursor.fetchone()[0] + 1
    done = 0
    while done < args.count:
        size = min(args.batch, args.count - done)
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            tickets = (f"COPY {ticket_table} (id, title, queue_id, created, modified, submitter_email, status, "
                       "on_hold, description, resolution, priority, secret_key) FROM STDIN")
            follows = f"COPY {follow_table} (ticket_id, date, title, comment, public, user_id) FROM STDIN"
            rows = []
            with raw.copy(tickets) as copy:
                for i in range(size):
                    pk = first_id + done + i
                    created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 400))
                    status = 1 if rng.random() < 0.035 else rng.choice((3, 4, 4))
                    title = rng.choice(TITLES)
                    email = f"c{rng.randint(1, args.count // 3 + 1)}@example.com"  # repeat submitters
                    copy.write_row((pk, title, queue.pk, created, created, email, status, False, rng.choice(BODIES),
                                    "" if status == 1 else "已处理", rng.randint(1, 5), secrets.token_hex(18)))
                    rows.append((pk, created, title))
            with raw.copy(follows) as copy:
                for pk, created, title in rows:
                    copy.write_row((pk, created, "Ticket Opened", title, True, user.pk))
        done += size
        print(f"\rpeer tickets {done:,}/{args.count:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{ticket_table}', 'id'), "  # noqa: S608
                       f"(SELECT MAX(id) FROM {ticket_table}))")
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - start
    print(json.dumps({"token": token.key, "queue": queue.pk, "tickets": args.count, "rows": args.count * 2,
                      "seconds": round(seconds, 1), "rows_per_second": round(args.count * 2 / max(seconds, 1e-9))}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
