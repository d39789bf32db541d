"""First-person responsibility: a complaint always has an owner, who keeps it until an explicit,
logged handover to a named colleague (DOMAIN.md §2; 002 securities 第一人负责制)."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import act, bring_to, notices, register, state_of

from complaintdesk.complaints.models import Complaint, OwnershipChange
from complaintdesk.core.audit import seal_text
from complaintdesk.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def problems_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


def test_the_registrar_owns_a_new_complaint(org: Any) -> None:
    complaint = register(org["agent"])
    assert complaint.owner == org["agent"]
    assert Complaint.objects.filter(owner__isnull=True).count() == 0


def test_handover_to_a_named_colleague_is_logged_everywhere(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    version = complaint.version
    complaint = act(org["specialist"], complaint, "handover", to="supervisor",
                    reason="Customer asked for a team lead")
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.owner == org["supervisor"] and fresh.version == version + 1
    change = OwnershipChange.objects.filter(complaint=fresh).latest("id")
    assert (change.from_user, change.to_user, change.by) == (org["specialist"], org["supervisor"], org["specialist"])
    assert change.reason == "Customer asked for a team lead"
    event = AuditEvent.objects.filter(action="complaint.handover").get()
    assert event.before == {"owner": "specialist"}
    assert event.after == {"owner": "supervisor", "reason": seal_text("Customer asked for a team lead")}
    entry = fresh.timeline.filter(kind="handover").latest("id")
    assert entry.data["reason"] == "Customer asked for a team lead"
    assert [n.kind for n in notices(org["supervisor"])] == ["handover"]


def test_the_new_owner_may_act_and_the_old_one_no_longer(org: Any) -> None:
    from complaintdesk.accounts.services import user_create
    from complaintdesk.policy.schema import Role

    colleague = user_create(actor=None, username="li.na", password="correct-horse-battery", roles=[Role.SPECIALIST],
                            first_name="Na", last_name="Li", language="zh-hans")
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    complaint = act(org["specialist"], complaint, "handover", to="li.na", reason="Shift change")
    with pytest.raises(PermissionDenied):
        act(org["specialist"], complaint, "pause", condition="waiting_on_customer")
    assert act(colleague, complaint, "pause", condition="waiting_on_customer").waiting_on == "waiting_on_customer"
    assert notices(colleague)[0].subject == "投诉已移交给您"


@pytest.mark.parametrize(
    ("to", "reason", "fields"),
    [
        ("handler", "Holiday", {"to"}),  # a department handler may not own complaints
        ("vp", "Holiday", {"to"}),
        ("nobody.here", "Holiday", {"to"}),  # an unknown user
        ("", "Holiday", {"to"}),
        ("supervisor", "  ", {"reason"}),  # no reason
        ("specialist", "Holiday", {"to"}),  # already the owner
        ("legal", "", {"to", "reason"}),  # every problem at once
    ],
)
def test_bad_handovers_are_refused_and_change_nothing(org: Any, to: str, reason: str, fields: set[str]) -> None:
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "handover", to=to, reason=reason)
    assert set(problems_of(info)) == fields
    assert state_of(complaint) == before
    assert Complaint.objects.get(pk=complaint.pk).owner == org["specialist"]


def test_unknown_user_is_named_in_the_message(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "accepted")
    with pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "handover", to="nobody.here", reason="Holiday")
    assert "nobody.here" in problems_of(info)["to"]


def test_an_inactive_user_cannot_take_over(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "accepted")
    org["supervisor"].is_active = False
    org["supervisor"].save()
    before = state_of(complaint)
    with pytest.raises(ValidationFailed):
        act(org["specialist"], complaint, "handover", to="supervisor", reason="Holiday")
    assert state_of(complaint) == before


def test_someone_else_cannot_hand_the_complaint_over(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "accepted")
    before = state_of(complaint)
    with pytest.raises(PermissionDenied):
        act(org["agent"], complaint, "handover", to="agent", reason="I take it")
    assert state_of(complaint) == before


def test_a_supervisor_may_hand_over_a_complaint_they_do_not_own(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "accepted")
    complaint = act(org["supervisor"], complaint, "handover", to="qc_manager", reason="Specialist is ill")
    change = OwnershipChange.objects.filter(complaint=complaint).latest("id")
    assert (change.from_user, change.to_user, change.by) == (org["specialist"], org["qc_manager"], org["supervisor"])


@pytest.mark.parametrize("state", ["closed", "rejected", "withdrawn"])
def test_a_finished_complaint_is_not_handed_over(org: Any, state: str) -> None:
    complaint = bring_to(org, register(org["agent"]), state)
    before = state_of(complaint)
    with pytest.raises(InvalidTransition):
        act(org["supervisor"], complaint, "handover", to="qc_manager", reason="Archive")
    assert state_of(complaint) == before


def test_owner_is_never_empty_through_a_whole_life(org: Any) -> None:
    complaint = register(org["agent"])
    for action, fields in [("accept", {}), ("handover", {"to": "supervisor", "reason": "Cover"}), ("start", {}),
                           ("escalate", {"reason": "Media"}), ("pause", {"condition": "waiting_on_customer"}),
                           ("resume", {})]:
        actor = org["supervisor"] if action != "accept" else org["specialist"]
        complaint = act(actor, complaint, action, **fields)
        assert Complaint.objects.get(pk=complaint.pk).owner_id is not None
    chain = list(OwnershipChange.objects.filter(complaint=complaint).values_list("from_user__username",
                                                                                 "to_user__username"))
    assert chain == [("agent", "specialist"), ("specialist", "supervisor")]
