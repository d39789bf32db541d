"""Log-in throttling and lockout, password rules everywhere, idle sessions, expiring API tokens."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from complaintdesk.accounts.models import ApiToken, LoginThrottle
from complaintdesk.accounts.services import token_create, token_user, user_create
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.policy.schema import Role
from orgkit import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _login(client: Client, username: str, password: str, address: str = "203.0.113.7") -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address,
                       HTTP_ACCEPT_LANGUAGE="en")


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(org: Any) -> None:
    client = Client()
    for _attempt in range(5):
        response = _login(client, "agent", "wrong-password-123")
        assert response.status_code == 200 and not _logged_in(client)
    response = _login(client, "agent", PASSWORD)
    assert not _logged_in(client)
    assert "Too many failed log-ins. Try again in 15 minutes." in response.content.decode()
    assert AuditEvent.objects.filter(action="login.locked", object_id="account:agent").count() == 1
    # the admin site's log-in goes through the same backend
    admin = Client()
    admin.post("/admin/login/", {"username": "agent", "password": PASSWORD}, REMOTE_ADDR="198.51.100.1")
    assert not _logged_in(admin)
    # another account is not affected from another address
    assert _login(Client(), "specialist", PASSWORD, "198.51.100.2").status_code == 302


def test_the_lock_ends_and_a_success_clears_the_count(org: Any) -> None:
    client = Client()
    for _attempt in range(5):
        _login(client, "agent", "wrong-password-123")
    LoginThrottle.objects.filter(scope="account", key="agent").update(
        locked_until=timezone.now() - timedelta(seconds=1))
    assert _login(client, "agent", PASSWORD).status_code == 302 and _logged_in(client)
    assert not LoginThrottle.objects.filter(scope="account", key="agent").exists()


def test_failures_under_the_limit_do_not_lock(org: Any) -> None:
    client = Client()
    for _attempt in range(4):
        _login(client, "agent", "wrong-password-123")
    assert _login(client, "agent", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):  # the count started again after the success
        _login(client, "agent", "wrong-password-123")
    assert _login(client, "agent", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked(org: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_LOGIN_MAX_FAILURES_ADDRESS = 6
    client = Client()
    for index in range(6):
        _login(client, f"guess{index}", "wrong-password-123", "192.0.2.50")
    response = _login(client, "agent", PASSWORD, "192.0.2.50")
    assert not _logged_in(client) and "Too many failed log-ins" in response.content.decode()
    assert _login(Client(), "agent", PASSWORD, "192.0.2.51").status_code == 302


def test_the_lock_message_is_in_chinese_for_a_chinese_reader(org: Any) -> None:
    client = Client()
    for _attempt in range(5):
        _login(client, "agent", "wrong-password-123")
    response = client.post("/login/", {"username": "agent", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7",
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "登录失败次数过多" in response.content.decode()


@pytest.mark.parametrize(("password", "expected"), [
    ("x", "at least 12 characters"),
    ("password1234", "too common"),
    ("58203948572019", "entirely numeric"),
    ("wangxiaoming88", "too similar"),
])
def test_weak_passwords_are_refused(org: Any, password: str, expected: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        user_create(actor=None, username="wangxiaoming", password=password, roles=[Role.AGENT])
    messages = [str(p.message) for p in caught.value.problems if p.field == "password"]
    assert any(expected in m for m in messages), messages
    from complaintdesk.accounts.models import User

    assert not User.objects.filter(username="wangxiaoming").exists()


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}
    return subprocess.run([sys.executable, "-m", "complaintdesk", *args], capture_output=True, text=True,
                          env=full, timeout=120, check=False)


@pytest.mark.django_db(transaction=True)
def test_cli_user_create_applies_the_password_rules(org_tx: Any, child_env: dict[str, str]) -> None:
    short = _cli("user", "create", "li.lei", "--role", "agent", env={**child_env, "COMPLAINTDESK_PASSWORD": "a"})
    assert short.returncode == 1 and "password:" in short.stderr and "12 characters" in short.stderr
    good = _cli("user", "create", "li.lei", "--role", "agent",
                env={**child_env, "COMPLAINTDESK_PASSWORD": "plum-orchard-lantern-47"})
    assert good.returncode == 0, good.stderr


@pytest.mark.django_db(transaction=True)
def test_cli_token_list_and_revoke(org_tx: Any, child_env: dict[str, str]) -> None:
    created = _cli("token", "create", "agent", "--name", "crm", "--days", "30", env=child_env)
    assert created.returncode == 0, created.stderr
    clear = created.stdout.strip()
    assert token_user(clear) == org_tx["agent"]
    listing = _cli("token", "list", "--user", "agent", env=child_env)
    row = next(line for line in listing.stdout.splitlines() if line.startswith(clear[:12]))
    assert "\tagent\tcrm\t" in row and row.endswith("\tactive")
    expires = ApiToken.objects.get(prefix=clear[:12]).expires_at
    assert expires is not None and timedelta(days=29) < expires - timezone.now() <= timedelta(days=30)
    revoked = _cli("token", "revoke", clear[:12], env=child_env)
    assert revoked.returncode == 0, revoked.stderr
    assert token_user(clear) is None
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1
    assert _cli("token", "list", env=child_env).stdout.count("\trevoked") >= 1
    missing = _cli("token", "revoke", "cdk_nothing", env=child_env)
    assert missing.returncode == 1 and "没有 API 令牌 cdk_nothing" in missing.stderr  # default language
    bad_days = _cli("token", "create", "agent", "--days", "0", env=child_env)
    assert bad_days.returncode == 1 and "days:" in bad_days.stderr


def test_an_expired_token_is_refused(org: Any) -> None:
    token, clear = token_create(actor=None, username="agent")
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}
    assert client.get("/api/v1/complaints", **headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/complaints", **headers).status_code == 401


def test_a_session_ends_after_the_idle_time_and_each_request_renews_it(org: Any, settings: Any) -> None:
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    assert _login(client, "agent", PASSWORD).status_code == 302
    key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    # a page refreshing itself in the background does not keep the session alive…
    assert client.get("/complaints/queues/mine/", HTTP_X_BACKGROUND_REFRESH="1").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == soon
    # …a request the person made does
    assert client.get("/complaints/").status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(minutes=29)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/complaints/")
    assert response.status_code == 302 and "/login/" in response["Location"]
