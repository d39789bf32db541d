"""Screenshots of the main pages for docs/screenshots/ (``make screenshots``).

Creates a demo database of its own in a temporary folder (``complaintdesk demo --no-serve`` with the
phone-maker preset, Chinese demo users), serves it on a free loopback port, and has Chromium
(Playwright, Debian's /usr/bin/chromium or $COMPLAINTDESK_CHROMIUM) sign in as the role that works on
each page and save it at 1440 and 390 px wide, in Chinese and English:

    docs/screenshots/<page>-<language>-<width>.png

Nothing leaves the machine; the temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
# the temporary demo users' password, new for each run
PASSWORD = secrets.token_urlsafe(12)
LANGUAGES = ("zh-hans", "en")
WIDTHS = {1440: 900, 390: 844}

# page name, who opens it (None: signed out), its path ("{complaint}": the first complaint of the list)
PAGES: list[tuple[str, str | None, str]] = [
    ("login", None, "/login/"),
    ("list", "specialist", "/complaints/"),
    ("new-queue", "agent", "/complaints/queues/new/"),
    ("complaint", "specialist", "/complaints/{complaint}/"),
    ("register", "agent", "/complaints/new/"),
    ("notices", "supervisor", "/notices/"),
    ("dashboard", "cs_head", "/dashboard/"),
    ("return-visits", "supervisor", "/return-visits/?state=due"),
    ("approvals", "supervisor", "/approvals/"),
    ("profile", "cs_head", "/profile/"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chromium() -> str:
    for candidate in (os.environ.get("COMPLAINTDESK_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("screenshots: Chromium is needed (apt-get install chromium fonts-noto-cjk)")


def _wait(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own loopback server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"screenshots: the server did not answer at {url}")


@contextmanager
def demo_server(command: str, python: str = sys.executable) -> Iterator[str]:
    """A fresh demo database in a temporary folder, served on a free port; yields the base URL."""
    with tempfile.TemporaryDirectory(prefix="complaintdesk-screens-") as folder:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(COMPLAINTDESK_VAR_DIR=folder, COMPLAINTDESK_DEMO_PASSWORD=PASSWORD)
        subprocess.run([command, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
        port = _free_port()
        # as the demo serves (complaintdesk/demo.py): gunicorn without the production settings
        env["DJANGO_SETTINGS_MODULE"] = "complaintdesk.settings"
        server = subprocess.Popen([python, "-m", "gunicorn", "complaintdesk.wsgi:application", "--bind",
                                   f"127.0.0.1:{port}", "--workers", "2"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/healthz")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def _signed_in(browser: Any, base: str, role: str | None, language: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]},
                                  locale="zh-CN" if language == "zh-hans" else "en-US", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30000)
    if role is not None:
        page.goto(f"{base}/login/")
        page.fill("#id_username", role)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
    # after signing in (which sets the user's own language): the language of this screenshot
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return page


def take(base: str, out: Path, only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(),
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                                   "--disable-background-networking", "--no-first-run"])
        complaint = ""
        for language in LANGUAGES:
            for width in WIDTHS:
                for name, role, path in PAGES:
                    if only and name not in only:
                        continue
                    page = _signed_in(browser, base, role, language, width)
                    if "{complaint}" in path and not complaint:
                        page.goto(f"{base}/complaints/")
                        complaint = page.locator("tr[data-number]").first.get_attribute("data-number") or ""
                    page.goto(base + path.format(complaint=complaint))
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{language}-{width}.png"
                    page.screenshot(path=str(target), full_page=False)
                    written.append(target)
                    page.context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--page", action="append", default=[], help="only these pages (repeatable)")
    parser.add_argument("--complaintdesk", default=str(Path(sys.executable).parent / "complaintdesk"),
                        help="the complaintdesk command of the environment to run")
    args = parser.parse_args(argv)
    with demo_server(args.complaintdesk) as base:
        written = take(base, args.out, set(args.page))
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
