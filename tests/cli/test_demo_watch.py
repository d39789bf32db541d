"""The demo's watched complaint (``complaintdesk demo`` prints "watch …: its reply deadline passes at
HH:MM"): its promised reply passes a few minutes after the demo starts, not before, and only a
promise of exact time gets one — a promise of whole days ends at midnight (the restaurant's "before
the guest leaves", 0d; the hypermarket's three days), which the printed line would misstate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from complaintdesk.clocks.models import Clock
from complaintdesk.demo_stages import watch_complaint
from orgkit import install_org

pytestmark = pytest.mark.django_db


def test_the_watched_complaint_is_due_minutes_from_now() -> None:
    org = install_org("phone_maker")  # the promise: the first reply within 24h
    before = timezone.now()
    watched = watch_complaint(org.policy, minutes=3)
    assert watched is not None
    assert before + timedelta(minutes=2) < watched.reply_due_at <= timezone.now() + timedelta(minutes=3, seconds=1)
    clock = Clock.objects.get(complaint=watched, code="first_reply")
    assert clock.status == Clock.Status.RUNNING and clock.breached_at is None
    assert watched.registered_by == org["agent"]


@pytest.mark.parametrize("preset", ["restaurant", "hypermarket", "insurer", "pc_maker", "securities"])
def test_no_watch_where_the_promise_counts_days_or_working_time(preset: str) -> None:
    org = install_org(preset)
    assert watch_complaint(org.policy) is None
