"""The registration page's unit select (Django test client): shown only to a user who may register at
more than one unit; the preview follows the chosen unit's policy; a missing choice is explained."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.complaints.models import Complaint
from complaintdesk.units.models import Unit
from unittree import build_tree, install_inactive, variant

pytestmark = pytest.mark.django_db


def form(registration: Any, **extra: str) -> dict[str, Any]:
    data = registration()
    flat = {f"customer.{k}": v for k, v in data["customer"].items()}
    flat.update({f"product.{k}": v for k, v in data["product"].items()})
    flat.update({f"facts.{k}": v for k, v in data["facts"].items()})
    flat.update({"channel": data["channel"], "category": data["category"], "targets": data["targets"],
                 "reason_codes": "/".join(data["reason_codes"]), "reason": data["reason"],
                 "description": data["description"], "customer_request": data["customer_request"]})
    flat.update(extra)
    return flat


def test_the_select_shows_for_several_units_and_hides_for_one(org: Any, client: Any) -> None:
    tree = build_tree()
    client.force_login(tree.users["sup_east"])
    page = client.get("/complaints/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="f-unit"' in page and "Dealer B" in page
    assert 'value="east" data-version' in page and 'value="dealer-c"' not in page
    client.force_login(tree.users["agent_a"])
    page = client.get("/complaints/new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="f-unit"' not in page


def test_the_chosen_unit_is_registered_and_a_missing_choice_explained(org: Any, client: Any,
                                                                       registration: Any) -> None:
    tree = build_tree()
    client.force_login(tree.users["twice"])
    refused = client.post("/complaints/new/", form(registration), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 422
    assert "请选择受理投诉的单位" in refused.content.decode()
    done = client.post("/complaints/new/", form(registration, unit="dealer-b"), HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 302
    assert Complaint.objects.get().unit.code == "dealer-b"


def test_the_preview_and_the_lists_follow_the_units_policy(org: Any, client: Any) -> None:
    tree = build_tree()
    own = install_inactive(variant("phone_maker", "2026.9-dealer-b",
                                   ("en: When and how the fault occurs", "en: Dealer B's fault scenario")))
    Unit.objects.filter(code="dealer-b").update(policy_version=own)
    client.force_login(tree.users["sup_east"])
    page = client.get("/complaints/new/?unit=dealer-b", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2026.9-dealer-b" in page
    assert f'data-current-version="{own.pk}"' in page
    head_office = client.get("/complaints/new/?unit=dealer-a", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2026.9-dealer-b" not in head_office
    preview = client.post("/complaints/new/preview/", {"unit": "dealer-b", "category": "product"},
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dealer B&#x27;s fault scenario" in preview
    other = client.post("/complaints/new/preview/", {"unit": "dealer-a", "category": "product"},
                        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "When and how the fault occurs" in other
