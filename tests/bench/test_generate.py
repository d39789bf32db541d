"""bench/generate.py: realistic complaints in bulk that the application reads like registered ones,
and after which registration goes on numbering without a collision."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone

from complaintdesk.complaints.models import Complaint, ContactDigest, TimelineEntry
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.policies import active_version
from orgkit import valid_registration

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import generate

pytestmark = pytest.mark.django_db


def test_generated_complaints_are_spread_skewed_and_linked(org: Any) -> None:
    result = generate.generate(600, presets=["phone_maker", "restaurant", "insurer"], active="phone_maker",
                               days=60, open_share=0.05, batch=250, show_progress=False)
    assert result["complaints"] == 600 and result["presets"] == 3
    assert Complaint.objects.count() == 600  # the organisation fixture registers none
    open_count = Complaint.objects.exclude(status__in=["closed", "rejected", "withdrawn"]).count()
    assert 0 < open_count < 0.35 * 600  # 5 % drawn, and those of the last weeks too recent to have closed
    now = timezone.now()
    assert not Complaint.objects.filter(closed_at__gt=now).exists()
    # Closings are spread as registrations are (10 a day): none piled onto today for those too recent to close.
    assert Complaint.objects.filter(closed_at__gt=now - timedelta(days=1)).count() < 30
    categories = list(Complaint.objects.filter(policy_version=active_version()).values("category")
                      .annotate(n=Count("id")).order_by("-n").values_list("n", flat=True))
    assert len(categories) > 3 and categories[0] > 3 * categories[-1]  # a few categories take most
    assert Complaint.objects.filter(language="en").exists() and Complaint.objects.filter(language="zh-hans").exists()
    assert Complaint.objects.filter(repeats__isnull=False).exists()  # repeat customers within the window
    assert ContactDigest.objects.count() >= 600
    assert TimelineEntry.objects.filter(kind="registered").count() == 600
    assert result["tables"]["clocks_clock"] > 0 and result["tables"]["resolutions_plan"] > 0
    assert result["tables"]["followup_returnvisit"] > 0 and result["tables"]["complaints_workorder"] > 0


def test_registration_after_a_load_continues_the_numbering(org: Any) -> None:
    generate.generate(200, presets=["phone_maker"], active="phone_maker", days=1, batch=100, show_progress=False)
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**valid_registration()).to_input())
    assert Complaint.objects.filter(number=complaint.number).count() == 1
    assert Complaint.objects.count() == 201


def test_the_api_lists_generated_complaints(org: Any, api: Any) -> None:
    generate.generate(120, presets=["phone_maker"], active="phone_maker", days=30, batch=60, show_progress=False)
    response = api("supervisor").get("/complaints?page_size=25")
    assert response.status_code == 200, response.json_body
    assert len(response.json_body["results"]) == 25 and response.json_body["has_next"]
