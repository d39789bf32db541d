"""Accounts: login and logout pages, the admin for administrators only, roles and tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from complaintdesk.accounts.roles import can, has_role, roles_of
from complaintdesk.accounts.services import token_create, token_user
from complaintdesk.core.errors import NotFound
from complaintdesk.policy.schema import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_login_and_logout(org: Any) -> None:
    client = Client()
    assert client.get("/complaints/").status_code == 302
    response = client.post("/login/", {"username": "agent", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/complaints/").status_code == 200
    client.post("/logout/")
    assert client.get("/complaints/").status_code == 302


def test_wrong_password_is_refused_in_chinese(org: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post("/login/", {"username": "agent", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


@pytest.mark.parametrize("role", ["agent", "specialist", "supervisor", "vp", "gm", "legal", "quality", "handler"])
def test_only_administrators_use_the_django_admin(org: Any, role: str) -> None:
    client = Client()
    client.force_login(org[role])
    assert client.get("/admin/").status_code == 302  # sent to the admin login


def test_the_administrator_uses_the_django_admin(org: Any) -> None:
    client = Client()
    client.force_login(org["admin"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/department/").status_code == 200


def test_each_demo_role_has_exactly_its_role(org: Any) -> None:
    for role in Role:
        assert roles_of(org[role.value]) == [role]
        assert has_role(org[role.value], role)
    assert can(org["agent"], "complaint.register") and not can(org["vp"], "complaint.register")
    assert not can(org["handler"], "complaint.view_all")


def test_tokens_are_stored_hashed_and_resolve_to_their_user(org: Any) -> None:
    token, clear = token_create(actor=None, username="specialist")
    assert clear.startswith("cdk_") and clear not in token.key_hash
    assert token_user(clear) == org["specialist"]
    assert token_user(clear + "x") is None
    with pytest.raises(NotFound):
        token_create(actor=None, username="nobody")


def test_token_of_a_deactivated_user_is_refused(org: Any) -> None:
    _token, clear = token_create(actor=None, username="agent")
    org["agent"].is_active = False
    org["agent"].save()
    assert token_user(clear) is None
