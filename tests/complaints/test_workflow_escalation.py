"""Escalation by hand, and the major-complaint team with its own clock (001 §4.5 and flowchart:
"在2小时(或用户所提最后期限)内做出最终解决并拿出方案")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import translation
from workkit import act, at, bring_to, notices, register, state_of

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.display import timeline_text
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.audit import seal_text
from complaintdesk.core.errors import InvalidTransition, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.core.policies import policy_of
from orgkit import install_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def problems_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


def test_escalation_raises_the_level_and_tells_its_supervisor(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    complaint = act(org["specialist"], complaint, "escalate", reason="Posted in a local newspaper")
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.level == "major"  # phone_maker: general → major, supervised by the QC manager
    event = AuditEvent.objects.get(action="complaint.escalate")
    assert event.before == {"level": "general"}
    assert event.after == {"level": "major", "reason": seal_text("Posted in a local newspaper")}
    assert fresh.timeline.filter(kind="escalated").get().data["level"] == "major"
    assert [n.kind for n in notices(org["qc_manager"])] == ["escalated"]
    assert notices(org["cs_head"]) == []


def test_escalation_to_a_named_level(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "accepted")
    act(org["specialist"], complaint, "escalate", level="crisis", reason="The police asked for documents")
    assert Complaint.objects.get(pk=complaint.pk).level == "crisis"
    assert [n.kind for n in notices(org["cs_head"])] == ["escalated"]


@pytest.mark.parametrize(
    ("start", "level", "reason", "fields"),
    [
        ("general", "", "", {"reason"}),
        ("major", "general", "Calmer now", {"level"}),  # escalation never lowers the level
        ("crisis", "", "More media", {"level"}),  # already at the top
        ("general", "purple", "Media", {"level"}),
        ("general", "purple", "", {"level", "reason"}),
    ],
)
def test_bad_escalations_are_refused(org: Any, start: str, level: str, reason: str, fields: set[str]) -> None:
    complaint = bring_to(org, register(org["agent"]), "accepted")
    if start != "general":
        complaint = act(org["specialist"], complaint, "escalate", level=start, reason="setup")
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "escalate", level=level, reason=reason)
    assert set(problems_of(info)) == fields
    assert state_of(complaint) == before


@pytest.mark.parametrize("state", ["closed", "rejected", "withdrawn"])
def test_finished_complaints_are_not_escalated(org: Any, state: str) -> None:
    complaint = bring_to(org, register(org["agent"]), state)
    before = state_of(complaint)
    with pytest.raises(InvalidTransition):
        act(org["supervisor"], complaint, "escalate", reason="Media")
    assert state_of(complaint) == before


def test_escalation_to_the_major_level_opens_the_team_with_a_two_hour_clock(db: Any) -> None:
    pc = install_org("pc_maker")
    moment = at("2026-06-10 10:00")
    complaint = bring_to(pc, register(pc["agent"], when=moment), "in_progress", now=moment)
    act(pc["specialist"], complaint, "escalate", reason="Tiers 1-6 failed; the customer went to the press",
        now=moment + timedelta(minutes=30))
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.level == "major" and fresh.major_opened_at == moment + timedelta(minutes=30)
    entry = fresh.timeline.get(kind="major_opened")
    assert entry.data["members"] == ["quality", "legal", "handler", "specialist", "vp"]
    assert AuditEvent.objects.get(action="complaint.major_team").after["members"] == entry.data["members"]
    # the timeline names the members by their roles' names, not their codes
    text = timeline_text(entry, policy_of(fresh.policy_version))
    assert text.startswith("Major-complaint team opened (") and "quality" not in text and "vp" not in text
    with translation.override("zh-hans"):
        zh = timeline_text(entry, policy_of(fresh.policy_version))
    assert "、" in zh and not any(code in zh for code in ("quality", "legal", "handler", "specialist", "vp"))
    for role in ["quality", "legal", "handler", "specialist", "vp"]:
        assert "major_opened" in [n.kind for n in notices(pc[role])], role
    assert notices(pc["gm"]) == []
    # the level's supervisor (quality, 品管部) is told of the escalation too
    assert "escalated" in [n.kind for n in notices(pc["quality"])]
    team = Clock.objects.get(complaint=fresh, code="major_team_solution")
    # 2 hours of calendar time from the opening: 10:30 → 12:30
    assert team.due_at == at("2026-06-10 12:30") and team.status == "running"
    assert team.warn_at == at("2026-06-10 12:00")  # warn_before: 30m


def test_an_earlier_customer_deadline_wins_over_two_hours(db: Any) -> None:
    pc = install_org("pc_maker")
    moment = at("2026-06-10 10:00")
    complaint = register(pc["agent"], when=moment, requested_deadline="2026-06-10 11:00")
    complaint = bring_to(pc, complaint, "in_progress", now=moment)
    act(pc["specialist"], complaint, "escalate", reason="Customer at the counter", now=at("2026-06-10 10:15"))
    team = Clock.objects.get(complaint=complaint, code="major_team_solution")
    assert team.due_at == at("2026-06-10 11:00")


def test_a_later_customer_deadline_leaves_the_two_hours(db: Any) -> None:
    pc = install_org("pc_maker")
    moment = at("2026-06-10 10:00")
    complaint = register(pc["agent"], when=moment, requested_deadline="2026-06-12 18:00")
    complaint = bring_to(pc, complaint, "in_progress", now=moment)
    act(pc["specialist"], complaint, "escalate", reason="Media", now=moment)
    assert Clock.objects.get(complaint=complaint, code="major_team_solution").due_at == at("2026-06-10 12:00")


def test_a_complaint_registered_at_the_major_level_opens_its_team_by_hand(db: Any) -> None:
    """pc_maker's triggers only suggest the major level; the specialist confirms by escalating."""
    pc = install_org("pc_maker")
    complaint = register(pc["agent"], level="major", level_override_reason="Customer is a journalist")
    assert complaint.level == "major" and complaint.major_opened_at is None
    complaint = bring_to(pc, complaint, "accepted")
    act(pc["specialist"], complaint, "escalate", level="major", reason="Tiers 1-6 failed")
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.major_opened_at is not None
    assert Clock.objects.filter(complaint=fresh, code="major_team_solution", status="running").count() == 1
    before = state_of(fresh)
    with pytest.raises(ValidationFailed):  # the team is open already
        act(pc["specialist"], fresh, "escalate", level="major", reason="again")
    assert state_of(fresh) == before


def test_the_levels_supervisor_sees_the_major_complaint_on_the_supervision_page(db: Any, client: Any) -> None:
    pc = install_org("pc_maker")
    complaint = bring_to(pc, register(pc["agent"]), "in_progress")
    quiet = register(pc["agent"], customer={"last_name": "Wang", "phone": "13912345670", "language": "en"})
    act(pc["specialist"], complaint, "escalate", reason="Fire while charging")
    client.force_login(pc["quality"])
    response = client.get("/supervision/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert complaint.number in page and quiet.number not in page
    assert "Major-complaint teams" in page and "major team" in page
    assert 'data-testid="deadline"' in page
    client.force_login(pc["agent"])
    assert client.get("/supervision/").status_code == 403
