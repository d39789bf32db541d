"""Queries per page: how many SQL queries the benchmark's pages issue, to compare two trees.

    .venv/bin/python bench/query_counts.py [--complaints N]

Builds the harness database (SQLite, under bench/results/) with N complaints as ``bench/run.py``
does, then, as an agent and as a supervisor, requests each page twice and counts the queries of the
second request (Django's ``CaptureQueriesContext``). Prints one JSON object: page → [status, queries].
Run it in two checkouts and compare the outputs; a refactoring that changes no query gives the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as harness  # bench/run.py, on the path above

PAGES = ("/complaints/queues/overdue/", "/complaints/queues/mine/", "/complaints/", "/api/v1/complaints?page_size=50",
         "/api/v1/complaints?q=退款", "/complaints/{number}/", "/api/v1/complaints/{number}", "/supervision/",
         "/work-orders/", "/notices/")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=2000)
    args = parser.parse_args()
    harness.setup_environment("sqlite")
    harness.generate(args.complaints)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from complaintdesk.accounts.models import User
    from complaintdesk.complaints.models import Complaint

    number = Complaint.objects.exclude(status="closed").order_by("number").values_list("number", flat=True).first()
    counts: dict[str, list[int]] = {}
    for username in ("agent", "supervisor"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        with translation.override("zh-hans"):
            for page in PAGES:
                url = page.format(number=number)
                client.get(url)  # warm caches
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                counts[f"{username} {page}"] = [response.status_code, len(queries.captured_queries)]
    print(json.dumps(counts, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
