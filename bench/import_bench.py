"""Import benchmark: a fresh database, the phone-maker preset, an N-row register (.xlsx and .csv),
then ``complaintdesk import`` — validation only (--dry-run) and the full import — timed by the
command itself (rows read / seconds, reading the file included) — and the processor time the import
used (its own and its validating workers', without the database server's), which on a shared machine
says what dedicated cores would do; then ``complaintdesk audit verify`` over the chain the import
extended.

    .venv/bin/python bench/import_bench.py --rows 100000 [--database postgres] [--dbname NAME] [--format csv]
                                           [--jobs N]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--dbname", default="cd_import_bench", help="the PostgreSQL database (dropped and created)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="validating processes passed to the import (default: the command's, one fewer than "
                             "the processors, or one per processor for the dry run; 0: the importing process)")
    args = parser.parse_args()
    from registerkit import HEADINGS, good_row, write_xlsx

    work = Path(tempfile.mkdtemp(prefix="cd-import-bench-"))
    env = dict(os.environ, COMPLAINTDESK_VAR_DIR=str(work / "var"), COMPLAINTDESK_PASSWORD="bench-password-1",
               PYTHONPATH=str(ROOT / "src"))
    if args.database == "postgres":
        name = args.dbname
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'],
                       check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        env.pop("DATABASE_URL", None)
    cd = [sys.executable, "-m", "complaintdesk"]
    subprocess.run([*cd, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([*cd, "policy", "install", "phone_maker"], env=env, check=True, capture_output=True)
    subprocess.run([*cd, "user", "create", "importer", "--role", "agent"], env=env, check=True, capture_output=True)
    rows = [good_row(index) for index in range(args.rows)]
    source = work / f"register.{args.format}"
    if args.format == "xlsx":
        write_xlsx(source, HEADINGS, rows)
    else:
        with source.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADINGS)
            writer.writerows(rows)
    for label, extra in (("validation only (--dry-run)", ["--dry-run"]), ("full import", [])):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        jobs = ["--jobs", str(args.jobs)] if args.jobs is not None else []
        result = subprocess.run([*cd, "import", str(source), "--as", "importer", "--batch", str(args.batch), *jobs,
                                 *extra],
                                env=env, capture_output=True, text=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"{args.database} {args.format} {args.rows} rows, {label}: {result.stdout.strip()}; "
              f"import process CPU {cpu:.1f} s ({args.rows / cpu:,.0f} rows per CPU second, start-up included); "
              f"load average {os.getloadavg()[0]:.1f}")
        if result.returncode:
            print(result.stderr[-2000:], file=sys.stderr)
    verify = subprocess.run([*cd, "audit", "verify"], env=env, capture_output=True, text=True, check=False)
    print(f"audit verify: exit {verify.returncode}: {verify.stdout.strip()[-300:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
