"""Fixtures shared by the Django tests: an organisation (policy + one user per role), API clients,
a real SMTP server on loopback, and a real Chromium driven by Playwright.

The same suite runs on SQLite (default) and on PostgreSQL (``DATABASE_URL=postgres://…``).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Playwright's sync API keeps an event loop in the test thread; Django's ORM refuses to run in a
# thread with a running loop unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
from orgkit import Org, install_org, valid_registration  # noqa: E402 (after the environment is set)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_checkpoint(tmp_path: Path, monkeypatch: Any, settings: Any) -> None:
    """Each test's audit chain has its own checkpoint file (child processes inherit it)."""
    path = str(tmp_path / "audit.checkpoint")
    settings.COMPLAINTDESK_AUDIT_CHECKPOINT = path
    monkeypatch.setenv("COMPLAINTDESK_AUDIT_CHECKPOINT", path)


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Service-level tests read messages in English; requests still choose their own language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def org(db: Any) -> Org:
    return install_org()


@pytest.fixture
def org_tx(transactional_db: Any) -> Org:
    return install_org()


class Api:
    """A JSON client for /api/v1 with a bearer token."""

    def __init__(self, token: str, language: str = "en") -> None:
        from django.test import Client

        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": language}

    def _call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        kwargs: dict[str, Any] = {**self.headers, **headers}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)(f"/api/v1{path}", **kwargs)
        response.json_body = json.loads(response.content) if response.content else None
        return response

    def get(self, path: str, **headers: str) -> Any:
        return self._call("get", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self._call("post", path, body if body is not None else {}, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self._call("patch", path, body, **headers)


@pytest.fixture
def api(org: Org) -> Any:
    """api("agent", language="en") → an Api client authenticated as that role's user."""
    from complaintdesk.accounts.services import token_create

    def make(role: str = "agent", language: str = "en") -> Api:
        _token, clear = token_create(actor=None, username=org[role].username)
        return Api(clear, language)

    return make


@pytest.fixture
def registration() -> Any:
    return valid_registration


# --- a real SMTP server on loopback ------------------------------------------------------------


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[Any]


# aiosmtpd's ``mail.log`` speaks from the server's own thread, also after a test ended and pytest
# closed the stream it captured ("--- Logging error --- … I/O operation on closed file" in the
# suite's output); its records are the library's chatter (connection lost, EOF), not ours
logging.getLogger("mail.log").propagate = False
logging.getLogger("mail.log").addHandler(logging.NullHandler())  # not even the last-resort handler


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.COMPLAINTDESK_TRANSPORTS = {"sms": "console", "email": "smtp"}
    try:
        yield Mailbox("127.0.0.1", port, received)
    finally:
        controller.stop()


# --- the task worker as a real process ---------------------------------------------------------


def database_url_for_children() -> str:
    """A DATABASE_URL that points a child process at the test database."""
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def child_env() -> dict[str, str]:
    """Environment for a child process that must use the test database."""
    return dict(os.environ, DATABASE_URL=database_url_for_children(), PYTHONPATH=str(ROOT / "src"),
                DJANGO_SETTINGS_MODULE="complaintdesk.settings")


@pytest.fixture
def run_worker_process() -> Any:
    """Run ``complaintdesk worker --once`` in a child process against the test database."""

    def run(*extra: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, DATABASE_URL=database_url_for_children(), PYTHONPATH=str(ROOT / "src"),
                   DJANGO_SETTINGS_MODULE="complaintdesk.settings")
        return subprocess.run([sys.executable, "-m", "complaintdesk", "worker", "--once", *extra], env=env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    return run


# --- a real browser ------------------------------------------------------------------------------


def chromium_path() -> str | None:
    for candidate in (os.environ.get("COMPLAINTDESK_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (Debian package 'chromium')")
        pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
        yield instance
        instance.close()


@pytest.fixture
def page_for(browser: Any, live_server: Any, org_tx: Org) -> Iterator[Any]:
    """page_for("agent", "zh-hans") → a logged-in Playwright page in that language, on the complaint
    list (``start=`` another path: a test that begins elsewhere saves loading the list)."""
    contexts: list[Any] = []

    def make(role: str = "agent", language: str = "en", start: str = "/complaints/") -> Any:
        from django.conf import settings
        from django.test import Client

        from complaintdesk.accounts.models import User

        # signing in sets the pages' language from the user's profile
        User.objects.filter(username=role).update(language=language)
        # the tests run their own scripts in the page (axe-core, wait_for_function), which the pages'
        # Content-Security-Policy refuses; tests/security/test_browser_csp.py checks the policy itself
        context = browser.new_context(locale="zh-CN" if language.startswith("zh") else "en-US",
                                      viewport={"width": 1400, "height": 1000}, bypass_csp=True)
        # Signed in by a session made on the server side (Django's force_login), which saves the sign-in
        # form and the landing page on every test: signing in through the form in the browser is tested
        # by tests/complaints/test_browser_queues.py (each role lands on its own work) and
        # tests/security/test_browser_csp.py.
        client = Client()
        client.force_login(User.objects.get(username=role))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url},
                             {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url,
                              "httpOnly": True}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}{start}")
        page.base_url = live_server.url
        return page

    yield make
    for context in contexts:
        context.close()
