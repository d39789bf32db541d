"""The navigation's return-visit badge counts the user's open visits, bounded like the new-complaints
badge: exact up to the limit, "99+" beyond (a bounded count never starts a parallel scan)."""

from __future__ import annotations

from typing import Any

import pytest
from followup_kit import visit_of

from complaintdesk.followup import selectors
from complaintdesk.followup.models import ReturnVisit

pytestmark = pytest.mark.django_db


def test_the_badge_counts_my_open_visits_up_to_the_limit(org: Any, resolved: Any, monkeypatch: Any) -> None:
    visits = [visit_of(resolved()) for _ in range(3)]
    assert selectors.my_open_visits(org["agent"]) == 0
    ReturnVisit.objects.filter(pk__in=[v.pk for v in visits]).update(assigned_to=org["agent"])
    ReturnVisit.objects.filter(pk=visits[0].pk).update(state=ReturnVisit.State.DONE)
    assert selectors.my_open_visits(org["agent"]) == 2
    assert selectors.my_open_visits(org["supervisor"]) == 0
    monkeypatch.setattr(selectors, "VISIT_BADGE_LIMIT", 1)
    assert selectors.my_open_visits(org["agent"]) == "1+"
    monkeypatch.setattr(selectors, "VISIT_BADGE_LIMIT", 2)
    assert selectors.my_open_visits(org["agent"]) == 2
