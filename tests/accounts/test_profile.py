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


def test_the_profile_saves_notice_preferences(org: Any) -> None:
    from complaintdesk.notify.models import NoticePreference

    user = org["specialist"]
    user.email = "specialist@example.com"
    user.save(update_fields=["email"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    page = client.get("/profile/").content.decode()
    assert 'data-testid="pref-breaches"' in page and 'data-testid="pref-breaches-off"' not in page
    assert 'data-testid="pref-warnings-off"' in page
    response = client.post("/profile/", {"form": "notices", "notices.warnings": "off", "notices.plans": "email",
                                         "notices.breaches": "page"}, follow=True)
    assert "Your notice preferences are saved." in response.content.decode()
    assert dict(NoticePreference.objects.filter(user=user).values_list("group", "choice")) == {
        "warnings": "off", "plans": "email"}


def test_a_refused_preference_is_shown_next_to_its_group_and_nothing_is_saved(org: Any) -> None:
    from complaintdesk.notify.models import NoticePreference

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org["agent"])  # no e-mail address
    response = client.post("/profile/", {"form": "notices", "notices.warnings": "off",
                                         "notices.approvals": "off"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "cannot be switched off" in html and 'data-testid="pref-error"' in html
    assert 'data-testid="no-email"' in html
    assert not NoticePreference.objects.filter(user=org["agent"]).exists()
