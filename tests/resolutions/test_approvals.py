"""Approvals: chains, delegation while an approver is away, one decision per approval, the
approval clocks, and resolving only with a cleared plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from reskit import make_complaint, plan_input, resolve

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.notify.models import Message
from complaintdesk.resolutions.models import Approval, Delegation, Plan
from complaintdesk.resolutions.selectors.plans import approvals_for
from complaintdesk.resolutions.services import (
    approval_decide,
    delegation_create,
    delegation_revoke,
    plan_submit,
)
from orgkit import install_variant

pytestmark = pytest.mark.django_db


def chained(org: Any) -> Any:
    return install_variant("pc_maker", "2026.1-chain",
                           ("approval:\n  currency: CNY\n", "approval:\n  currency: CNY\n  chain: true\n"))


def test_a_chain_asks_every_holder_above_the_author_in_turn(pc: Any) -> None:
    org = chained(pc)
    complaint = make_complaint(org)
    plan = plan_submit(actor=org["specialist"], number=complaint.number, data=plan_input("2500"))
    steps = list(plan.approvals.order_by("step"))
    assert [a.role for a in steps] == ["supervisor", "cs_head", "vp"]
    assert [a.state for a in steps] == ["pending", "waiting", "waiting"]
    with pytest.raises(Conflict, match="not waiting for a decision"):
        approval_decide(actor=org["vp"], approval_id=steps[2].pk, decision="approve")
    for approval, role in zip(steps, ["supervisor", "cs_head", "vp"], strict=True):
        approval_decide(actor=org[role], approval_id=approval.pk, decision="approve", comment="ok")
        plan.refresh_from_db()
    assert plan.state == Plan.State.APPROVED
    assert list(plan.approvals.values_list("state", flat=True)) == ["approved"] * 3
    kinds = list(complaint.timeline.filter(kind="approval_requested").values_list("data__role", flat=True))
    assert kinds == ["supervisor", "cs_head", "vp"]


def test_a_rejection_in_a_chain_ends_the_plan(pc: Any) -> None:
    org = chained(pc)
    complaint = make_complaint(org)
    plan = plan_submit(actor=org["specialist"], number=complaint.number, data=plan_input("900"))
    first, second, third = plan.approvals.order_by("step")
    approval_decide(actor=org["supervisor"], approval_id=first.pk, decision="approve")
    approval_decide(actor=org["cs_head"], approval_id=second.pk, decision="reject", comment="先走维修流程")
    plan.refresh_from_db()
    third.refresh_from_db()
    assert plan.state == Plan.State.REJECTED and third.state == Approval.State.CANCELLED
    with pytest.raises(ValidationFailed) as exc:
        resolve(org, complaint)
    assert [p.field for p in exc.value.problems] == ["plan"]
    assert "rejected" in str(exc.value.problems[0].message)


def test_within_own_limit_a_chain_asks_nobody(pc: Any) -> None:
    org = chained(pc)
    complaint = make_complaint(org)
    plan = plan_submit(actor=org["specialist"], number=complaint.number, data=plan_input("100"))
    assert plan.state == Plan.State.AUTHORISED


def test_delegate_decides_while_the_vp_is_away(pc: Any, extra_user: Any) -> None:
    deputy = extra_user("deputy", "cs_head")
    now = timezone.now()
    delegation_create(actor=pc["vp"], to="deputy", until=(now + timedelta(days=3)).isoformat(), reason="出差")
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number,
                       data=plan_input("2500", tier="replacement", kind="replacement_difference"))
    approval = plan.approvals.get()
    assert approval.approver == pc["vp"]
    assert Message.objects.filter(recipient_user=deputy, kind="approval_delegated").exists()
    assert list(approvals_for(deputy)) == [approval]
    assert not approvals_for(pc["cs_head"]).exists()
    with pytest.raises(PermissionDenied, match="named approver"):
        approval_decide(actor=pc["cs_head"], approval_id=approval.pk, decision="approve")
    approval_decide(actor=deputy, approval_id=approval.pk, decision="approve", comment="代副总批准")
    approval.refresh_from_db()
    assert approval.decided_by == deputy and approval.on_behalf_of == pc["vp"]
    assert complaint.timeline.filter(kind="approval_decided", data__on_behalf_of=pc["vp"].display_name()).exists()


def test_delegation_made_after_the_request_also_counts_and_ends(pc: Any, extra_user: Any) -> None:
    deputy = extra_user("deputy", "supervisor")
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("2000"))
    approval = plan.approvals.get()
    now = timezone.now()
    delegation = delegation_create(actor=pc["vp"], to="deputy", until=(now + timedelta(days=1)).isoformat(),
                                   reason="休假")
    assert Delegation.objects.get().from_user == pc["vp"]
    delegation_revoke(actor=pc["vp"], delegation_id=delegation.pk)
    with pytest.raises(PermissionDenied):
        approval_decide(actor=deputy, approval_id=approval.pk, decision="approve")
    approval_decide(actor=pc["vp"], approval_id=approval.pk, decision="approve")
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.APPROVED


def test_an_away_approver_without_delegation_is_replaced_by_a_present_colleague(pc: Any, extra_user: Any) -> None:
    second = extra_user("vp2", "vp")
    vp = pc["vp"]
    vp.away_until = timezone.now() + timedelta(days=2)
    vp.save(update_fields=["away_until"])
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("2000"))
    assert plan.approvals.get().approver == second


def test_the_author_never_decides_even_as_a_delegate(pc: Any) -> None:
    now = timezone.now()
    delegation_create(actor=pc["cs_head"], to="supervisor", until=(now + timedelta(days=1)).isoformat(),
                      reason="培训")
    complaint = make_complaint(pc, owner="supervisor")
    plan = plan_submit(actor=pc["supervisor"], number=complaint.number, data=plan_input("500"))
    approval = plan.approvals.get()
    assert approval.approver == pc["cs_head"]
    with pytest.raises(PermissionDenied, match="own plan"):
        approval_decide(actor=pc["supervisor"], approval_id=approval.pk, decision="approve")


def test_a_decided_approval_stays_decided(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("250"))
    approval = plan.approvals.get()
    approval_decide(actor=pc["supervisor"], approval_id=approval.pk, decision="approve")
    with pytest.raises(Conflict, match="already decided"):
        approval_decide(actor=pc["supervisor"], approval_id=approval.pk, decision="reject", comment="改主意")
    approval.refresh_from_db()
    assert approval.state == Approval.State.APPROVED


def test_each_approval_has_its_own_clock(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number,
                       data=plan_input("2500", tier="replacement", kind="replacement_difference"))
    approval = plan.approvals.get()
    clock = Clock.objects.get(complaint=complaint, subject=f"approval:{approval.pk}")
    assert clock.code == "tier_approval_same_day" and clock.status == Clock.Status.RUNNING
    approval_decide(actor=pc["vp"], approval_id=approval.pk, decision="approve")
    clock.refresh_from_db()
    assert clock.status == Clock.Status.STOPPED
    # ③–⑥: a solution within 24 hours of the approval
    proposal = Clock.objects.get(complaint=complaint, code="solution_proposal")
    assert proposal.subject == f"plan:{plan.pk}" and proposal.status == Clock.Status.RUNNING


def test_a_legal_plan_is_reviewed_by_the_vp_then_approved_by_legal(pc: Any) -> None:
    """001 ⑥: reported to the VP for review and approved by the legal office the same day: two
    approvals in turn, each on the same-day clock; the plan is approved when legal has decided."""
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("50", tier="legal"))
    review, legal = plan.approvals.order_by("step")
    assert (review.role, legal.role) == ("vp", "legal")
    assert (review.state, legal.state) == ("pending", "waiting")
    approval_decide(actor=pc["vp"], approval_id=review.pk, decision="approve", comment="同意，请法务处审批")
    legal.refresh_from_db()
    assert legal.state == "pending"
    assert Clock.objects.get(complaint=complaint, subject=f"approval:{legal.pk}").code == "tier_approval_same_day"
    approval_decide(actor=pc["legal"], approval_id=legal.pk, decision="approve")
    plan.refresh_from_db()
    assert plan.state == Plan.State.APPROVED


def test_cheap_tiers_use_the_general_approval_clock(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("280"))
    approval = plan.approvals.get()
    clock = Clock.objects.get(complaint=complaint, subject=f"approval:{approval.pk}")
    assert clock.code == "approval_decision"


def test_resolving_waits_for_the_pending_plan_then_succeeds(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("250"))
    with pytest.raises(ValidationFailed) as exc:
        resolve(pc, complaint)
    (problem,) = exc.value.problems
    assert problem.field == "plan" and "waiting for approval" in str(problem.message)
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.IN_PROGRESS
    approval_decide(actor=pc["supervisor"], approval_id=plan.approvals.get().pk, decision="approve")
    resolve(pc, complaint)
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.RESOLVED


def test_a_complaint_without_a_plan_resolves_as_before(pc: Any) -> None:
    complaint = make_complaint(pc)
    resolve(pc, complaint)
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.RESOLVED


def test_a_new_plan_replaces_the_pending_one_and_cancels_its_approval(pc: Any) -> None:
    complaint = make_complaint(pc)
    first = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("250"))
    old = first.approvals.get()
    second = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("90"))
    first.refresh_from_db()
    old.refresh_from_db()
    assert first.state == Plan.State.SUPERSEDED and old.state == Approval.State.CANCELLED
    assert second.state == Plan.State.AUTHORISED
    assert not Clock.objects.filter(subject=f"approval:{old.pk}", status="running").exists()
    resolve(pc, complaint)


def test_withdrawing_the_complaint_cancels_its_pending_plan(pc: Any) -> None:
    from complaintdesk.complaints.services.actions import complaint_withdraw

    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("500"))
    complaint_withdraw(actor=pc["specialist"], number=complaint.number, withdrawn_by="王建国")
    plan.refresh_from_db()
    assert plan.state == Plan.State.CANCELLED
    assert plan.approvals.get().state == Approval.State.CANCELLED
