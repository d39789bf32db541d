"""The customer's decision on the proposed solution (accepted; refused with their words: back to
planning), implementation, and precedent: resolved complaints of the same category and model with
their solutions, best first, found by Chinese or English words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from reskit import close_after_return_visit, make_complaint, plan_input, resolve

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.resolutions.models import Approval, Plan
from complaintdesk.resolutions.selectors.precedents import precedents
from complaintdesk.resolutions.services import (
    approval_decide,
    plan_customer_decision,
    plan_implemented,
    plan_submit,
)

pytestmark = pytest.mark.django_db


def test_acceptance_is_recorded_and_the_solution_counts_as_proposed(pc: Any) -> None:
    complaint = make_complaint(pc)
    promise = Clock.objects.get(complaint=complaint, code="technical_solution")
    assert promise.status == Clock.Status.RUNNING
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("60"))
    plan_customer_decision(actor=pc["specialist"], plan_id=plan.pk, decision="accepted", words="可以接受",
                           channel="phone")
    plan.refresh_from_db()
    promise.refresh_from_db()
    assert plan.customer_decision == "accepted" and plan.proposed_at is not None
    assert promise.status == Clock.Status.STOPPED
    with pytest.raises(Conflict, match="already recorded"):
        plan_customer_decision(actor=pc["specialist"], plan_id=plan.pk, decision="refused", words="又不要了")


def test_a_refusal_needs_the_customers_words_and_returns_to_planning(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("250"))
    with pytest.raises(ValidationFailed) as exc:
        plan_customer_decision(actor=pc["specialist"], plan_id=plan.pk, decision="refused", words=" ")
    assert [p.field for p in exc.value.problems] == ["words"]
    plan_customer_decision(actor=pc["specialist"], plan_id=plan.pk, decision="refused", words="延保没用，我要退货")
    plan.refresh_from_db()
    assert plan.state == Plan.State.REFUSED and plan.customer_words == "延保没用，我要退货"
    assert plan.approvals.get().state == Approval.State.CANCELLED
    entry = complaint.timeline.get(kind="customer_decision")
    assert entry.data["words"] == "延保没用，我要退货"
    with pytest.raises(ValidationFailed) as exc:
        resolve(pc, complaint)
    assert "refused" in str(exc.value.problems[0].message)
    new = plan_submit(actor=pc["specialist"], number=complaint.number,
                      data=plan_input("3000", tier="refund", kind="refund"))
    assert new.sequence == 2 and [a.role for a in new.approvals.all()] == ["vp"]


def test_a_refusal_after_resolving_reopens_the_complaint(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("90"))
    resolve(pc, complaint)
    plan_customer_decision(actor=pc["specialist"], plan_id=plan.pk, decision="refused", words="问题没有解决")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.IN_PROGRESS
    assert complaint.timeline.filter(kind="status_reopen", data__note="问题没有解决").exists()


def test_the_customer_decides_on_the_portal_without_staff(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("60"))
    with pytest.raises(PermissionDenied):
        plan_customer_decision(actor=None, plan_id=plan.pk, decision="accepted", channel="phone")
    plan_customer_decision(actor=None, plan_id=plan.pk, decision="accepted", channel="portal")
    plan.refresh_from_db()
    assert plan.customer_channel == "portal" and plan.customer_recorded_by is None


def test_only_a_cleared_plan_is_implemented(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("250"))
    with pytest.raises(Conflict, match="approved or authorised"):
        plan_implemented(actor=pc["specialist"], plan_id=plan.pk)
    approval_decide(actor=pc["supervisor"], approval_id=plan.approvals.get().pk, decision="approve")
    plan_implemented(actor=pc["specialist"], plan_id=plan.pk, note="延保已办理")
    plan.refresh_from_db()
    assert plan.implemented_at is not None and plan.implementation_note == "延保已办理"
    assert complaint.timeline.filter(kind="solution_implemented").exists()


# --- precedent ----------------------------------------------------------------------------------

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def settled(org: Any, *, model: str, days: int, what: str, accepted: bool = False, reason: str = "",
            description: str = "", satisfaction: str = "") -> Any:
    extra = {"reason": reason} if reason else {}
    if description:
        extra["description"] = description
    complaint = make_complaint(org, model=model, now=START, **extra)
    plan = plan_submit(actor=org["specialist"], number=complaint.number, data=plan_input("60", what=what),
                       now=START)
    if accepted:
        plan_customer_decision(actor=org["specialist"], plan_id=plan.pk, decision="accepted", now=START)
    resolve(org, complaint, now=START + timedelta(days=days))
    if satisfaction:
        close_after_return_visit(org, complaint, satisfaction=satisfaction, now=START + timedelta(days=days, hours=1))
    return complaint


def test_precedents_of_the_same_category_and_model_best_first(pc: Any) -> None:
    slow_accepted = settled(pc, model="方正文祥 E520", days=6, what="更换主板并赠送鼠标", accepted=True)
    fast = settled(pc, model="方正文祥 E520", days=1, what="上门更换主板")
    slower = settled(pc, model="方正文祥 E520", days=3, what="寄回维修并延保")
    settled(pc, model="方正卓越 T200", days=1, what="其他型号的方案")
    current = make_complaint(pc, model="方正文祥 E520")
    found = precedents(pc["specialist"], current, pc.policy)
    assert [p.complaint.number for p in found] == [slow_accepted.number, fast.number, slower.number]
    assert found[0].accepted and found[1].took == timedelta(days=1)
    everything = precedents(pc["specialist"], current, pc.policy, same_model=False)
    assert len(everything) == 4


def test_satisfaction_at_the_return_visit_ranks_first(pc: Any) -> None:
    general = settled(pc, model="E520", days=1, what="方案甲", accepted=True, satisfaction="general")
    satisfied = settled(pc, model="E520", days=5, what="方案乙", satisfaction="satisfied")
    unknown = settled(pc, model="E520", days=1, what="方案丙", accepted=True)
    current = make_complaint(pc, model="E520")
    found = precedents(pc["specialist"], current, pc.policy)
    assert [p.complaint.number for p in found] == [satisfied.number, general.number, unknown.number]
    assert found[0].satisfaction is not None and found[0].satisfaction.score == 3


def test_precedent_search_in_chinese_and_english(pc: Any) -> None:
    mainboard = settled(pc, model="E520", days=2, what="更换主板", reason="用户投诉主板烧坏",
                        description="开机冒烟，主板烧坏")
    screen = settled(pc, model="E520", days=2, what="Replace the screen under warranty",
                     reason="Customer complains the screen flickers", description="Screen flickers after boot")
    current = make_complaint(pc, model="E520")
    assert [p.complaint.number for p in precedents(pc["specialist"], current, pc.policy, q="主板")] == [
        mainboard.number]
    assert [p.complaint.number for p in precedents(pc["specialist"], current, pc.policy, q="烧坏")] == [
        mainboard.number]
    assert [p.complaint.number for p in precedents(pc["specialist"], current, pc.policy, q="SCREEN")] == [
        screen.number]
    assert precedents(pc["specialist"], current, pc.policy, q="退款") == []


def test_refused_and_open_cases_are_no_precedent(pc: Any) -> None:
    complaint = make_complaint(pc, model="E520")
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("60"))
    plan_customer_decision(actor=pc["specialist"], plan_id=plan.pk, decision="refused", words="不接受")
    make_complaint(pc, model="E520")  # in handling: no precedent yet
    current = make_complaint(pc, model="E520")
    assert precedents(pc["specialist"], current, pc.policy) == []
