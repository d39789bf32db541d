"""Where an import's processor time goes: ``complaints_import`` run in this process on PostgreSQL,
with the CPU of each part counted a row — the writing process (and, with ``--threads``, each of its
threads: the main one writes, the pool's result thread unpickles the validated rows), the validating
workers, and the database server's backend (read from /proc, so the server must run on this
machine) — and, with ``--gc``, the garbage collections of the writing process and what they cost.

    .venv/bin/python bench/import_cpu.py --rows 20000 [--jobs 1] [--batch 1000] [--threads] [--gc]
                                         [--src PATH] [--sql STATEMENT ...] [--into NAME --file PATH]

Each run starts from a new database copied from a template (``cd_import_cpu_template``: migrated,
the phone-maker preset, a user ``importer``; made on the first run), so runs are alike. ``--src``
imports the code of another checkout (``git worktree add /tmp/base REV``) for before/after series
run alternately: on a shared machine identical runs differ by up to 25 % (docs/performance.md).
``--sql`` runs statements in the new database before the import (a schema as it was before a change:
an index dropped since, the triggers' earlier form), for the same kind of series. ``--into`` imports
into an existing database made from the template (``createdb -T cd_import_cpu_template NAME``, grown
by earlier imports: how a row's cost grows with the tables), ``--file`` a register of your own (rows
whose contacts are new to that database).
"""

from __future__ import annotations

import argparse
import csv
import gc
import glob
import inspect
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE, DATABASE = "cd_import_cpu_template", "cd_import_cpu"


def psql(command: str, database: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", command], check=True,
                   stderr=subprocess.DEVNULL)


def template(src: Path, var: Path) -> None:
    found = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
                            f"SELECT 1 FROM pg_database WHERE datname = '{TEMPLATE}'"],  # noqa: S608 (a constant)
                           capture_output=True, text=True, check=True).stdout.strip()
    env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{TEMPLATE}",
               COMPLAINTDESK_VAR_DIR=str(var), COMPLAINTDESK_PASSWORD="bench-password-1", PYTHONPATH=str(src))
    steps = [["migrate"]]  # a template made by an earlier checkout gets the migrations added since
    if not found:
        psql(f'CREATE DATABASE "{TEMPLATE}"')
        steps += [["policy", "install", "phone_maker"], ["user", "create", "importer", "--role", "agent"]]
    for step in steps:
        subprocess.run([sys.executable, "-m", "complaintdesk", *step], env=env, check=True, capture_output=True)


def register(rows: int) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from registerkit import HEADINGS, good_row

    path = Path(tempfile.gettempdir()) / f"cd-import-cpu-{rows}.csv"  # kept for the next run
    if not path.exists():
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADINGS)
            writer.writerows(good_row(index) for index in range(rows))
    return path


def seconds_of(stat: str) -> float:
    fields = Path(stat).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=None, help="validating processes (default: the command's)")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--threads", action="store_true", help="the writing process's CPU by thread")
    parser.add_argument("--gc", action="store_true", help="the writing process's garbage collections")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the checkout's src directory to import")
    parser.add_argument("--sql", action="append", default=[], help="a statement run in the new database first")
    parser.add_argument("--into", help="an existing database made from the template, imported into as it is")
    parser.add_argument("--file", type=Path, help="the register to import (default: --rows generated rows)")
    args = parser.parse_args()
    var = Path(tempfile.gettempdir()) / "cd-import-cpu-var"  # the template's keys: the same every run
    template(args.src, var)
    source = args.file or register(args.rows)
    database = args.into or DATABASE
    if not args.into:
        psql(f'DROP DATABASE IF EXISTS "{database}"')
        psql(f'CREATE DATABASE "{database}" TEMPLATE "{TEMPLATE}"')
    for statement in args.sql:
        psql(statement, database)
    os.environ.update(COMPLAINTDESK_VAR_DIR=str(var), DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
                      DJANGO_SETTINGS_MODULE="complaintdesk.settings")
    sys.path.insert(0, str(args.src))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from complaintdesk.integrations.import_pool import validating_jobs
    from complaintdesk.integrations.importer import complaints_import

    actor = get_user_model().objects.get(username="importer")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = f"/proc/{cursor.fetchone()[0]}/stat"
    threads: dict[str, float] = {}
    done = threading.Event()

    def sample() -> None:  # each thread's CPU, read until the import ends (the pool's threads end with it)
        while not done.is_set():
            names = {t.native_id: t.name for t in threading.enumerate()}
            for stat in glob.glob(f"/proc/{os.getpid()}/task/*/stat"):
                name = names.get(int(stat.split("/")[-2]), "?")
                if name != "sampler":
                    try:
                        threads[name] = seconds_of(stat)
                    except OSError:
                        continue
            done.wait(0.2)

    collections: dict[int, list[float]] = {0: [0, 0.0], 1: [0, 0.0], 2: [0, 0.0]}
    started: dict[str, float] = {}

    def collected(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[threading.current_thread().name] = time.thread_time()
        else:
            record = collections[info["generation"]]
            record[0] += 1
            record[1] += time.thread_time() - started.pop(threading.current_thread().name, time.thread_time())

    if args.gc:
        gc.callbacks.append(collected)
    jobs = validating_jobs() if args.jobs is None else args.jobs
    before_threads = {}
    if args.threads:
        threading.Thread(target=sample, daemon=True, name="sampler").start()
        time.sleep(0.3)
        before_threads = dict(threads)
    server, mine, wall = seconds_of(backend), os.times(), time.monotonic()
    # again: an --into database may hold an earlier import of the same generated register (a --src
    # checkout older than the check has no such argument)
    again = {"again": True} if "again" in inspect.signature(complaints_import).parameters else {}
    result = complaints_import(actor=actor, path=source, jobs=jobs, batch=args.batch, **again)
    wall, ended, server = time.monotonic() - wall, os.times(), seconds_of(backend) - server
    done.set()
    rows = result.imported

    def per_row(value: float) -> str:
        return f"{value / rows * 1e6:.0f} µs"

    writer = ended.user + ended.system - mine.user - mine.system
    workers = ended.children_user + ended.children_system - mine.children_user - mine.children_system
    print(f"{rows:,} imported, {len(result.refused)} refused, {jobs} validating process(es), batches of "
          f"{args.batch}: {wall:.2f} s, {rows / wall:,.0f} rows/s | CPU a row: writing process {per_row(writer)}, "
          f"validating {per_row(workers)}, server {per_row(server)}, in all {per_row(writer + workers + server)}")
    for name, seconds in sorted(threads.items(), key=lambda item: -item[1]):
        print(f"  thread {name}: {per_row(seconds - before_threads.get(name, 0.0))}")
    if args.gc:
        for generation, (count, seconds) in collections.items():
            print(f"  collections of generation {generation}: {count:.0f}, {per_row(seconds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
