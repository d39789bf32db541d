"""Every shipped preset, every category: the portal's form is shown in both languages and, filled as
a customer fills it (every field it asks, answered by its kind), files the complaint and promises a
reply. A preset whose category the portal cannot take would leave customers of that organisation at
the hotline only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone

from complaintdesk.complaints.models import Complaint
from complaintdesk.policy.load import preset_names
from complaintdesk.portal.services import web_channel
from orgkit import install_org

pytestmark = pytest.mark.django_db

VALID_IMEI = "490154203237518"


def _answer(field: Any, today: date) -> str | None:
    """What a customer types into one field of the form, by its kind."""
    name = field.get("name")
    kind = (field.get("type") or "").lower()
    if name in {"csrfmiddlewaretoken", "next"} or kind in {"hidden", "file", "submit"}:
        return None
    if name.startswith("missing_notes."):
        return ""  # every required fact is answered, none explained away
    if field.tag == "select":
        options = [o.get("value") for o in field.iter("option") if o.get("value")]
        return options[0] if options else ""
    if kind == "checkbox":
        return field.get("value") or "on"
    if kind == "radio":
        return field.get("value")
    if kind == "date":
        return (today - timedelta(days=3)).isoformat()
    if kind == "datetime-local":
        return f"{today - timedelta(days=3)}T10:30"
    if kind == "number":
        return "1"
    if kind == "email":
        return "customer@example.com"
    if kind == "tel" or name.endswith("phone"):
        return "13812345678"
    if "imei" in name:
        return VALID_IMEI
    if name == "customer.last_name":
        return "王"
    if name == "customer.first_name":
        return "芳"
    return "顾客在门店遇到的问题，已多次沟通未解决。"


def _filled(page: str, today: date) -> dict[str, Any]:
    tree = lxml.html.fromstring(page)
    form = next(f for f in tree.forms if f.get("enctype") == "multipart/form-data")
    data: dict[str, Any] = {}
    for field in form.inputs:
        name = field.get("name")
        if not name:
            continue
        if field.get("type") == "hidden":
            data[name] = field.get("value") or ""
            continue
        value = _answer(field, today)
        if value is not None and name not in data:
            data[name] = value
    return data


@pytest.mark.parametrize("preset", preset_names())
def test_every_category_of_every_preset_can_be_filed_on_the_portal(db: Any, preset: str) -> None:
    org = install_org(preset)
    client = Client()
    today = timezone.localdate()
    if web_channel(org.policy) is None:  # the organisation lists no web door: the portal says to call
        for language, words in (("zh-hans", "请致电"), ("en", "please call us")):
            page = client.get("/portal/new/", HTTP_ACCEPT_LANGUAGE=language)
            assert page.status_code == 503 and words in page.content.decode()
        return
    for language in ("zh-hans", "en"):
        page = client.get("/portal/new/", HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
    categories = [c for c in org.policy.categories if getattr(c, "portal", True) is not False]
    assert categories
    for category in categories:
        for language in ("zh-hans", "en"):
            form = client.get("/portal/new/", {"category": category.code}, HTTP_ACCEPT_LANGUAGE=language)
            assert form.status_code == 200, (preset, category.code, language)
        data = _filled(form.content.decode(), today)
        before = Complaint.objects.count()
        response = client.post("/portal/new/", data, HTTP_ACCEPT_LANGUAGE="zh-hans", REMOTE_ADDR=f"10.0.{len(data)}.1")
        problems = lxml.html.fromstring(response.content).xpath("//*[@data-field]") if response.status_code != 302 \
            else []
        assert response.status_code == 302, (preset, category.code, [
            (p.get("data-field"), p.text_content().strip()) for p in problems])
        assert Complaint.objects.count() == before + 1
        complaint = Complaint.objects.latest("id")
        assert complaint.category == category.code and complaint.reply_due_at is not None
        assert complaint.channel == web_channel(org.policy)


def test_the_portal_files_on_the_web_door_that_needs_no_case_origin(db: Any) -> None:
    """The website preset lists "community post" (its link required) before "online question": the
    portal files on the latter, which a customer can use."""
    policy = install_org("website").policy
    assert [c.code for c in policy.channels if c.kind == "web"] == ["community_post", "online_question"]
    assert web_channel(policy) == "online_question"
