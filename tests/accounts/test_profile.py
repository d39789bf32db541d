"""The profile page: each user sets the language of their pages (and notices); signing in brings it
back; bad input names the field in the user's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from complaintdesk.accounts.models import User
from complaintdesk.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_signing_in_sets_the_pages_to_the_users_language(org: Any) -> None:
    User.objects.filter(username="agent").update(language="zh-hans")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": "agent", "password": PASSWORD})
    assert response.cookies["django_language"].value == "zh-hans"
    assert "新投诉" in client.get("/complaints/queues/new/").content.decode()


def test_the_profile_saves_the_language_and_answers_in_it(org: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org["specialist"])
    page = client.get("/profile/").content.decode()
    assert "Language of my pages and notices" in page and 'data-testid="profile-name"' in page
    response = client.post("/profile/", {"language": "zh-hans"}, follow=True)
    assert "语言已保存。" in response.content.decode()
    assert User.objects.get(username="specialist").language == "zh-hans"
    assert client.cookies["django_language"].value == "zh-hans"
    assert AuditEvent.objects.filter(action="user.language").count() == 1


@pytest.mark.parametrize(("language", "text"),
                         [("en", "Choose Chinese or English."), ("zh-hans", "请选择中文或英文。")])
def test_an_unknown_language_is_refused(org: Any, language: str, text: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(org["specialist"])
    response = client.post("/profile/", {"language": "fr"}, follow=True)
    assert text in response.content.decode()
    assert User.objects.get(username="specialist").language == "en"
