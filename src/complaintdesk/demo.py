"""``complaintdesk demo``: a working organisation on the embedded database, served with its worker.

Idempotent: a second run keeps the data and the password. The demo password comes from
``COMPLAINTDESK_DEMO_PASSWORD`` or is generated once and kept in ``var/demo_password``.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEMO_USERS: list[tuple[str, str, str, str]] = [
    # username, role, display name (zh), display name (en)
    ("agent", "agent", "李娜", "Lina Li"),
    ("specialist", "specialist", "张伟", "Wei Zhang"),
    ("handler", "handler", "王芳", "Fang Wang"),
    ("supervisor", "supervisor", "刘洋", "Yang Liu"),
    ("qc_manager", "qc_manager", "陈静", "Jing Chen"),
    ("cs_head", "cs_head", "杨磊", "Lei Yang"),
    ("vp", "vp", "赵敏", "Min Zhao"),
    ("gm", "gm", "黄强", "Qiang Huang"),
    ("legal", "legal", "周婷", "Ting Zhou"),
    ("quality", "quality", "吴刚", "Gang Wu"),
    ("admin", "admin", "系统管理员", "Administrator"),
]


def demo_password(var_dir: Path) -> str:
    configured = os.environ.get("COMPLAINTDESK_DEMO_PASSWORD")
    if configured:
        return configured
    file = var_dir / "demo_password"
    if not file.exists():
        file.write_text(secrets.token_urlsafe(9))
        file.chmod(0o600)
    return file.read_text().strip()


def prepare(preset: str) -> tuple[str, list[str], str]:
    """Migrate, install the preset, create the users and seed complaints. Returns the password and
    the usernames."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from complaintdesk.accounts.models import User
    from complaintdesk.accounts.services import user_create
    from complaintdesk.core.names import split_name
    from complaintdesk.core.policies import policy_install
    from complaintdesk.demo_data import seed_demo
    from complaintdesk.policy.load import load_policy, resolve
    from complaintdesk.policy.schema import Role

    call_command("migrate", interactive=False, verbosity=0)
    loaded = load_policy(resolve(preset))
    policy_install(actor=None, loaded=loaded)
    password = demo_password(Path(settings.VAR_DIR))
    department = loaded.policy.departments[0].code if loaded.policy.departments else None
    for username, role, zh, en in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            english = loaded.policy.language == "en"
            name = en if english else zh
            first, last = split_name(name)
            user_create(actor=None, username=username, password=password, roles=[Role(role)],
                        first_name=first, last_name=last, department_code=department if role == "handler" else None,
                        language="en" if english else "zh-hans", staff_number=f"S{1000 + len(username)}")
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
    seed_demo(loaded.policy)
    from complaintdesk.demo_stages import watch_complaint

    watched = watch_complaint(loaded.policy)
    note = ""
    if watched is not None and watched.reply_due_at is not None:
        note = (f"  watch {watched.number}: its reply deadline passes at "
                f"{watched.reply_due_at.astimezone(ZoneInfo(loaded.policy.timezone)):%H:%M} — the badge turns red "
                "and the owner and the level's supervisor are notified")
    return password, [u[0] for u in DEMO_USERS], note


def _wait_healthy(port: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def run_demo(*, preset: str = "phone_maker", port: int = 8000, serve: bool = True) -> int:
    password, users, note = prepare(preset)

    def logins() -> None:
        print("\ncomplaintdesk demo — policy:", preset)
        print(f"  open http://127.0.0.1:{port}/  (API: http://127.0.0.1:{port}/api/v1/docs)")
        print(f"  every demo user has the password: {password}")
        print("  users:", ", ".join(users))
        if note:
            print(note)

    if not serve:
        logins()
        return 0
    from django.conf import settings

    # The web and worker logs go to files, so that the logins printed below stay on the screen.
    log_dir = Path(settings.VAR_DIR) / "log"
    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="complaintdesk.settings")
    worker_log = (log_dir / "worker.log").open("ab")
    web_log = (log_dir / "web.log").open("ab")
    children: list[subprocess.Popen[Any]] = [
        subprocess.Popen([sys.executable, "-m", "complaintdesk", "worker", "--sweep-interval", "5"], env=env,
                         stdout=worker_log, stderr=subprocess.STDOUT),
        subprocess.Popen([sys.executable, "-m", "gunicorn", "complaintdesk.wsgi:application", "--bind",
                          f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-"], env=env,
                         stdout=web_log, stderr=subprocess.STDOUT),
    ]

    def stop(signum: int = signal.SIGTERM, frame: Any = None) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    def terminate(signum: int, frame: Any) -> None:
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, terminate)
    try:
        if _wait_healthy(port):
            logins()
            print(f"  serving on http://127.0.0.1:{port}/ with the worker running — Ctrl-C stops both")
            print(f"  logs: {log_dir / 'web.log'} and {log_dir / 'worker.log'}\n", flush=True)
        else:
            print(f"the web server did not answer on port {port}; see {log_dir / 'web.log'}", file=sys.stderr)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("a demo process stopped; shutting down", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()
