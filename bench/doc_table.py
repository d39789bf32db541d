"""The table bench/run.py writes into docs/performance.md: each figure, its target, the peer's figure
and the ratio, with the date, commit, command and the machine's load."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import http_jobs

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def _page(results: dict[str, Any], name: str) -> str:
    page = results.get("pages", {}).get(name)
    return f"p50 {page['p50_ms']} ms, p95 **{page['p95_ms']} ms**" if page else "—"


def _http(figure: dict[str, Any], seconds: float = 0) -> str:
    if not figure:
        return "—"
    if not figure["requests"]:
        return f"**none completed** in {seconds:g} s (each took longer)"
    p50 = figure["p50_ms"]
    span = f"{p50[0]}–{p50[1]}" if p50[0] != p50[1] else f"{p50[0]}"
    errors = f", {figure['errors']} errors" if figure["errors"] else ""
    cpu = figure.get("worker_cpu_ms_per_request")
    cpu_text = f"; web worker CPU {cpu} ms a request" if cpu else ""
    return f"**{figure['per_second']:,}/s**, p50 {span} ms, p95 {figure['p95_ms']} ms{errors}{cpu_text}"


def rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(measure, ours, target, peer, ratio) for each figure."""
    out: list[tuple[str, str, str, str, str]] = []
    jobs = results.get("http", {}).get("jobs", {})
    for job, label, target in (("register", "register over the REST API", "≥ 4× the peer, p95 ≤ 100 ms"),
                               ("open_list", "open-case list, first page (REST)", "")):
        sides = jobs.get(job, {})
        ours, peer = http_jobs.summary(sides.get("ours", [])), http_jobs.summary(sides.get("peer", []))
        peer_seconds = sum(r["seconds"] for r in sides.get("peer", []))
        if ours and peer and peer["per_second"]:
            ratio = f"**{ours['per_second'] / peer['per_second']:.2f}×**"
        elif ours and peer and not peer["requests"] and peer_seconds:
            ratio = f"**> {ours['per_second'] * peer_seconds:,.0f}×**"  # had one request ended in that time
        else:
            ratio = "—"
        out.append((label, _http(ours), target, _http(peer, peer_seconds), ratio))
    for name, label, target in (("queue_overdue_page", '"overdue" queue page', "p95 ≤ 20 ms"),
                                ("queue_mine_page", '"mine" queue page', "p95 ≤ 20 ms"),
                                ("list_page", "complaint list page", "p95 ≤ 20 ms"),
                                ("api_list", "API list (50 rows)", "p95 ≤ 20 ms"),
                                ("search_zh_2", 'search, Chinese 2 chars ("退款")', "≤ 50 ms"),
                                ("search_zh_4", 'search, Chinese 4 chars ("电池鼓包")', "≤ 50 ms"),
                                ("search_zh_rare", "search, rare 4 chars (no match)", "≤ 50 ms"),
                                ("search_en", 'search, English ("refund")', "")):
        out.append((label, _page(results, name), target, "", ""))
    sweep = results.get("sweep", {})
    if sweep:
        fired = sweep.get("fired") or 0
        per = f", {sweep['hundred_due_ms'] / fired:.1f} ms a clock" if fired else ""
        out.append(("clock sweep, nothing due", f"p95 **{sweep['nothing_due_p95_ms']} ms**", "≤ 5 ms", "", ""))
        out.append((f"clock sweep, {fired} due", f"**{sweep['hundred_due_ms']:,} ms**{per}", "≤ 1 ms a clock", "",
                    ""))
    gen = results.get("generate", {})
    if gen.get("reused") and "rows_per_second" not in gen:
        out.append(("data generator (COPY)", "not measured: `--reuse` kept an earlier run's data", "", "", ""))
    elif gen:
        peer_load = results.get("peer_load", {})
        out.append(("data generator (COPY)",
                    f"**{gen['rows_per_second']:,} rows/s** ({gen['rows']:,} rows in {gen['seconds']:,} s; "
                    f"{gen['complaints_per_second']:,} complaints/s)", "1,000,000 complaints in minutes",
                    f"{peer_load['rows_per_second']:,} rows/s (2 rows a ticket)" if peer_load else "", ""))
    http = results.get("http", {})
    if http.get("ours_worker_rss_mb"):
        peer_rss = http.get("peer_worker_rss_mb")
        out.append(("web worker memory (RSS after the HTTP rounds)", f"{http['ours_worker_rss_mb']} MB", "≤ 120 MB",
                    f"{peer_rss} MB" if peer_rss else "", ""))
    return out


def render(results: dict[str, Any]) -> str:
    http = results.get("http", {})
    peer = results.get("peer_load", {})
    load = results.get("load_average", {})
    jobs = http.get("jobs", {})
    loadgen_share = max((http_jobs.summary(rounds).get("loadgen_cpu_share", 0) for sides in jobs.values()
                         for rounds in sides.values()), default=0)
    head = [
        f"Measured {results.get('measured_at') or f'{datetime.now(UTC):%Y-%m-%d %H:%M}'} UTC, "
        f"commit `{results.get('commit') or _commit()}`, {results.get('machine', '')}, "
        f"{results['database']}, **N = {results['complaints']:,}** complaints"
        + (f" (and {peer.get('tickets', 0):,} tickets in django-helpdesk {peer.get('version', '')})" if peer else "")
        + f"; `{results['command']}` ({results.get('minutes', '?')} min). Load average before "
        f"{load.get('before', ['?'])[0]}, after {load.get('after', ['?'])[0]} (one-minute averages: 'before' is "
        "the machine as the bench found it, 'after' includes the bench's own servers and load generator).",
        "",
        f"HTTP: gunicorn, {http.get('workers', '?')} {http.get('worker_model', 'sync')} workers each; wrk, "
        f"{http.get('rounds', '?')} alternating rounds of {http.get('seconds', '?')} s per job and side; wrk used at "
        f"most {loadgen_share:.0%} of one core (it is not the bottleneck).",
        "",
        "| measure | complaintdesk | target | django-helpdesk | ratio |",
        "|---|---|---|---|---|",
    ]
    body = [f"| {' | '.join(row)} |" for row in rows(results)]
    return "\n".join(head + body)


def write(results: dict[str, Any]) -> None:
    """Replace the table between the markers in docs/performance.md (or put it after the title)."""
    text = DOC.read_text()
    block = f"{START}\n{render(results)}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        title, _, rest = text.partition("\n")
        text = f"{title}\n\n{block}\n{rest}"
    DOC.write_text(text)


if __name__ == "__main__":  # re-render the table from a saved result: python bench/doc_table.py bench/results/X.json
    import json
    import sys

    write(json.loads(Path(sys.argv[1]).read_text()))
    print(render(json.loads(Path(sys.argv[1]).read_text())))
