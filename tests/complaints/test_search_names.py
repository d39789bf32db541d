"""Finding people: a customer stored as given name 晓梅 / family name 王 (or Mei / Wang) is found by
"王晓梅", "晓梅", "王晓梅女士", "Mei Wang", "Wang Mei" and "Ms Wang"; names show family name first
with the title after on Chinese pages; staff names read right."""

from __future__ import annotations

import re
from typing import Any

import pytest
from workkit import register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def rows(page: str) -> set[str]:
    return set(re.findall(r'<tr data-number="([^"]+)"', page))


@pytest.fixture
def people(org: Any) -> dict[str, Any]:
    chinese = register(org["agent"], customer={"title": "ms", "first_name": "晓梅", "last_name": "王",
                                               "phone": "13912345674", "language": "zh-hans"})
    western = register(org["agent"], customer={"title": "ms", "first_name": "Mei", "last_name": "Wang",
                                               "phone": "13912345675", "language": "en"})
    other = register(org["agent"], customer={"title": "ms", "first_name": "芳", "last_name": "刘",
                                             "phone": "13912345676", "language": "zh-hans"})
    return {"chinese": chinese, "western": western, "other": other}


@pytest.mark.parametrize(("query", "expected"), [
    ("王晓梅", {"chinese"}), ("晓梅", {"chinese"}), ("王晓梅女士", {"chinese"}), ("刘芳", {"other"}),
    ("Mei Wang", {"western"}), ("Wang Mei", {"western"}), ("Ms Wang", {"western"}), ("wang", {"western"}),
])
def test_names_are_found_in_either_order_with_or_without_title(
        org: Any, client: Any, people: dict[str, Any], query: str, expected: set[str]) -> None:
    client.force_login(org["specialist"])
    page = client.get("/complaints/", {"q": query}).content.decode()
    assert rows(page) == {people[name].number for name in expected}


def test_a_chinese_name_reads_family_name_first_with_the_title_after(
        org: Any, client: Any, people: dict[str, Any]) -> None:
    client.force_login(org["specialist"])
    page = client.get(f"/complaints/{people['chinese'].number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="customer-name">王晓梅女士<' in page
    page = client.get(f"/complaints/{people['western'].number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="customer-name">Ms. Mei Wang<' in page


def test_staff_names(org: Any) -> None:
    from complaintdesk.accounts.models import User

    assert User(username="admin", first_name="Administrator").display_name() == "Administrator"
    assert User(username="x", first_name="伟", last_name="张").display_name() == "张伟"
    assert User(username="x", first_name="Wei", last_name="Zhang").display_name() == "Wei Zhang"
    assert User(username="nobody").display_name() == "nobody"
