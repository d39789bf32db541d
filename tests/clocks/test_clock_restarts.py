"""``clocks[].restarts_on``: an event that brings new facts starts the clock again from that moment
(the running cycle is cancelled, not met); other clocks are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from workkit import act, at, register

from complaintdesk.clocks.models import Clock
from orgkit import install_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]

REGISTERED = at("2026-06-10 10:00")


def test_the_clock_starts_again_on_its_restart_event() -> None:
    org = install_variant("phone_maker", "2026.1-restart",
                          ("    pauses_on: [waiting_on_customer]\n    warn_before: 4h\n",
                           "    pauses_on: [waiting_on_customer]\n    restarts_on: [accepted]\n    warn_before: 4h\n"))
    complaint = register(org["agent"], when=REGISTERED)
    first = Clock.objects.get(complaint=complaint, code="first_reply")
    assert first.due_at == REGISTERED + timedelta(hours=24)
    act(org["specialist"], complaint, "accept", now=REGISTERED + timedelta(hours=4))
    cycles = list(Clock.objects.filter(complaint=complaint, code="first_reply").order_by("id"))
    assert [c.status for c in cycles] == ["cancelled", "running"]
    assert cycles[1].started_at == REGISTERED + timedelta(hours=4)
    assert cycles[1].due_at == REGISTERED + timedelta(hours=28)


def test_without_restarts_on_the_clock_keeps_running() -> None:
    org = install_variant("phone_maker", "2026.1-norestart")
    complaint = register(org["agent"], when=REGISTERED)
    act(org["specialist"], complaint, "accept", now=REGISTERED + timedelta(hours=4))
    clocks = list(Clock.objects.filter(complaint=complaint, code="first_reply"))
    assert len(clocks) == 1 and clocks[0].status == "running"
    assert clocks[0].due_at == REGISTERED + timedelta(hours=24)
