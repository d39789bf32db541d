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

from django.core.exceptions import ValidationError as DjangoValidationError

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

# The units of a preset's demo (every other preset is one organisation at head office): code, kind,
# Chinese and English names, complaint number prefix.
DEMO_UNITS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "dealer_network": [
        ("dealer-a", "dealer", "经销商A（杭州）", "Dealer A (Hangzhou)", "DA"),
        ("dealer-b", "dealer", "经销商B（南京）", "Dealer B (Nanjing)", "DB"),
        ("dealer-c", "dealer", "经销商C（合肥）", "Dealer C (Hefei)", "DC"),
    ],
    "hypermarket": [
        ("store-1", "store", "一号店（浦东）", "Store 1 (Pudong)", "S1"),
        ("store-2", "store", "二号店（徐汇）", "Store 2 (Xuhui)", "S2"),
    ],
}
# the roles each demo unit has a user for (dealer_a_agent, store_1_supervisor — the section chief …)
DEMO_UNIT_ROLES: dict[str, tuple[str, ...]] = {
    "dealer_network": ("agent", "specialist", "supervisor"),
    "hypermarket": ("agent", "supervisor"),
}
UNIT_PEOPLE = [("孙", "悦", "Yue Sun"), ("钱", "坤", "Kun Qian"), ("郑", "洁", "Jie Zheng"), ("冯", "晨", "Chen Feng"),
               ("何", "琳", "Lin He"), ("许", "浩", "Hao Xu"), ("韩", "雪", "Xue Han"), ("唐", "凯", "Kai Tang"),
               ("曹", "颖", "Ying Cao")]


def unit_username(code: str, role: str) -> str:
    return f"{code.replace('-', '_')}_{role}"


def prepare_units(preset: str, password: str, english: bool) -> list[tuple[str, str, str, str]]:
    """Create the preset's demo units and one user per role in each (member of that unit only).
    Returns the logins: username, role, unit code, unit name."""
    from complaintdesk.accounts.models import User  # after django.setup()
    from complaintdesk.accounts.services import user_create  # after django.setup()
    from complaintdesk.units.models import Unit  # after django.setup()
    from complaintdesk.units.services import membership_set, unit_create  # after django.setup()

    logins: list[tuple[str, str, str, str]] = []
    people = iter(UNIT_PEOPLE * 3)
    for code, kind, name_zh, name_en, prefix in DEMO_UNITS.get(preset, []):
        if not Unit.objects.filter(code=code).exists():
            unit_create(actor=None, code=code, name_zh=name_zh, name_en=name_en, kind=kind, number_prefix=prefix)
        for role in DEMO_UNIT_ROLES.get(preset, ()):
            username = unit_username(code, role)
            family, given, western = next(people)
            user = User.objects.filter(username=username).first()
            if user is None:
                first, last = (western.split() if english else (given, family))
                user_create(actor=None, username=username, password=password, roles=[], first_name=first,
                            last_name=last, language="en" if english else "zh-hans")
                membership_set(actor=None, username=username, unit=code, roles=[role])
            elif not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            logins.append((username, role, code, name_en if english else name_zh))
    return logins


def demo_password(var_dir: Path) -> str:
    configured = os.environ.get("COMPLAINTDESK_DEMO_PASSWORD")
    if configured:
        return configured
    file = var_dir / "demo_password"
    if not file.exists():
        file.write_text(_fresh_password())
        file.chmod(0o600)
    return file.read_text().strip()


def _fresh_password() -> str:
    """A random password every demo user may have: sixteen characters, and none "too similar" to a
    demo user's name (twelve were, about once in 1,300 draws: "pjls_SEcuKat" against "specialist",
    and the demo stopped with the validator's refusal)."""
    from django.contrib.auth import password_validation  # after django.setup()

    from complaintdesk.accounts.models import User  # after django.setup()
    from complaintdesk.core.names import split_name  # after django.setup()

    people = [User(username=username, first_name=first, last_name=last)
              for username, _role, zh, en in DEMO_USERS for first, last in (split_name(zh), split_name(en))]
    while True:
        candidate = secrets.token_urlsafe(12)
        try:
            for person in people:
                password_validation.validate_password(candidate, user=person)
        except DjangoValidationError:
            continue
        return candidate


def prepare(preset: str) -> tuple[str, list[str], str, list[tuple[str, str, str, str]]]:
    """Migrate, install the preset, create the users (and the preset's units with their users) and
    seed complaints. Returns the password, the head-office usernames, a note and the unit logins."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return prepare_data(preset)


def prepare_data(preset: str) -> tuple[str, list[str], str, list[tuple[str, str, str, str]]]:
    """Everything :func:`prepare` does after migrating (idempotent)."""
    from django.conf import settings

    from complaintdesk.accounts.models import User  # after django.setup()
    from complaintdesk.accounts.services import user_create  # after django.setup()
    from complaintdesk.core.names import split_name  # after django.setup()
    from complaintdesk.core.policies import policy_install  # after django.setup()
    from complaintdesk.demo_data import seed_demo, seed_unit_complaints  # after django.setup()
    from complaintdesk.policy.load import load_policy, resolve  # after django.setup()
    from complaintdesk.policy.schema import Role  # after django.setup()

    loaded = load_policy(resolve(preset))
    policy_install(actor=None, loaded=loaded)
    password = demo_password(Path(settings.VAR_DIR))
    department = loaded.policy.departments[0].code if loaded.policy.departments else None
    english = loaded.policy.language == "en"
    for username, role, zh, en in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            name = en if english else zh
            first, last = split_name(name)
            user_create(actor=None, username=username, password=password, roles=[Role(role)],
                        first_name=first, last_name=last, department_code=department if role == "handler" else None,
                        language="en" if english else "zh-hans", staff_number=f"S{1000 + len(username)}")
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
    seed_demo(loaded.policy)  # head office's complaints, before any unit user exists to be picked by a seed
    unit_logins = prepare_units(preset, password, english)
    agents = {code: User.objects.get(username=username) for username, role, code, _name in unit_logins
              if role == "agent"}
    seed_unit_complaints(loaded.policy, agents)
    from complaintdesk.demo_stages import watch_complaint  # after django.setup()

    watched = watch_complaint(loaded.policy)
    note = ""
    if watched is not None and watched.reply_due_at is not None:
        note = (f"  watch {watched.number}: its reply deadline passes at "
                f"{watched.reply_due_at.astimezone(ZoneInfo(loaded.policy.timezone)):%H:%M} — the badge turns red "
                "and the owner and the level's supervisor are notified")
    return password, [u[0] for u in DEMO_USERS], note, unit_logins


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
    from complaintdesk.core.errors import Conflict  # after django.setup()

    try:
        password, users, note, unit_logins = prepare(preset)
    except Conflict as exc:  # var/ holds an earlier copy of the preset under the same version
        from django.conf import settings

        print(f"demo: {exc}\n  The demo database in {settings.VAR_DIR} was made with an earlier copy of this "
              "preset. Start afresh with `make clean` (or remove that folder), then `make demo`.", file=sys.stderr)
        return 1

    def logins() -> None:
        print("\ncomplaintdesk demo — policy:", preset)
        print(f"  open http://127.0.0.1:{port}/  (API: http://127.0.0.1:{port}/api/v1/docs)")
        print(f"  every demo user has the password: {password}")
        print("  users:", ", ".join(users) + (" (head office)" if unit_logins else ""))
        if unit_logins:
            print("  unit users (each sees only its own unit's complaints):")
            width = max(len(login[0]) for login in unit_logins)
            for username, role, code, name in unit_logins:
                print(f"    {username:<{width}}  {role:<10}  {code:<9}  {name}")
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
