"""The lifecycle table: every action from every state, allowed or refused, and the rules of each
transition (DESIGN.md §4; DOMAIN.md §6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from workkit import act, bring_to, register, resolve_fields, root_cause, state_of

from complaintdesk.complaints.models import Complaint, OwnershipChange
from complaintdesk.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from orgkit import install_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]

STATES = ["registered", "accepted", "in_progress", "resolved", "closed", "rejected", "withdrawn"]
OPEN = {"registered", "accepted", "in_progress", "resolved"}
# action: (states it is allowed from, the state it leads to; None = an attribute, the status stays)
EXPECTED: dict[str, tuple[set[str], str | None]] = {
    "accept": ({"registered"}, "accepted"),
    "start": ({"accepted"}, "in_progress"),
    "resolve": ({"in_progress"}, "resolved"),
    "close": ({"resolved"}, "closed"),
    "reject": ({"registered", "accepted"}, "rejected"),
    "withdraw": ({"registered", "accepted", "in_progress", "resolved"}, "withdrawn"),
    "reopen": ({"resolved", "closed"}, "in_progress"),
    "escalate": (OPEN, None),
    "handover": (OPEN, None),
    "pause": (OPEN, None),
    "resume": (OPEN, None),
}


def problems_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


def fields_for(action: str, org: Any, complaint: Complaint) -> dict[str, Any]:
    policy = org.policy
    owner = complaint.owner.username
    return {
        "resolve": resolve_fields(policy),
        "reject": {"reason": policy.reject_reasons[0].code},
        "withdraw": {"withdrawn_by": "The customer, in writing"},
        "reopen": {"note": "The customer called: the fault is back."},
        "escalate": {"reason": "The customer threatens to go to the press."},
        "handover": {"to": "qc_manager" if owner == "specialist" else "specialist", "reason": "Holiday cover"},
        "pause": {"condition": "waiting_on_customer", "note": "Waiting for the purchase receipt"},
    }.get(action, {})


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_every_action_from_every_state(org: Any, state: str, action: str) -> None:
    complaint = bring_to(org, register(org["agent"]), state)
    if action == "resume" and complaint.is_open:
        complaint = act(org["supervisor"], complaint, "pause", condition="waiting_on_customer")
    allowed, target = EXPECTED[action]
    before = state_of(complaint)
    audits = AuditEvent.objects.count()
    if state in allowed:
        result = act(org["supervisor"], complaint, action, **fields_for(action, org, complaint))
        fresh = Complaint.objects.get(pk=complaint.pk)
        assert fresh.status == (target or state) == result.status
        assert fresh.version == before[1] + 1
        assert AuditEvent.objects.filter(action__startswith="complaint.").count() > 0
        assert AuditEvent.objects.count() > audits
        assert fresh.timeline.count() > before[3]
    else:
        with pytest.raises(InvalidTransition):
            act(org["supervisor"], complaint, action, **fields_for(action, org, complaint))
        assert state_of(complaint) == before


@pytest.mark.parametrize("state", STATES)
def test_extension_is_an_action_of_open_complaints_with_a_running_clock(org: Any, state: str) -> None:
    """scenic_area's final_reply may be extended (approver: supervisor); it stops on resolve."""
    scenic = install_org("scenic_area")
    complaint = bring_to(scenic, register(scenic["agent"]), state)
    before = state_of(complaint)
    fields = {"clock": "final_reply", "by": "1wd", "reason": "Waiting for the lab report"}
    if state in {"registered", "accepted", "in_progress"}:
        act(scenic["supervisor"], complaint, "extend", **fields)
        fresh = Complaint.objects.get(pk=complaint.pk)
        assert fresh.version == before[1] + 1 and fresh.status == state
        assert fresh.timeline.filter(kind="clock_extended").count() == 1
    else:
        expected = Conflict if state == "resolved" else InvalidTransition
        with pytest.raises(expected):
            act(scenic["supervisor"], complaint, "extend", **fields)
        assert state_of(complaint) == before


def test_unknown_action_is_refused_naming_the_actions(org: Any) -> None:
    complaint = register(org["agent"])
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "teleport")
    assert "accept" in problems_of(info)["action"]
    assert state_of(complaint) == before


def test_refusal_message_names_the_state_and_the_allowed_ones(org: Any) -> None:
    complaint = register(org["agent"])
    with pytest.raises(InvalidTransition) as info:
        act(org["agent"], complaint, "close")  # the owner may close, but not a registered complaint
    message = str(info.value.message)
    assert "Registered" in message and "Resolved" in message


# --- rejection, withdrawal, reopening, resolution -----------------------------------------------


@pytest.mark.parametrize("reason", ["", "not_a_reason"])
def test_rejection_needs_a_reason_from_the_policys_list(org: Any, reason: str) -> None:
    complaint = register(org["agent"])
    before = state_of(complaint)
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "reject", reason=reason)
    message = problems_of(info)["reason"]
    assert all(str(r.label.get("zh-hans")) in message for r in org.policy.reject_reasons)
    assert not any(r.code in message for r in org.policy.reject_reasons)  # the reader's words, not codes
    assert state_of(complaint) == before
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "reject", reason=reason)
    assert "An enquiry, not a complaint, Duplicate registration" in problems_of(info)["reason"]


def test_rejection_records_the_reason(org: Any) -> None:
    complaint = act(org["specialist"], register(org["agent"]), "reject", reason="duplicate",
                    note="Same as yesterday's call")
    assert complaint.status == "rejected" and complaint.outcome_reason == "duplicate"
    assert complaint.closed_at is not None
    event = AuditEvent.objects.filter(action="complaint.reject").get()
    assert event.after["reason"] == "duplicate"
    entry = complaint.timeline.get(kind="status_reject")
    assert entry.data["reason"] == "duplicate"
    assert not complaint.clocks.filter(status__in=["running", "paused"]).exists()


def test_withdrawal_records_who_withdrew(org: Any) -> None:
    complaint = register(org["agent"])
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as info:
        act(org["agent"], complaint, "withdraw", withdrawn_by="  ")
    assert "withdrawn_by" in problems_of(info)
    assert state_of(complaint) == before
    complaint = act(org["agent"], complaint, "withdraw", withdrawn_by="Mr. Carter (the customer's husband)")
    assert complaint.status == "withdrawn"
    assert Complaint.objects.get(pk=complaint.pk).withdrawn_by == "Mr. Carter (the customer's husband)"
    # free text is sealed in the audit chain
    assert AuditEvent.objects.get(action="complaint.withdraw").after["withdrawn_by"].startswith("hmac:")
    assert complaint.timeline.get(kind="status_withdraw").data["withdrawn_by"].startswith("Mr. Carter")


def test_reopening_needs_a_reason(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "closed")
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "reopen")
    assert "note" in problems_of(info)
    assert state_of(complaint) == before
    complaint = act(org["specialist"], complaint, "reopen", reason="The customer says the fault is back.")
    assert complaint.status == "in_progress" and complaint.closed_at is None and complaint.resolved_at is None
    assert complaint.timeline.filter(kind="status_reopen").get().data["note"] == "The customer says the fault is back."


def test_resolution_needs_result_root_cause_and_corrective_action_all_at_once(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    before = state_of(complaint)
    with pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "resolve")
    assert {"note", "root_cause", "corrective_action"} <= set(problems_of(info))
    with pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "resolve", note="Done", root_cause=root_cause(org.policy)[:2],
            corrective_action="Train staff")
    assert "level 3" in problems_of(info)["root_cause"]
    with pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "resolve", note="Done", root_cause=["product_quality", "nonsense"],
            corrective_action="Train staff")
    assert "root_cause" in problems_of(info)
    assert state_of(complaint) == before
    complaint = act(org["specialist"], complaint, "resolve", **resolve_fields(org.policy))
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.status == "resolved" and fresh.root_cause == root_cause(org.policy)
    assert fresh.corrective_action == "Add a battery check to the repair checklist."
    assert fresh.outcome_note.startswith("Replaced the battery")
    after = AuditEvent.objects.get(action="complaint.resolve").after
    assert after["root_cause"] == root_cause(org.policy) and after["corrective_action"]


# --- acceptance and ownership ---------------------------------------------------------------------


def test_accept_is_refused_while_facts_are_missing(org: Any, registration: Any) -> None:
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    data = registration()
    data["facts"].pop("troubleshooting")
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input())
    assert complaint.complete is False
    before = state_of(complaint)
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "accept")
    message = problems_of(info)["missing_facts"]
    assert "用户已进行过的排障" in message and "troubleshooting" not in message
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        act(org["specialist"], complaint, "accept")
    assert problems_of(info)["missing_facts"].endswith(": Troubleshooting already done.")
    assert state_of(complaint) == before


def test_accepting_makes_the_accepting_user_the_owner(org: Any) -> None:
    complaint = register(org["agent"])
    assert complaint.owner == org["agent"]
    complaint = act(org["specialist"], complaint, "accept")
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.owner == org["specialist"] and fresh.accepted_at is not None
    change = OwnershipChange.objects.get(complaint=fresh)
    assert (change.from_user, change.to_user, change.by) == (org["agent"], org["specialist"], org["specialist"])
    assert change.reason
    assert AuditEvent.objects.get(action="complaint.accept").after["owner"] == "specialist"
    assert fresh.timeline.filter(kind="handover").count() == 1


def test_agent_accepts_and_owns_what_it_registered(org: Any) -> None:
    """Decision 0010: the front line accepts the complaints it can answer at once."""
    complaint = act(org["agent"], register(org["agent"]), "accept")
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert (fresh.status, fresh.owner) == ("accepted", org["agent"])
    assert fresh.accepted_at is not None


def test_agent_may_not_reject_a_registration_it_does_not_own(org: Any) -> None:
    complaint = register(org["specialist"])
    before = state_of(complaint)
    with pytest.raises(PermissionDenied):
        act(org["agent"], complaint, "reject", reason="not a complaint")
    assert state_of(complaint) == before


def test_legal_may_not_accept(org: Any) -> None:
    complaint = register(org["agent"])
    before = state_of(complaint)
    with pytest.raises(PermissionDenied):
        act(org["legal"], complaint, "accept")
    assert state_of(complaint) == before


def test_only_the_owner_or_a_supervisor_moves_a_complaint_on(org: Any) -> None:
    from complaintdesk.accounts.models import User
    from complaintdesk.accounts.services import user_create
    from complaintdesk.policy.schema import Role

    complaint = bring_to(org, register(org["agent"]), "accepted")
    other = User.objects.filter(username="specialist2").first() or user_create(
        actor=None, username="specialist2", password="correct-horse-battery", roles=[Role.SPECIALIST],
        first_name="Second", last_name="Specialist", language="en")
    before = state_of(complaint)
    with pytest.raises(PermissionDenied):
        act(other, complaint, "start")
    assert state_of(complaint) == before
    assert act(org["supervisor"], complaint, "start").status == "in_progress"


def test_closing_stops_every_clock(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "closed")
    assert not complaint.clocks.filter(status__in=["running", "paused"]).exists()
    assert complaint.clocks.filter(code="first_reply").get().status in {"stopped", "cancelled"}


def test_a_reopened_complaint_needs_its_daily_update_again(org: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "closed")
    assert not complaint.clocks.filter(code="daily_update", status="running").exists()
    act(org["specialist"], complaint, "reopen", note="The fault is back")
    assert complaint.clocks.filter(code="daily_update", status="running").count() == 1
