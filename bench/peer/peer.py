"""The peer inside the bench: django-helpdesk from PyPI, in its own virtualenv, on the same PostgreSQL.

    python bench/peer/peer.py --count N            # install (once), load N tickets, print the token
    python bench/peer/peer.py --count N --serve    # …then serve it on 127.0.0.1:8766 until Ctrl-C

``bench/run.py --peer`` uses :func:`prepare` and :func:`serve`. The virtualenv is ``bench/.peer-venv``
(git-ignored), built from ``bench/peer/requirements.txt`` (django-helpdesk 2.6.1 and its dependencies,
pinned). The site is ``bench/peer/peerproject`` — our own minimal settings and URLs for it. The
database is ``bench_peer`` (dropped and created afresh).

Its public create path is the REST API, ``POST /api/tickets/`` (DRF ``TicketViewSet``: it validates
through helpdesk's ``TicketForm``, saves the ticket and its "Ticket Opened" follow-up and renders the
acknowledgement e-mail); its open-case list is ``GET /api/tickets/?status=1,2`` (Open, Reopened; 25
a page).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import venv
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
VENV = HERE.parent / ".peer-venv"
REQUIREMENTS = HERE / "requirements.txt"
DATABASE = "bench_peer"
# gunicorn's worker timeout, the same for ours (bench/http_jobs.py): the peer's open list takes longer
# than gunicorn's default 30 s at 1,000,000 tickets, and a killed worker would answer nothing at all
WORKER_TIMEOUT = 600
PG = ["-h", "127.0.0.1", "-U", "postgres"]


def python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> None:
    """Create bench/.peer-venv and install the pinned requirements, unless already done for this file."""
    stamp = VENV / ".installed"
    if stamp.exists() and stamp.read_text() == REQUIREMENTS.read_text():
        return
    if not python().exists():
        venv.create(VENV, with_pip=True)
    # the peer's own environment: with ours (PYTHONPATH=src) pip would see complaintdesk's metadata and
    # print a dependency "ERROR" about packages the peer's virtualenv was never meant to have
    subprocess.run([str(python()), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=True,
                   env=environment())
    stamp.write_text(REQUIREMENTS.read_text())


def version() -> str:
    out = subprocess.run([str(python()), "-c", "import importlib.metadata as m; print(m.version('django-helpdesk'))"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH",
                                                                          "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="peerproject.settings", PYTHONPATH=str(HERE),
               PEER_DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}")
    return env


def prepare(count: int) -> dict[str, Any]:
    """A fresh peer database with ``count`` tickets; returns the load's figures and the API token."""
    ensure_venv()
    subprocess.run(["dropdb", *PG, "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", *PG, DATABASE], check=True)
    out = subprocess.run([str(python()), str(HERE / "load.py"), "--count", str(count)], check=True,
                         env=environment(), stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["version"] = version()
    return result


def serve(port: int, workers: int) -> subprocess.Popen[bytes]:
    """gunicorn serving the peer (sync workers, as ours), started; the caller waits for it and stops it."""
    return subprocess.Popen([str(VENV / "bin" / "gunicorn"), "peerproject.wsgi:application", "--bind",
                             f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", str(WORKER_TIMEOUT),
                             "--log-level", "warning"], env=environment(), cwd=HERE)


def existing(count: int) -> dict[str, Any] | None:
    """The figures of a peer database already loaded with ``count`` tickets (``bench/run.py --reuse``),
    or None when there is none: its API token, its queue and the number of tickets."""
    query = ("SELECT (SELECT count(*) FROM helpdesk_ticket), (SELECT key FROM authtoken_token ORDER BY created "
             "LIMIT 1), (SELECT min(id) FROM helpdesk_queue)")
    out = subprocess.run(["psql", *PG, "-d", DATABASE, "-Atc", query], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return None
    tickets, token, queue = out.stdout.strip().split("|")
    if int(tickets or 0) != count or not token or not queue:
        return None
    ensure_venv()
    return {"token": token, "queue": int(queue), "tickets": count, "reused": True, "version": version()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    print(json.dumps(prepare(args.count)))
    if args.serve:
        server = serve(8766, args.workers)
        try:
            server.wait()
        except KeyboardInterrupt:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
