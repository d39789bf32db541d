"""Delegating approvals stays within the units: store A's section chief may hand their approvals to
someone of store A, its region or head office — never to store B's people (issue 15)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from unitkit import build_tree, person

pytestmark = pytest.mark.django_db


def test_the_delegation_picker_lists_only_colleagues_of_the_units(hyper: Any, client: Any) -> None:
    tree = build_tree()
    chief_a = person(tree, "chief_a", "store-a", "supervisor")
    person(tree, "clerk_a", "store-a", "agent")
    person(tree, "chief_b", "store-b", "supervisor")
    person(tree, "east_head", "east", "cs_head")
    client.force_login(chief_a)
    page = client.get("/approvals/").content.decode()
    picker = re.search(r'<select[^>]*id="dg-to"[^>]*>(.*?)</select>', page, re.S)
    assert picker is not None
    names = set(re.findall(r'<option value="([^"]+)"', picker.group(1)))
    assert {"clerk_a", "east_head", "cs_head"} <= names  # store A, its region, head office
    assert "chief_b" not in names
