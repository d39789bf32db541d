"""A small HTTP receiver on loopback for tests of outbound HTTP (SMS gateway, webhooks): it records
every request and answers with the status codes it is told to, in order."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Sink:
    url: str
    statuses: list[int] = field(default_factory=list)  # answers to give, in order; then 200
    requests: list[Received] = field(default_factory=list)


@contextmanager
def http_sink(statuses: list[int] | None = None) -> Iterator[Sink]:
    sink = Sink(url="", statuses=list(statuses or []))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with lock:
                sink.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status = sink.statuses.pop(0) if sink.statuses else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if 300 <= status < 400:  # moved: a GET of /moved answers 200
                self.send_header("Location", "/moved")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "refused"}')

        def do_GET(self) -> None:
            with lock:
                sink.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, b""))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
