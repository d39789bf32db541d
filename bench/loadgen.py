"""One HTTP load generator for both sides of the bench: Debian's ``wrk`` with a Lua script.

:func:`drive` runs wrk against one URL (GET, or POST with a JSON body in which ``{n}`` becomes a
random 8-digit number on every request, so each registration is a new customer) and returns
requests/s, p50/p95/p99 latency in ms, the errors, and the CPU wrk itself used (to show the load
generator is not the bottleneck: it used a small share of one core).
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

LUA = r"""
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
wrk.method = "%(method)s"
%(headers)s
local template = %(body)s
request = function()
  if template == "" then return wrk.format() end
  local body = template:gsub("{n}", function() return tostring(math.random(10000000, 99999999)) end)
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%%d,"duration_us":%%d,"status_errors":%%d,"connect_errors":%%d,' ..
    '"read_errors":%%d,"write_errors":%%d,"timeouts":%%d,"p50_us":%%d,"p95_us":%%d,"p99_us":%%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def drive(url: str, *, seconds: float, connections: int, headers: dict[str, str], body: str = "",
          threads: int = 2) -> dict[str, Any]:
    """Run wrk for ``seconds`` with ``connections`` open connections; POST when ``body`` is given."""
    if not available():
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    all_headers = dict(headers)
    if body:
        all_headers.setdefault("Content-Type", "application/json")
    script = LUA % {
        "method": "POST" if body else "GET",
        "headers": "\n".join(f"wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in all_headers.items()),
        "body": _lua_string(body),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
        path = Path(handle.name)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        out = subprocess.run(["wrk", "-t", str(min(threads, connections)), "-c", str(connections), "-d",
                              f"{max(1, round(seconds))}s", "--timeout", "30s", "-s", str(path), url],
                             check=True, capture_output=True, text=True)
    finally:
        path.unlink()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [line for line in out.stdout.splitlines() if line.startswith("WRKJSON ")]
    if not lines:
        raise RuntimeError(f"wrk gave no figures: {out.stdout[-2000:]} {out.stderr[-2000:]}")
    line = lines[0]
    raw = json.loads(line.removeprefix("WRKJSON "))
    wall = raw["duration_us"] / 1e6
    errors = raw["status_errors"] + raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    good = max(0, raw["requests"] - raw["status_errors"])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "url": url, "connections": connections, "seconds": round(wall, 1), "requests": raw["requests"],
        "errors": errors, "per_second": round(good / wall, 1) if wall else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1), "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1), "loadgen_cpu_share": round(cpu / wall, 3) if wall else None,
    }
