"""The web workers' memory after a mix of requests, without the rest of the bench.

    .venv/bin/python bench/worker_memory.py [--requests 400] [--workers 4]

Serves the PostgreSQL bench database (``complaintdesk_bench``, loaded by ``bench/run.py``) with
gunicorn as ``bench/run.py`` does (``http_jobs.serve_ours``), sends registrations over the REST API and
first pages of the open list alternately, one at a time, and prints the largest worker's RSS
(``http_jobs.worker_rss``). Used to compare two trees quickly (docs/performance.md, "Worker memory").
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    env = dict(os.environ, DATABASE_URL="postgres://postgres@127.0.0.1:5432/complaintdesk_bench",
               COMPLAINTDESK_VAR_DIR=str(ROOT / "bench" / "results" / "var"),
               DJANGO_SETTINGS_MODULE="complaintdesk.settings", PYTHONPATH=str(ROOT / "src"),
               COMPLAINTDESK_LOG_LEVEL="WARNING")
    os.environ.update(env)
    import django

    django.setup()
    import http_jobs

    from complaintdesk.accounts.services import token_create

    _token, clear = token_create(actor=None, username="gen-agent-01")
    headers = {"Authorization": f"Bearer {clear}"}
    base = f"http://127.0.0.1:{http_jobs.OURS_PORT}"
    server = http_jobs.serve_ours(env, args.workers)
    try:
        http_jobs.wait_until_up(f"{base}/api/v1/complaints?page_size=1", headers)
        # our own server on loopback (S310: the URLs are http://127.0.0.1 only)
        listing = f"{base}/api/v1/complaints?status=open&page_size=25"
        for index in range(args.requests):
            if index % 2:
                request = urllib.request.Request(listing, headers=headers)  # noqa: S310
            else:
                body = http_jobs.OUR_REGISTRATION.replace("{n}", str(random.randint(10_000_000, 99_999_999)))
                request = urllib.request.Request(f"{base}/api/v1/complaints", data=body.encode(),  # noqa: S310
                                                 headers={**headers, "Content-Type": "application/json"})
            with urllib.request.urlopen(request) as response:  # noqa: S310
                response.read()
        print(f"largest web worker after {args.requests} requests: {http_jobs.worker_rss(server.pid)} MB RSS")
    finally:
        http_jobs.stop(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
