"""The follow-up demo seed puts the demo's resolved complaints into every return-visit state and, on
the community hotline, judges complaints about staff with appeals."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from followup_kit import hotline_registration, resolve

from complaintdesk.followup.demo import seed
from complaintdesk.followup.models import Judgement, ReturnVisit, SurveyLink
from orgkit import install_org

pytestmark = pytest.mark.django_db


def test_the_seed_works_the_return_visits(org: Any, registration: Any) -> None:
    start = timezone.now() - timedelta(days=3)
    complaints = [resolve(org, registration(), at=start + timedelta(minutes=i)) for i in range(5)]
    assert seed(org.policy) == 4
    visits = {v.complaint_id: v for v in ReturnVisit.objects.filter(cycle=1)}
    assert all(visits[c.pk].assigned_to == org["agent"] for c in complaints)
    results = Counter((v.state, v.result, v.outcome) for v in visits.values())
    assert results[("done", "answered", "close")] == 1 and results[("done", "answered", "reopen")] == 1
    assert results[("open", "", "")] == 3
    assert sum(v.calls.count() for v in visits.values()) == 4
    assert SurveyLink.objects.count() == 1


def test_the_seed_judges_and_appeals_on_the_hotline(org: Any) -> None:
    install_org("community_hotline")
    start = timezone.now() - timedelta(days=2)
    for i in range(4):
        resolve(org, hotline_registration(), at=start + timedelta(minutes=i))
    seed(install_org("community_hotline").policy)
    states = Counter(Judgement.objects.values_list("appeal_state", flat=True))
    assert states == Counter({"": 2, "filed": 1, "second_review": 1})
    assert Judgement.objects.filter(validity="invalid").count() == 1
