"""The demo's watched complaint (``complaintdesk demo`` prints "watch …: its reply deadline passes at
HH:MM"): its promised reply passes a few minutes after the demo starts, not before, and only a
promise of exact time gets one — a promise of whole days ends at midnight (the hypermarket's three
days), which the printed line would misstate; a policy with one promise per door is read for the
demo complaint's door (the restaurant's face-to-face remedy within 30 minutes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from complaintdesk.clocks.models import Clock
from complaintdesk.demo_stages import watch_complaint
from orgkit import install_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("preset", "clock"), [("phone_maker", "first_reply"), ("restaurant", "remedy_on_site")])
def test_the_watched_complaint_is_due_minutes_from_now(preset: str, clock: str) -> None:
    """The phone maker promises the first reply within 24h; the restaurant's first door (face to
    face) a remedy within 30 minutes."""
    org = install_org(preset)
    before = timezone.now()
    watched = watch_complaint(org.policy, minutes=3)
    assert watched is not None
    assert before + timedelta(minutes=2) < watched.reply_due_at <= timezone.now() + timedelta(minutes=3, seconds=1)
    running = Clock.objects.get(complaint=watched, code=clock)
    assert running.status == Clock.Status.RUNNING and running.breached_at is None
    assert watched.registered_by == org["agent"]
    assert watched.facts and set(watched.facts.values()) <= {"Demo entry", "演示填写"}  # not a dash


@pytest.mark.parametrize("preset", ["hypermarket", "insurer", "pc_maker", "securities", "shopping_mall"])
def test_no_watch_where_the_promise_counts_days_or_working_time(preset: str) -> None:
    org = install_org(preset)
    assert watch_complaint(org.policy) is None
