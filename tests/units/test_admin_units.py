"""The Unit admin goes through the services (paths, audit, refusals shown as messages, nothing
saved), and the membership inlines keep the user's groups the union of their roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from complaintdesk.core.models import AuditEvent
from complaintdesk.units import services
from complaintdesk.units.models import Membership, Unit, root_unit

pytestmark = pytest.mark.django_db


def _inline(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
                            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def admin_client(org: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org["admin"])
    return client


def _unit_form(**values: Any) -> dict[str, Any]:
    data = {"code": "east", "kind": "region", "name_zh": "华东区", "name_en": "East", "parent": str(root_unit().pk),
            "number_prefix": ""}
    data.update(values)
    return data


def test_adding_a_unit_in_the_admin_goes_through_the_service(org: Any, admin_client: Client) -> None:
    data = {**_unit_form(), **_inline("memberships", [{"user": str(org["agent"].pk), "role": "agent"}])}
    response = admin_client.post("/admin/units/unit/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(code="east")
    assert unit.path == f"{root_unit().path}{unit.pk:08d}/"
    assert AuditEvent.objects.filter(action="unit.create", object_id=str(unit.pk)).exists()
    assert Membership.objects.filter(unit=unit, user=org["agent"], role="agent").exists()
    assert AuditEvent.objects.filter(action="unit.membership").exists()
    listing = admin_client.get("/admin/units/unit/").content.decode()
    assert "— east" in listing


def test_a_refused_move_is_a_message_and_nothing_is_saved(org: Any, admin_client: Client) -> None:
    east = services.unit_create(actor=None, code="east", name_zh="华东区", name_en="East", kind="region")
    store = services.unit_create(actor=None, code="store-1", name_zh="一号店", name_en="Store 1", parent="east",
                                 kind="store")
    url = f"/admin/units/unit/{east.pk}/change/"
    data = {**_unit_form(parent=str(store.pk), name_en="East renamed"), **_inline("memberships", [])}
    response = admin_client.post(url, data, follow=True)
    text = response.content.decode()
    assert "Parent unit: east cannot move under store-1" in text
    east.refresh_from_db()
    assert east.parent_id == root_unit().pk and east.name_en == "East"  # the rename rolled back too
    moved = admin_client.post(url, {**_unit_form(name_en="East renamed"), **_inline("memberships", [])})
    assert moved.status_code == 302
    east.refresh_from_db()
    assert east.name_en == "East renamed"
    assert AuditEvent.objects.filter(action="unit.update", object_id=str(east.pk)).exists()


def test_deleting_in_the_admin_uses_the_service(org: Any, admin_client: Client) -> None:
    east = services.unit_create(actor=None, code="east", name_zh="华东区", name_en="East", kind="region")
    services.unit_create(actor=None, code="store-1", name_zh="一号店", name_en="Store 1", parent="east")
    response = admin_client.post(f"/admin/units/unit/{east.pk}/delete/", {"post": "yes"}, follow=True)
    assert "east has units below it" in response.content.decode()
    assert Unit.objects.filter(code="east").exists()
    store = Unit.objects.get(code="store-1")
    assert admin_client.post(f"/admin/units/unit/{store.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Unit.objects.filter(code="store-1").exists()
    assert AuditEvent.objects.filter(action="unit.delete").exists()


def _user_form(client: Client, user: Any) -> dict[str, Any]:
    form = client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    for name in ("password", "date_joined", "last_login"):
        data.pop(name, None)
    data["groups"] = [str(g.pk) for g in user.groups.all()]
    data["date_joined_0"], data["date_joined_1"] = user.date_joined.strftime("%Y-%m-%d"), "00:00:00"
    return data


def test_the_user_admin_inline_makes_groups_the_union_of_roles(org: Any, admin_client: Client) -> None:
    east = services.unit_create(actor=None, code="east", name_zh="华东区", name_en="East", kind="region")
    west = services.unit_create(actor=None, code="west", name_zh="华西区", name_en="West", kind="region")
    user = org["handler"]  # a handler at head office by default (a group, no membership)
    data = {**_user_form(admin_client, user),
            **_inline("memberships", [{"unit": str(east.pk), "role": "supervisor"},
                                      {"unit": str(west.pk), "role": "agent"}])}
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    # once in a unit, the memberships alone say which roles the user holds (as with membership_set)
    assert set(user.groups.values_list("name", flat=True)) == {"supervisor", "agent"}
    event = AuditEvent.objects.filter(action="unit.membership", object_id=str(user.pk)).get()
    assert event.after["memberships"] == [["east", "supervisor"], ["west", "agent"]]

    rows = [{"id": str(m.pk), "user": str(user.pk), "unit": str(m.unit_id), "role": m.role, "DELETE": "on"}
            for m in Membership.objects.filter(user=user).order_by("pk")]
    data = {**_user_form(admin_client, user), **_inline("memberships", rows, initial=len(rows))}
    assert admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data).status_code == 302
    # no unit left: no roles either (rather than head office with the old ones)
    assert not Membership.objects.filter(user=user).exists()
    assert not user.groups.exists()
