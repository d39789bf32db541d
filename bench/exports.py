"""A large export of the complaint list, as a user gets it: CSV and Excel of about N rows.

    DATABASE_URL=postgres://…/cd_bench1m .venv/bin/python bench/exports.py [--rows 100000] [--as USERNAME]

Uses the database as it is (``bench/generate.py`` first). Picks the complaint list's "registered
from" date that gives at least ``--rows`` complaints up to today, records the export as the user's
button does past ``COMPLAINTDESK_EXPORT_STREAM_LIMIT`` rows (``export_job_start``: an export job,
its audit event and its task), then runs the job's writer in this process
(``export_job_run``: the rows streamed from the database in chunks, the progress saved every
``CHUNK`` rows, the file written under ``<var>/exports/``) and times it. Prints one JSON object: per
format the rows, seconds, rows per second, the file's size and how many progress updates the page
polling the job could have seen. The jobs and files are left as a user's would be.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--as", dest="username", default="vp",
                        help="the user exporting (default: vp, whom bench/reports.py creates)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    from complaintdesk.accounts.models import User
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.core.policies import active_policy
    from complaintdesk.reports.exports import CHUNK, list_filters
    from complaintdesk.reports.models import ExportJob
    from complaintdesk.reports.services.exports import export_directory, export_job_run, export_job_start

    user = User.objects.filter(username=args.username).first()
    if user is None:
        raise SystemExit(f"no user {args.username!r} to export as: pass --as USERNAME")
    _version, policy = active_policy()
    zone = ZoneInfo(policy.timezone)
    today = timezone.now().astimezone(zone).date()
    # the first day back from today at which the list holds at least --rows complaints
    per_day = dict(Complaint.objects.filter(registered_at__gte=timezone.now() - timedelta(days=800))
                   .annotate(day=TruncDate("registered_at", tzinfo=zone)).values("day")
                   .annotate(n=Count("id")).values_list("day", "n"))
    start, total = today, 0
    while total < args.rows and start > today - timedelta(days=800):
        total += per_day.get(start, 0)
        if total < args.rows:
            start -= timedelta(days=1)
    params = {"from": start.isoformat(), "to": today.isoformat()}
    list_filters(params)  # the same reading as the list page
    out: dict[str, Any] = {"database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                           "as": user.username, "filters": params, "list_rows": total,
                           "stream_limit": settings.COMPLAINTDESK_EXPORT_STREAM_LIMIT,
                           "load_average": list(os.getloadavg())}
    for fmt in ("csv", "xlsx"):
        job = export_job_start(actor=user, source="complaints", params=params, fmt=fmt, language="zh-hans",
                               total=total)
        started_cpu, started = time.process_time(), time.perf_counter()
        state = export_job_run(job_id=job.pk)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - started_cpu
        job = ExportJob.objects.get(pk=job.pk)
        path = export_directory() / job.file_name if job.file_name else None
        out[fmt] = {"state": state, "rows": job.done, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                    "rows_per_second": round(job.done / seconds) if seconds else 0,
                    "bytes": path.stat().st_size if path and path.exists() else 0,
                    "progress_updates": job.done // CHUNK + 1}
    out["load_average_after"] = list(os.getloadavg())
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
