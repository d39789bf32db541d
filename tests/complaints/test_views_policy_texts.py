"""What the policy's words and defaults do on the pages: a customer registered without a language
takes the policy's ``language`` (and so does the acknowledgement); levels show in their ``color`` with
their ``definition``; targets, categories and facts carry their descriptions, groups and help; the
departments installed keep their ``kind``."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import register

from complaintdesk.notify.models import Message
from orgkit import install_org, install_variant

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


def test_categories_are_grouped_and_explained_and_facts_carry_their_help(client: Any) -> None:
    """``categories[].group`` prefixes the category in the form; ``categories[].description`` explains it
    on the portal's category page; ``facts[].help`` is the hint under the fact's field."""
    org = install_variant(
        "phone_maker", "2026.1-texts",
        ("    label: {zh: 产品类投诉, en: Product-related complaint}\n",
         "    label: {zh: 产品类投诉, en: Product-related complaint}\n"
         "    description: {zh: 手机本身的功能或性能问题, en: The phone's own function or performance}\n"),
        ("{code: fault_scenario, type: textarea, label:",
         "{code: fault_scenario, type: textarea, "
         "help: {zh: 例如：通话一分钟后断线, en: e.g. calls drop after a minute}, label:"))
    client.force_login(org["agent"])
    form = client.get("/complaints/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="product">C · Product-related complaint</option>' in form
    facts = client.get("/complaints/new/facts/?category=product", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<div class="form-text">e.g. calls drop after a minute</div>' in facts
    portal = client.get("/portal/new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "手机本身的功能或性能问题" in portal


def test_installing_the_policy_gives_each_department_its_kind() -> None:
    from complaintdesk.accounts.models import Department

    org = install_org("iptv")
    kinds = dict(Department.objects.filter(code__in=[d.code for d in org.policy.departments])
                 .values_list("code", "kind"))
    assert kinds == {d.code: d.kind for d in org.policy.departments}
    assert kinds["internet_bu"] == "business" and kinds["cdn"] == "technical"


def test_a_category_names_the_target_when_the_agent_names_none() -> None:
    """``categories[].target``: the phone maker's dealer complaints concern the dealer."""
    org = install_org("phone_maker")
    complaint = register(org["agent"], category="dealer", targets=[])
    assert complaint.targets == ["dealer"] and complaint.primary_target == "dealer"
    named = register(org["agent"], category="dealer", targets=["company"],
                     customer={"title": "mr", "first_name": "Wei", "last_name": "Li", "phone": "13912345674",
                               "address": "Hangzhou", "language": "en"})
    assert named.targets == ["company"]  # the agent's choice stands
