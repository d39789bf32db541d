"""The approval-authority matrix through the plan service, at and around every limit of both
presets (PC maker 100/300/800/3000, hypermarket 20/100), tiers with their own approver, the
author's own authority, and the IPTV compensation standard by level."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from reskit import make_complaint, plan_input

from complaintdesk.core.errors import PermissionDenied
from complaintdesk.core.models import AuditEvent
from complaintdesk.resolutions.models import Approval, BudgetEntry, Plan
from complaintdesk.resolutions.services import approval_decide, plan_submit

pytestmark = pytest.mark.django_db

PC_MAKER = [
    ("0", None),
    ("99.99", None),
    ("100", None),
    ("100.01", "supervisor"),
    ("300", "supervisor"),
    ("300.01", "cs_head"),
    ("800", "cs_head"),
    ("800.01", "vp"),
    ("3000", "vp"),
    ("3000.01", "gm"),
]


@pytest.mark.parametrize(("amount", "approver"), PC_MAKER)
def test_pc_maker_plan_goes_to_the_approver_the_matrix_names(pc: Any, amount: str, approver: str | None) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input(amount))
    if approver is None:
        assert plan.state == Plan.State.AUTHORISED
        assert plan.within_limit_of == "specialist"
        assert not plan.approvals.exists()
        assert BudgetEntry.objects.get(plan=plan).amount == Decimal(amount)
        assert complaint.timeline.filter(kind="plan_authorised").exists()
    else:
        assert plan.state == Plan.State.PENDING
        (approval,) = plan.approvals.all()
        assert approval.role == approver and approval.approver == pc[approver]
        assert approval.state == Approval.State.PENDING
        assert not BudgetEntry.objects.filter(plan=plan).exists()


@pytest.mark.parametrize(("amount", "approver"), [a for a in PC_MAKER if a[1] is not None])
def test_the_named_approver_approves_and_the_cost_is_booked(pc: Any, amount: str, approver: str) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input(amount))
    approval = plan.approvals.get()
    approval_decide(actor=pc[approver], approval_id=approval.pk, decision="approve", comment="同意")
    plan.refresh_from_db()
    assert plan.state == Plan.State.APPROVED
    entry = BudgetEntry.objects.get(plan=plan)
    assert entry.amount == Decimal(amount) and entry.counts and entry.approver == pc[approver]
    assert AuditEvent.objects.filter(action="approval.approve", object_id=str(approval.pk)).exists()


@pytest.mark.parametrize("tier", ["replacement", "upgrade", "refund"])
def test_pc_maker_tiers_three_to_five_need_the_vp_whatever_the_amount(pc: Any, tier: str) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number,
                       data=plan_input("50", tier=tier, kind="spare_part"))
    assert [a.role for a in plan.approvals.all()] == ["vp"]
    assert plan.route_reason == "tier"


def test_pc_maker_a_2500_replacement_goes_to_the_vp(pc: Any) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number,
                       data=plan_input("2500", tier="replacement", kind="replacement_difference"))
    assert plan.total == Decimal("2500.00") and plan.budget_total == 0
    assert plan.approvals.get().approver == pc["vp"]


def test_supervisor_authors_within_own_limit_and_above(pc: Any) -> None:
    complaint = make_complaint(pc, owner="supervisor")
    plan = plan_submit(actor=pc["supervisor"], number=complaint.number, data=plan_input("300"))
    assert plan.state == Plan.State.AUTHORISED and plan.within_limit_of == "supervisor"
    plan = plan_submit(actor=pc["supervisor"], number=complaint.number, data=plan_input("300.01"))
    assert plan.approvals.get().role == "cs_head"


def test_nobody_approves_their_own_plan_above_their_limit(pc: Any) -> None:
    complaint = make_complaint(pc, owner="supervisor")
    plan = plan_submit(actor=pc["supervisor"], number=complaint.number, data=plan_input("500"))
    approval = plan.approvals.get()
    with pytest.raises(PermissionDenied, match="own plan"):
        approval_decide(actor=pc["supervisor"], approval_id=approval.pk, decision="approve")
    approval.refresh_from_db()
    assert approval.state == Approval.State.PENDING


HYPERMARKET = [
    ("agent", "20", None),
    ("agent", "20.01", "supervisor"),
    ("agent", "100", "supervisor"),
    ("agent", "100.01", "cs_head"),
    ("supervisor", "100", None),
    ("supervisor", "100.01", "cs_head"),
    ("specialist", "0.01", "agent"),
    ("specialist", "20", "agent"),
]


@pytest.mark.parametrize(("author", "amount", "approver"), HYPERMARKET)
def test_hypermarket_matrix_at_and_around_20_and_100(hyper: Any, author: str, amount: str,
                                                     approver: str | None) -> None:
    complaint = make_complaint(hyper, owner="specialist" if author == "specialist" else "supervisor")
    if author == "agent":
        complaint.owner = hyper["agent"]
        complaint.save(update_fields=["owner"])
    plan = plan_submit(actor=hyper[author], number=complaint.number,
                       data=plan_input(amount, tier="small_gift", kind="gift"))
    if approver is None:
        assert plan.state == Plan.State.AUTHORISED and plan.within_limit_of == author
    else:
        assert [a.role for a in plan.approvals.all()] == [approver]


def test_hypermarket_company_compensation_needs_the_store_manager(hyper: Any) -> None:
    complaint = make_complaint(hyper, owner="supervisor")
    plan = plan_submit(actor=hyper["supervisor"], number=complaint.number,
                       data=plan_input("50", tier="company_compensation", kind="medical"))
    assert [a.role for a in plan.approvals.all()] == ["gm"]


@pytest.mark.parametrize(("level", "amount", "approver"), [
    ("blue", "30", "supervisor"),      # no standard at this level: the matrix
    ("yellow", "50", "supervisor"),    # the level's supervisor, up to its 50
    ("orange", "30", "qc_manager"),    # 30 is the supervisor's by amount, but the orange level's supervisor compensates
    ("orange", "200", "qc_manager"),
    ("orange", "200.01", "cs_head"),   # above the orange limit: the matrix
    ("red", "150", "cs_head"),
    ("red", "1000", "cs_head"),
    ("red", "1000.01", "gm"),
])
def test_iptv_compensation_standard_by_level(iptv: Any, level: str, amount: str, approver: str) -> None:
    complaint = make_complaint(iptv, level=level)
    assert complaint.level == level
    plan = plan_submit(actor=iptv["specialist"], number=complaint.number,
                       data=plan_input(amount, tier="service_credit", kind="service_credit"))
    assert [a.role for a in plan.approvals.all()] == [approver]


def test_iptv_level_supervisor_compensates_within_the_standard_alone(iptv: Any) -> None:
    complaint = make_complaint(iptv, level="orange", owner="specialist")
    plan = plan_submit(actor=iptv["qc_manager"], number=complaint.number,
                       data=plan_input("180", tier="service_credit", kind="service_credit"))
    assert plan.state == Plan.State.AUTHORISED and plan.within_limit_of == "qc_manager"


