"""The administrator's units page: the tree with counts, the create, move and assign forms calling
the services, each problem next to its field; the page and its menu entry are the administrator's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from complaintdesk.units import services
from complaintdesk.units.models import Membership, Unit

pytestmark = pytest.mark.django_db


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_only_the_administrator_sees_the_page_and_its_menu_entry(org: Any) -> None:
    assert client_for(org["supervisor"]).get("/units/").status_code == 403
    assert 'data-testid="nav-units"' not in client_for(org["supervisor"]).get("/complaints/").content.decode()
    admin = client_for(org["admin"])
    assert 'data-testid="nav-units"' in admin.get("/complaints/").content.decode()
    page = admin.get("/units/")
    assert page.status_code == 200 and 'data-testid="unit-hq"' in page.content.decode()


def test_the_forms_call_the_services(org: Any) -> None:
    admin = client_for(org["admin"])
    created = admin.post("/units/", {"form": "create", "code": "dealer-a", "name_zh": "经销商A", "name_en": "Dealer A",
                                     "parent": "hq", "kind": "dealer", "number_prefix": "DA"}, follow=True)
    assert "Unit dealer-a created." in created.content.decode()
    admin.post("/units/", {"form": "create", "code": "store-1", "name_zh": "一号店", "name_en": "Store 1",
                           "parent": "hq", "kind": "store", "number_prefix": ""})
    moved = admin.post("/units/", {"form": "move", "code": "store-1", "parent": "dealer-a"}, follow=True)
    assert "Unit store-1 moved under dealer-a." in moved.content.decode()
    assert Unit.objects.get(code="store-1").parent.code == "dealer-a"
    assigned = admin.post("/units/", {"form": "assign", "username": "agent", "unit": "store-1",
                                      "roles": ["agent", "supervisor"]}, follow=True)
    body = assigned.content.decode()
    assert "agent now holds CC agent, CC team lead at store-1." in body  # the policy's titles, not the codes
    assert '<label class="form-check-label" for="assign-role-supervisor">CC team lead</label>' in body
    assert 'data-testid="members-store-1">1<' in body
    assert set(Membership.objects.filter(unit__code="store-1").values_list("role", flat=True)) == {"agent",
                                                                                                 "supervisor"}


def test_problems_are_shown_next_to_their_fields_in_chinese(org: Any) -> None:
    admin = client_for(org["admin"], "zh-hans")
    services.unit_create(actor=None, code="dealer-a", name_zh="经销商A", name_en="Dealer A", kind="dealer")
    services.unit_create(actor=None, code="store-1", name_zh="一号店", name_en="Store 1", parent="dealer-a")
    response = admin.post("/units/", {"form": "create", "code": "Bad!", "name_zh": "", "name_en": "X", "parent": "hq",
                                      "kind": "store", "number_prefix": "ab"})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="error-create-code"' in body and 'data-testid="error-create-name_zh"' in body
    assert "请填写中文名称。" in body and "请使用 1 到 8 个大写字母或数字。" in body
    assert 'value="X"' in body  # what was typed stays
    loop = admin.post("/units/", {"form": "move", "code": "dealer-a", "parent": "store-1"})
    assert loop.status_code == 422
    assert "dealer-a 不能移到 store-1 之下" in loop.content.decode()
    ghost = admin.post("/units/", {"form": "assign", "username": "ghost", "unit": "store-1", "roles": ["wizard"]})
    text = ghost.content.decode()
    assert 'data-testid="error-assign-username"' in text and "没有用户 ghost。" in text
    assert "未知角色 wizard。" in text
    assert Unit.objects.count() == 3
