"""The two jobs measured side by side over HTTP: register over the REST API and the open-case list's
first page, on our gunicorn and the peer's (same worker count, same sync worker model), driven by the
same ``wrk`` (bench/loadgen.py) in the same run, alternating rounds so that both see the same load of
the machine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import loadgen
from peer import peer as peer_site

HERE = Path(__file__).resolve().parent
OURS_PORT, PEER_PORT = 8765, 8766

OUR_REGISTRATION = json.dumps({
    "customer": {"last_name": "李", "phone": "139{n}"},
    "channel": "hotline", "category": "other_service", "targets": ["cc"],
    "reason_codes": ["service", "attitude"], "reason": "服务态度差", "description": "坐席挂断电话",
    "customer_request": "道歉",
    "facts": {"parties_involved": "CC", "incident_time": "2026-11-01 10:00", "what_happened": "挂机"},
}, ensure_ascii=False)


def peer_ticket(queue: int) -> str:
    return json.dumps({"queue": queue, "title": "服务态度差", "description": "坐席挂断电话；客户要求道歉。",
                       "submitter_email": "c{n}@example.com", "priority": 3}, ensure_ascii=False)


def wait_until_up(url: str, headers: dict[str, str], seconds: float = 60, *, any_answer: bool = False) -> None:
    """Until ``url`` answers (with ``any_answer``, an error status counts: the server is up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            if any_answer:
                return
            time.sleep(0.3)
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def serve_ours(env: dict[str, str], workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "complaintdesk.wsgi:application", "--bind",
                             f"127.0.0.1:{OURS_PORT}", "--workers", str(workers), "--timeout",
                             str(peer_site.WORKER_TIMEOUT), "--log-level", "warning"], env=env)


def worker_rss(master: int) -> float | None:
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


def server_cpu_seconds(master: int) -> float:
    """User + system CPU time used so far by the workers of a gunicorn master (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        pids = [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15)
    return total


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop a gunicorn at once (SIGINT: its quick shutdown; SIGTERM would let a worker finish a request
    that takes minutes)."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def run_jobs(*, env: dict[str, str], our_token: str, peer: dict[str, Any] | None, workers: int, seconds: float,
             connections: int, list_connections: int, rounds: int) -> dict[str, Any]:
    """Each job, each round: ours then the peer's. Returns per side and job the rounds' figures."""
    ours_headers = {"Authorization": f"Bearer {our_token}"}
    ours = serve_ours(env, workers)
    peer_server = peer_site.serve(PEER_PORT, workers) if peer else None
    peer_headers = {"Authorization": f"Token {peer['token']}"} if peer else {}
    jobs: dict[str, dict[str, Any]] = {
        "register": {
            "ours": (f"http://127.0.0.1:{OURS_PORT}/api/v1/complaints", ours_headers, OUR_REGISTRATION),
            "peer": (f"http://127.0.0.1:{PEER_PORT}/api/tickets/", peer_headers,
                     peer_ticket(peer["queue"]) if peer else ""),
        },
        "open_list": {
            "ours": (f"http://127.0.0.1:{OURS_PORT}/api/v1/complaints?status=open&page_size=25", ours_headers, ""),
            "peer": (f"http://127.0.0.1:{PEER_PORT}/api/tickets/?status=1,2", peer_headers, ""),
        },
    }
    out: dict[str, Any] = {"workers": workers, "worker_model": "sync", "seconds": seconds, "rounds": rounds,
                           "jobs": {}}
    # the peer is up when it answers at all: its open list takes minutes at 1,000,000 tickets
    peer_alive = f"http://127.0.0.1:{PEER_PORT}/bench-alive/"
    peer_rss: list[float] = []
    try:
        wait_until_up(f"http://127.0.0.1:{OURS_PORT}/api/v1/complaints?page_size=1", ours_headers)
        if peer_server is not None:
            wait_until_up(peer_alive, {}, 120, any_answer=True)
        for job, sides in jobs.items():
            figures: dict[str, list[dict[str, Any]]] = {"ours": [], "peer": []}
            for _round in range(rounds):
                for side in ("ours", "peer"):
                    if side == "peer" and peer_server is None:
                        continue
                    url, headers, body = sides[side]
                    master = ours.pid if side == "ours" else peer_server.pid  # type: ignore[union-attr]
                    cpu = server_cpu_seconds(master)
                    figure = loadgen.drive(url, seconds=seconds, headers=headers, body=body,
                                           connections=connections if body else list_connections)
                    cpu = server_cpu_seconds(master) - cpu
                    # CPU of the web workers per completed request: what the load of the machine does not change
                    figure["worker_cpu_ms_per_request"] = (round(cpu * 1000 / figure["requests"], 1)
                                                           if figure["requests"] else None)
                    figures[side].append(figure)
                    if side == "peer" and peer_server is not None:
                        peer_rss.append(worker_rss(peer_server.pid) or 0.0)
                    if side == "peer" and peer_server is not None and not body:
                        # its workers may still be computing lists wrk gave up on (seconds each at
                        # 100,000, minutes at 1,000,000): they would take the processors from our next
                        # round. Restarted (gunicorn logs the requests it drops).
                        stop(peer_server)
                        peer_server = peer_site.serve(PEER_PORT, workers)
                        wait_until_up(peer_alive, {}, 120, any_answer=True)
            out["jobs"][job] = figures
        out["ours_worker_rss_mb"] = worker_rss(ours.pid)
        # the peer's, measured after each of its rounds (it is restarted after each)
        out["peer_worker_rss_mb"] = max(peer_rss) if peer_rss else None
    finally:
        for server in (ours, peer_server):
            if server is not None:
                stop(server)
    return out


def summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds of one side and job: requests/s summed over rounds, worst p95 and the p50 range."""
    if not rounds:
        return {}
    seconds = sum(r["seconds"] for r in rounds)
    good = sum(r["per_second"] * r["seconds"] for r in rounds)
    return {"per_second": round(good / seconds, 1) if seconds else 0.0,
            "p50_ms": [min(r["p50_ms"] for r in rounds), max(r["p50_ms"] for r in rounds)],
            "p95_ms": max(r["p95_ms"] for r in rounds), "errors": sum(r["errors"] for r in rounds),
            "requests": sum(r["requests"] for r in rounds),
            "loadgen_cpu_share": max(r["loadgen_cpu_share"] or 0 for r in rounds),
            "worker_cpu_ms_per_request": _cpu_per_request(rounds)}


def _cpu_per_request(rounds: list[dict[str, Any]]) -> float | None:
    known = [r for r in rounds if r.get("worker_cpu_ms_per_request") is not None]
    requests = sum(r["requests"] for r in known)
    if not requests:
        return None
    return round(sum(r["worker_cpu_ms_per_request"] * r["requests"] for r in known) / requests, 1)
