"""What the policy's levels and default language do on registration: a customer registered without a
language takes the policy's ``language`` (and so does the acknowledgement); the complaint page shows
the level in the level's ``color`` with its ``definition``, and the registration preview alike."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import register

from complaintdesk.notify.models import Message
from orgkit import install_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("preset", "language"), [("phone_maker", "en"), ("iptv", "zh-hans")])
def test_a_customer_without_a_language_takes_the_policys(preset: str, language: str) -> None:
    org = install_org(preset)
    complaint = register(org["agent"], customer={"title": "ms", "first_name": "Fang", "last_name": "Wang",
                                                 "phone": "13812345678", "address": "Shanghai", "language": ""})
    assert complaint.language == language
    acknowledgement = Message.objects.get(complaint=complaint, kind="acknowledgement")
    assert acknowledgement.language == language


def test_the_complaint_page_shows_the_levels_colour_and_definition(client: Any) -> None:
    org = install_org("iptv")
    red = org.policy.level("red")
    complaint = register(org["agent"], level="red", level_override_reason="Regulator involved")
    client.force_login(org["specialist"])
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'class="badge text-bg-{red.color} fs-6" data-testid="level" title="{red.definition.en}"' in page


def test_the_registration_preview_shows_the_suggested_levels_colour_and_definition(client: Any) -> None:
    org = install_org("phone_maker")
    crisis = org.policy.level("crisis")
    client.force_login(org["agent"])
    page = client.post("/complaints/new/preview/", {"channel": "hotline", "category": "product",
                                                     "description": "The phone exploded and the TV station called",
                                                     "reason": "explosion"},
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'badge text-bg-{crisis.color} fs-6" data-testid="suggested-level" data-level="crisis"' in page
    assert crisis.definition.en in page


def test_the_registration_form_explains_each_target(client: Any) -> None:
    """phone_maker's targets carry a description (``targets[].description``): the label's tooltip."""
    org = install_org("phone_maker")
    client.force_login(org["agent"])
    page = client.get("/complaints/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    company = org.policy.target("company")
    assert company.description is not None
    assert f'<label class="form-check-label" for="t-company" title="{company.description.en}">' in page
