"""The hypermarket (seed 002 retail 叁.二): a phone complaint is "接听并记录(人、事、地、物、时及填表人签名)" —
recorded with who, what, where, which item and when. Where a category's facts do not already give when
and where, ``when_where`` is required of a phone complaint (``facts[].channels: [phone]``) and only
asked of a complaint at the service desk; the checklist, the page and the amendment say so alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from followup_kit import SH, any_registration

from complaintdesk.complaints.display import complaint_completeness
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.policy import rules
from orgkit import install_org

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 11, 16, 10, 0, tzinfo=SH)


def register(org: Any, channel: str, category: str, phone: str, **facts: Any) -> Any:
    data = any_registration(org.policy, category)
    data["facts"].pop("when_where", None)
    data["facts"].update(facts)
    data.update(channel=channel)
    data["customer"]["phone"] = phone
    return complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(), now=MORNING)


@pytest.mark.parametrize("category", ["goods_quality", "checkout_price", "malicious_claim"])
def test_a_phone_complaint_is_recorded_with_when_and_where(category: str) -> None:
    hypermarket = install_org("hypermarket")
    by_phone = register(hypermarket, "phone", category, "13812345601")
    assert not by_phone.complete and by_phone.missing_facts == ["when_where"]
    at_the_desk = register(hypermarket, "service_desk", category, "13812345602")
    assert at_the_desk.complete and at_the_desk.missing_facts == []
    # given, it counts at the desk too; by phone it completes the record
    told = register(hypermarket, "phone", category, "13812345603", when_where="11月15日晚，生鲜课")
    assert told.complete
    done, rows = complaint_completeness(at_the_desk)
    assert done.complete and {row.code: (row.required, row.state) for row in rows}["when_where"] == (False, "optional")
    done, rows = complaint_completeness(by_phone)
    assert {row.code: (row.required, row.state) for row in rows}["when_where"] == (True, "missing")


def test_categories_that_give_when_and_where_already_ask_nothing_more() -> None:
    policy = install_org("hypermarket").policy
    for category in policy.categories:
        codes = [fact.code for fact in category.facts]
        assert codes.count("when_where") <= 1
        asked = [fact for fact in category.facts if fact.channels]
        assert all(fact.channels == ["phone"] and fact.code == "when_where" for fact in asked)
        if category.code in {"service", "other", "injury_by_goods", "injury_in_store"}:
            assert not asked  # their when_where is required through every door
        phone = {fact.code for fact in category.facts if rules.fact_required(fact, "phone")}
        desk = {fact.code for fact in category.facts if rules.fact_required(fact, "service_desk")}
        assert desk <= phone and phone - desk <= {"when_where"}


def test_the_registration_checklist_follows_the_door(client: Client) -> None:
    hypermarket = install_org("hypermarket")
    client.force_login(hypermarket["agent"])
    data = any_registration(hypermarket.policy, "checkout_price")
    form = {"category": "checkout_price", "customer.phone": "13812345604", "customer.last_name": "王",
            **{f"facts.{code}": value for code, value in data["facts"].items() if code != "when_where"}}
    states = {}
    for channel in ("phone", "service_desk"):
        page = client.post("/complaints/new/preview/", {**form, "channel": channel}, HTTP_HX_REQUEST="true")
        assert page.status_code == 200
        states[channel] = page.content.decode()
    assert 'data-fact="when_where" data-state="missing"' in states["phone"]
    assert 'data-fact="when_where" data-state="optional"' in states["service_desk"]


@pytest.mark.parametrize(("language", "doors"),
                         [("zh-hans", "必填的渠道：顾客来电"), ("en", "required through: Phone call")])
def test_the_form_marks_the_fact_required_through_the_phone(client: Client, language: str, doors: str) -> None:
    hypermarket = install_org("hypermarket")
    hypermarket["agent"].language = language
    hypermarket["agent"].save(update_fields=["language"])
    client.force_login(hypermarket["agent"])
    fact = next(f for f in hypermarket.policy.category("checkout_price").facts if f.code == "when_where")
    label = fact.label.zh if language == "zh-hans" else fact.label.en
    marks = {}
    for channel in ("phone", "service_desk"):
        page = client.get("/complaints/new/facts/", {"category": "checkout_price", "channel": channel},
                          HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        text = page.content.decode()
        assert f"({doors})" in text
        marks[channel] = f"{label} *" in text
    assert marks == {"phone": True, "service_desk": False}
