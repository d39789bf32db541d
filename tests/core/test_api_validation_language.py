"""Pydantic's own messages are English: every problem the API's schemas find reaches the caller in
their language, with the limit pydantic gives (DESIGN.md §5, one answer lists every problem)."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _problems(response: Any) -> dict[str, str]:
    body = response.json_body if hasattr(response, "json_body") else json.loads(response.content)
    assert response.status_code == 422, body
    return {problem["field"]: problem["message"] for problem in body["fields"]}


@pytest.mark.parametrize(("language", "expected"), [
    ("en", {"number": "At most 48 characters.", "reason": "This field is required."}),
    ("zh-hans", {"number": "最多 48 个字符。", "reason": "此项为必填。"}),
])
def test_a_string_too_long_and_a_missing_field(org: Any, api: Any, language: str, expected: dict[str, str]) -> None:
    response = api("admin", language=language).post("/privacy/holds", {"number": "X" * 49})
    assert _problems(response) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", {"name": "Give a text (a string).", "events": "Give a list.", "url": "This field is required."}),
    ("zh-hans", {"name": "请填写文本（字符串）。", "events": "请给出一个列表。", "url": "此项为必填。"}),
])
def test_values_of_the_wrong_kind_are_named(org: Any, api: Any, language: str, expected: dict[str, str]) -> None:
    response = api("admin", language=language).post("/webhooks", {"name": 5, "events": "complaint.registered"})
    assert _problems(response) == expected


@pytest.mark.parametrize(("language", "whole", "truth"), [
    ("en", "Give a whole number.", "Give true or false."),
    ("zh-hans", "请填写整数。", "请填写 true 或 false。"),
])
def test_numbers_and_booleans_that_do_not_parse(org: Any, api: Any, language: str, whole: str, truth: str) -> None:
    client = api("admin", language=language)
    assert _problems(client.get("/complaints?page=first")) == {"page": whole}
    created = client.post("/webhooks", {"name": "CRM", "url": "https://crm.example.com/in",
                                         "events": ["complaint.registered"]})
    assert created.status_code == 201
    assert _problems(client.patch(f"/webhooks/{created.json_body['id']}", {"active": "perhaps"})) == {"active": truth}


def test_every_common_pydantic_error_has_a_message_in_both_languages() -> None:
    from django.utils import translation

    from complaintdesk.api import _pydantic_message

    errors = [{"type": "too_long", "ctx": {"max_length": 20}}, {"type": "string_too_short", "ctx": {"min_length": 2}},
              {"type": "float_parsing"}, {"type": "dict_type"},
              {"type": "literal_error", "ctx": {"expected": "'a' or 'b'"}},
              {"type": "enum", "ctx": {"expected": "'open', 'closed' or 'x'"}},
              {"type": "less_than_equal", "ctx": {"le": 10}}, {"type": "something_new", "msg": "Something new"}]
    with translation.override("en"):
        english = [_pydantic_message(error) for error in errors]
    with translation.override("zh-hans"):
        chinese = [_pydantic_message(error) for error in errors]
    assert english == ["At most 20 items.", "At least 2 characters.", "Give a number.",
                       "Give an object (names and values).", "Choose one of: 'a', 'b'.",
                       "Choose one of: 'open', 'closed', 'x'.", "Give a number of at most 10.", "Invalid value."]
    assert chinese[0] == "最多 20 项。" and chinese[4] == "请从以下选项中选择：'a', 'b'。"
    assert all(not any("a" <= ch <= "z" for ch in message.replace("'a'", "").replace("'b'", "")
                       .replace("'open', 'closed', 'x'", "")) for message in chinese)
