"""``plan_required`` (scenic area, seed 002 1.2 / 4.3: 制定方案 → 方案审批 → 方案实施 → 跟踪反馈): a
complaint is resolved — the result told — only after its solution plan was approved and carried out.
Walked through the services as the complaint's owner would, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from reskit import make_complaint, plan_input, resolve

from complaintdesk.clocks.models import Clock
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.resolutions.services import approval_decide, plan_implemented, plan_submit
from orgkit import install_org


@pytest.fixture
def scenic(db: Any) -> Any:
    return install_org("scenic_area")


def plan_problem(org: Any, complaint: Any, language: str = "en") -> str:
    with translation.override(language):
        with pytest.raises(ValidationFailed) as info:
            resolve(org, complaint)
        problems = {p.field: str(p.message) for p in info.value.problems}
    assert set(problems) == {"plan"}, problems
    return problems["plan"]


def test_the_scenic_area_resolves_only_after_the_plan_is_approved_and_implemented(scenic: Any) -> None:
    assert scenic.policy.plan_required
    complaint = make_complaint(scenic, category="tickets_prices")
    assert "write the plan first" in plan_problem(scenic, complaint)
    assert "先制定处理方案" in plan_problem(scenic, complaint, "zh-hans")

    # 1.3.2 / 4.3.2: the handler's plan goes to the superior (the head of the department)
    plan = plan_submit(actor=scenic["specialist"], number=complaint.number,
                       data=plan_input(tier="explain_apologise", lines=[]))
    assert plan.state == "pending"
    assert "waiting for approval" in plan_problem(scenic, complaint)

    approval = plan.approvals.get()
    assert approval.role == "supervisor"
    approval_decide(actor=scenic["supervisor"], approval_id=approval.pk, decision="approve")
    assert "not implemented yet" in plan_problem(scenic, complaint)
    assert "尚未实施" in plan_problem(scenic, complaint, "zh-hans")
    # the 3-working-day implementation clock runs from the approval
    assert Clock.objects.get(complaint=complaint, code="implement_solution").stopped_at is None

    plan_implemented(actor=scenic["specialist"], plan_id=plan.pk, note="已当面致歉")
    assert Clock.objects.get(complaint=complaint, code="implement_solution").stopped_at is not None
    resolved = resolve(scenic, complaint)
    assert resolved.status == "resolved"
    assert Clock.objects.get(complaint=complaint, code="tell_result").stopped_at is not None


def test_a_plan_refused_by_the_superior_needs_a_new_plan(scenic: Any) -> None:
    complaint = make_complaint(scenic, category="tickets_prices")
    plan = plan_submit(actor=scenic["specialist"], number=complaint.number,
                       data=plan_input(tier="explain_apologise", lines=[]))
    approval_decide(actor=scenic["supervisor"], approval_id=plan.approvals.get().pk, decision="reject",
                    comment="先核实门票")
    assert "write a new plan" in plan_problem(scenic, complaint)


def test_without_the_key_a_complaint_without_costs_resolves_without_a_plan(db: Any) -> None:
    pc = install_org("pc_maker")
    assert not pc.policy.plan_required
    complaint = make_complaint(pc)
    assert resolve(pc, complaint).status == "resolved"
