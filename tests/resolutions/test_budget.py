"""The monthly budget ledger (PC maker: 5,000 CNY of spare parts, compensation and gifts a month):
the month boundary in the organisation's time zone, commitments, what is left, over budget with
the emergency escalation to the VP, and costs that leave the budget again."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from reskit import make_complaint, plan_input

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.resolutions.models import BudgetEntry, Plan
from complaintdesk.resolutions.selectors.budget import budget_position
from complaintdesk.resolutions.services import approval_decide, plan_customer_decision, plan_submit

pytestmark = pytest.mark.django_db

# 2026-01-31 23:30 and 2026-02-01 00:30 in Shanghai (UTC+8)
LAST_EVENING_OF_JANUARY = datetime(2026, 1, 31, 15, 30, tzinfo=UTC)
FIRST_NIGHT_OF_FEBRUARY = datetime(2026, 1, 31, 16, 30, tzinfo=UTC)


def approved(org: Any, amount: str, *, at: datetime, kind: str = "compensation", **extra: Any) -> Plan:
    complaint = make_complaint(org)
    plan = plan_submit(actor=org["specialist"], number=complaint.number, data=plan_input(amount, kind=kind, **extra),
                       now=at)
    for approval in plan.approvals.order_by("step"):
        approval.refresh_from_db()
        if approval.state == "pending":
            approval_decide(actor=approval.approver, approval_id=approval.pk, decision="approve", now=at)
    plan.refresh_from_db()
    return plan


def test_the_month_boundary_is_the_organisations_midnight(pc: Any) -> None:
    january = approved(pc, "250", at=LAST_EVENING_OF_JANUARY)
    february = approved(pc, "700", at=FIRST_NIGHT_OF_FEBRUARY)
    assert BudgetEntry.objects.get(plan=january).month == "2026-01"
    assert BudgetEntry.objects.get(plan=february).month == "2026-02"
    jan = budget_position(pc.policy, "2026-01", FIRST_NIGHT_OF_FEBRUARY)
    feb = budget_position(pc.policy, "2026-02", FIRST_NIGHT_OF_FEBRUARY)
    assert jan is not None and feb is not None
    assert (jan.spend, jan.left) == (Decimal("250.00"), Decimal("4750.00"))
    assert (feb.spend, feb.left) == (Decimal("700.00"), Decimal("4300.00"))


def test_an_approval_after_midnight_counts_in_the_new_month(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("500"),
                       now=LAST_EVENING_OF_JANUARY)
    assert budget_position(pc.policy, "2026-01", LAST_EVENING_OF_JANUARY).commitments == Decimal("500.00")
    approval_decide(actor=pc["cs_head"], approval_id=plan.approvals.get().pk, decision="approve",
                    now=FIRST_NIGHT_OF_FEBRUARY)
    assert BudgetEntry.objects.get(plan=plan).month == "2026-02"
    assert budget_position(pc.policy, "2026-01", FIRST_NIGHT_OF_FEBRUARY).spend == 0


def test_only_the_budget_kinds_count(pc: Any) -> None:
    plan = approved(pc, "2500", at=LAST_EVENING_OF_JANUARY, tier="replacement", kind="replacement_difference")
    entry = BudgetEntry.objects.get(plan=plan)
    assert entry.amount == Decimal("2500.00") and not entry.counts
    assert budget_position(pc.policy, "2026-01", LAST_EVENING_OF_JANUARY).spend == 0


def test_a_plan_that_uses_exactly_what_is_left_is_within_budget(pc: Any) -> None:
    approved(pc, "2800", at=LAST_EVENING_OF_JANUARY)
    approved(pc, "1900", at=LAST_EVENING_OF_JANUARY)  # 4,700 spent; 300 left
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("300"),
                       now=LAST_EVENING_OF_JANUARY)
    assert not plan.over_budget
    assert [a.role for a in plan.approvals.all()] == ["supervisor"]


def test_a_plan_that_would_exceed_the_budget_says_so_before_it_is_written(pc: Any) -> None:
    approved(pc, "2800", at=LAST_EVENING_OF_JANUARY)
    approved(pc, "1900", at=LAST_EVENING_OF_JANUARY)  # 4,700 spent; 300 left
    complaint = make_complaint(pc)
    before = Plan.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("350"),
                    now=LAST_EVENING_OF_JANUARY)
    (problem,) = exc.value.problems
    assert problem.field == "emergency_reason"
    assert "5,000.00 CNY" in str(problem.message) and "300.00 CNY" in str(problem.message)
    assert Plan.objects.count() == before
    plan = plan_submit(actor=pc["specialist"], number=complaint.number,
                       data=plan_input("350", emergency_reason="用户已向媒体投诉，需当日解决"),
                       now=LAST_EVENING_OF_JANUARY)
    assert plan.over_budget
    assert [(a.role, a.reason) for a in plan.approvals.order_by("step")] == [("cs_head", "amount"), ("vp", "budget")]


def test_within_own_limit_but_over_budget_goes_to_the_vp(pc: Any) -> None:
    approved(pc, "2800", at=LAST_EVENING_OF_JANUARY)
    approved(pc, "2150", at=LAST_EVENING_OF_JANUARY)  # 4,950 spent; 50 left
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number,
                       data=plan_input("80", emergency_reason="孕妇用户，需立即安抚"), now=LAST_EVENING_OF_JANUARY)
    assert plan.state == Plan.State.PENDING
    assert [a.role for a in plan.approvals.all()] == ["vp"]
    approval_decide(actor=pc["vp"], approval_id=plan.approvals.get().pk, decision="approve",
                    now=LAST_EVENING_OF_JANUARY)
    position = budget_position(pc.policy, "2026-01", LAST_EVENING_OF_JANUARY)
    assert position.spend == Decimal("5030.00") and position.over


def test_the_budget_is_checked_again_at_the_final_approval(pc: Any) -> None:
    complaint = make_complaint(pc)
    waiting = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("700"),
                          now=LAST_EVENING_OF_JANUARY)  # fits: 5,000 left
    approved(pc, "2800", at=LAST_EVENING_OF_JANUARY, emergency_reason="x")
    approved(pc, "1900", at=LAST_EVENING_OF_JANUARY, emergency_reason="x")  # now 300 left
    approval_decide(actor=pc["cs_head"], approval_id=waiting.approvals.get().pk, decision="approve",
                    now=LAST_EVENING_OF_JANUARY)
    waiting.refresh_from_db()
    assert waiting.state == Plan.State.PENDING and waiting.over_budget
    escalation = waiting.approvals.get(step=2)
    assert (escalation.role, escalation.reason, escalation.state) == ("vp", "budget", "pending")
    approval_decide(actor=pc["vp"], approval_id=escalation.pk, decision="approve", now=LAST_EVENING_OF_JANUARY)
    waiting.refresh_from_db()
    assert waiting.state == Plan.State.APPROVED


def test_a_refused_plan_leaves_the_budget(pc: Any) -> None:
    plan = approved(pc, "600", at=LAST_EVENING_OF_JANUARY)
    assert budget_position(pc.policy, "2026-01", LAST_EVENING_OF_JANUARY).spend == Decimal("600.00")
    plan_customer_decision(actor=pc["specialist"], plan_id=plan.pk, decision="refused", words="我要换新机",
                           now=LAST_EVENING_OF_JANUARY)
    assert budget_position(pc.policy, "2026-01", LAST_EVENING_OF_JANUARY).spend == 0
    assert BudgetEntry.objects.get(plan=plan).reversal_reason == "refused"


def test_commitments_are_the_pending_plans_of_this_month(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("450"), now=LAST_EVENING_OF_JANUARY)
    now_jan = budget_position(pc.policy, "2026-01", LAST_EVENING_OF_JANUARY)
    assert (now_jan.commitments, now_jan.left) == (Decimal("450.00"), Decimal("4550.00"))
    past = budget_position(pc.policy, "2025-12", LAST_EVENING_OF_JANUARY)
    assert past.commitments == 0 and past.left == Decimal("5000.00")


def test_a_replaced_pending_plan_commits_nothing(pc: Any) -> None:
    approved(pc, "2800", at=LAST_EVENING_OF_JANUARY)
    approved(pc, "1200", at=LAST_EVENING_OF_JANUARY)  # 4,000 spent; 1,000 left
    complaint = make_complaint(pc)
    plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("900"), now=LAST_EVENING_OF_JANUARY)
    second = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("950"),
                         now=LAST_EVENING_OF_JANUARY)
    assert not second.over_budget
    position = budget_position(pc.policy, "2026-01", LAST_EVENING_OF_JANUARY)
    assert position.commitments == Decimal("950.00") and position.left == Decimal("50.00")
