"""Roles and units read in one query per API request (accounts.roles_load, issue 14): the same rows
as units.scope.held, and a change of roles, memberships or tokens takes effect on the next request."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles_load import roles_load, unit_facts
from complaintdesk.accounts.services import token_create, token_revoke
from complaintdesk.units.models import Unit
from complaintdesk.units.scope import held
from complaintdesk.units.services import membership_set, unit_create

pytestmark = pytest.mark.django_db


def _both(username: str) -> tuple[Any, Any]:
    """(held as units.scope reads it, held as roles_load reads it) from two fresh user objects."""
    by_scope = held(User.objects.get(username=username))
    user = User.objects.get(username=username)
    roles_load(user)
    return by_scope, held(user)


def test_the_rows_are_those_of_held_for_every_kind_of_user(org: Any) -> None:
    store = unit_create(actor=org["admin"], code="store-a", name_zh="甲店", name_en="Store A")
    closed = unit_create(actor=org["admin"], code="store-b", name_zh="乙店", name_en="Store B")
    User.objects.create_user("member", password="x")
    membership_set(actor=org["admin"], username="member", unit="store-a", roles=["agent", "supervisor"])
    membership_set(actor=org["admin"], username="member", unit="store-b", roles=["agent"])
    Unit.objects.filter(pk=closed.pk).update(active=False)
    boss = User.objects.create_superuser("boss", password="x")
    User.objects.create_superuser("boss2", password="x")
    membership_set(actor=org["admin"], username="boss2", unit="store-a", roles=["agent"])
    boss.groups.add(Group.objects.get(name="gm"))
    User.objects.create_user("nobody", password="x")
    for username in ("agent", "admin", "member", "boss", "boss2", "nobody"):
        by_scope, by_load = _both(username)
        assert sorted(by_scope, key=repr) == sorted(by_load, key=repr), username
    member = User.objects.get(username="member")
    roles_load(member)
    facts = unit_facts(member)
    assert facts is not None and facts.has_memberships
    agent = User.objects.get(username="agent")
    roles_load(agent)
    facts = unit_facts(agent)
    assert facts is not None and not facts.has_memberships and facts.root is not None
    assert store.pk != facts.root.pk


def test_roles_cost_one_query(org: Any) -> None:
    user = User.objects.get(username=org["agent"].username)
    with CaptureQueriesContext(connection) as captured:
        roles_load(user)
        held(user)
    assert len(captured.captured_queries) <= 2  # the roles; head office for a user without membership


def test_a_removed_role_and_a_revoked_token_take_effect_on_the_next_request(api: Any, org: Any,
                                                                          registration: Any) -> None:
    agent = api("agent")
    assert agent.post("/complaints", registration()).status_code == 201
    org["agent"].groups.remove(Group.objects.get(name="agent"))
    assert agent.post("/complaints", registration()).status_code == 403
    org["agent"].groups.add(Group.objects.get(name="agent"))
    assert agent.post("/complaints", registration()).status_code == 201
    token, clear = token_create(actor=None, username=org["agent"].username)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert client.get("/api/v1/complaints").status_code == 200
    token_revoke(actor=None, prefix=token.prefix)
    assert client.get("/api/v1/complaints").status_code == 401
