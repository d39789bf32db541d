"""Approvals along the unit chain and budgets per unit (issue 15 item 4).

The hypermarket's store A installs its own policy: its section chief (supervisor) approves up to 300
CNY (head office: 100) and pays up to 200 CNY from petty cash. The PC maker's store A keeps its own
budget of 1,000 CNY a month; store B has no policy of its own and draws on head office's 5,000."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from reskit import make_complaint, plan_input

from complaintdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from complaintdesk.resolutions.models import Approval, BudgetEntry, Plan
from complaintdesk.resolutions.selectors.budget import budget_position, budget_unit
from complaintdesk.resolutions.selectors.budget_units import budget_overview
from complaintdesk.resolutions.selectors.plans import approvals_for, payouts_to_countersign, plan_get
from complaintdesk.resolutions.services import approval_decide, petty_cash_pay, plan_submit
from unitkit import Tree, build_tree, own_policy, person, received_by

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai


@pytest.fixture
def stores(hyper: Any) -> Tree:
    tree = build_tree()
    own_policy(tree.store_a, "hypermarket", "2026.1-store-a",
               ("{up_to: 100, role: supervisor}", "{up_to: 300, role: supervisor}"),
               ("  limit: 100 ", "  limit: 200 "))
    person(tree, "clerk_a", "store-a", "agent")
    person(tree, "chief_a", "store-a", "supervisor")
    person(tree, "clerk_b", "store-b", "agent")
    person(tree, "chief_b", "store-b", "supervisor")
    return tree


def store_complaint(org: Any, tree: Tree, store: Any, owner: str) -> Any:
    return received_by(make_complaint(org, owner="specialist", now=NOW), store, owner=tree[owner])


def gift(amount: str) -> Any:
    return plan_input(amount, tier="small_gift", kind="gift")


def test_store_a_supervisor_approves_within_store_a_own_limit(hyper: Any, stores: Tree) -> None:
    complaint = store_complaint(hyper, stores, stores.store_a, "clerk_a")
    plan = plan_submit(actor=stores["clerk_a"], number=complaint.number, data=gift("250"), now=NOW)
    (approval,) = plan.approvals.all()
    # within store A's own limit of 300 (head office's section chief would stop at 100): store A's chief
    assert (approval.role, approval.approver_id) == ("supervisor", stores["chief_a"].pk)
    approval_decide(actor=stores["chief_a"], approval_id=approval.pk, decision="approve", now=NOW)
    plan.refresh_from_db()
    assert plan.state == Plan.State.APPROVED
    assert set(BudgetEntry.objects.filter(plan=plan).values_list("unit__code", flat=True)) == {"store-a"}


def test_above_the_store_limit_goes_up_to_the_region_then_head_office(hyper: Any, stores: Tree) -> None:
    complaint = store_complaint(hyper, stores, stores.store_a, "clerk_a")
    plan = plan_submit(actor=stores["clerk_a"], number=complaint.number, data=gift("350"), now=NOW)
    (approval,) = plan.approvals.all()
    # nobody holds cs_head in store A nor in the region: head office's customer-service manager
    assert (approval.role, approval.approver_id) == ("cs_head", hyper["cs_head"].pk)
    with pytest.raises(PermissionDenied):
        approval_decide(actor=stores["chief_a"], approval_id=approval.pk, decision="approve", now=NOW)
    region_head = person(stores, "east_head", "east", "cs_head")
    second = plan_submit(actor=stores["clerk_a"], number=complaint.number, data=gift("360"), now=NOW)
    (step,) = second.approvals.all()
    assert step.approver_id == region_head.pk
    approval_decide(actor=region_head, approval_id=step.pk, decision="approve", now=NOW)
    assert Plan.objects.get(pk=second.pk).state == Plan.State.APPROVED


def test_store_b_keeps_head_office_limit_and_its_own_chief(hyper: Any, stores: Tree) -> None:
    complaint = store_complaint(hyper, stores, stores.store_b, "clerk_b")
    within = plan_submit(actor=stores["clerk_b"], number=complaint.number, data=gift("80"), now=NOW)
    assert [(a.role, a.approver_id) for a in within.approvals.all()] == [("supervisor", stores["chief_b"].pk)]
    above = plan_submit(actor=stores["clerk_b"], number=complaint.number, data=gift("250"), now=NOW)
    assert [a.role for a in above.approvals.all()] == ["cs_head"]


def test_store_b_supervisor_gets_404_on_store_a_plan(hyper: Any, stores: Tree) -> None:
    complaint = store_complaint(hyper, stores, stores.store_a, "clerk_a")
    plan = plan_submit(actor=stores["clerk_a"], number=complaint.number, data=gift("250"), now=NOW)
    approval = plan.approvals.get()
    with pytest.raises(NotFound):
        plan_get(stores["chief_b"], plan.pk)
    with pytest.raises(NotFound):
        approval_decide(actor=stores["chief_b"], approval_id=approval.pk, decision="approve", now=NOW)
    assert not approvals_for(stores["chief_b"], mine=False).exists()
    assert list(approvals_for(stores["chief_a"])) == [approval]
    assert Approval.objects.get(pk=approval.pk).state == Approval.State.PENDING


def test_an_approver_who_lost_the_role_at_the_unit_decides_nothing(hyper: Any, stores: Tree) -> None:
    complaint = store_complaint(hyper, stores, stores.store_a, "clerk_a")
    plan = plan_submit(actor=stores["clerk_a"], number=complaint.number, data=gift("250"), now=NOW)
    approval = plan.approvals.get()
    demoted = person(stores, "chief_a", "store-a", "agent")
    with pytest.raises(PermissionDenied):
        approval_decide(actor=demoted, approval_id=approval.pk, decision="approve", now=NOW)


def test_petty_cash_follows_the_store_policy(hyper: Any, stores: Tree) -> None:
    in_a = store_complaint(hyper, stores, stores.store_a, "chief_a")
    payout = petty_cash_pay(actor=stores["chief_a"], number=in_a.number, kind="gift", amount="150",
                            description="购物卡", voucher_number="A-1", now=NOW)
    assert BudgetEntry.objects.get(payout=payout).unit_id == stores.store_a.pk
    in_b = store_complaint(hyper, stores, stores.store_b, "chief_b")
    with pytest.raises(ValidationFailed):
        petty_cash_pay(actor=stores["chief_b"], number=in_b.number, kind="gift", amount="150",
                       description="购物卡", voucher_number="B-1", now=NOW)
    # head office's manager countersigns store A's voucher; store B's chief never sees it
    assert payout in payouts_to_countersign(hyper["cs_head"])
    assert payouts_to_countersign(stores["chief_b"]) == []


# --- budgets per unit ----------------------------------------------------------------------------


@pytest.fixture
def pc_stores(pc: Any) -> Tree:
    tree = build_tree()
    own_policy(tree.store_a, "pc_maker", "2026.1-store-a", ("  monthly: 5000 ", "  monthly: 1000 "))
    person(tree, "spec_a", "store-a", "specialist")
    person(tree, "sup_a", "store-a", "supervisor")
    person(tree, "spec_b", "store-b", "specialist")
    person(tree, "sup_b", "store-b", "supervisor")
    return tree


def approved_in(org: Any, tree: Tree, store: Any, author: str, amount: str) -> Plan:
    complaint = received_by(make_complaint(org, owner="specialist", now=NOW), store, owner=tree[author])
    plan = plan_submit(actor=tree[author], number=complaint.number, data=plan_input(amount), now=NOW)
    for approval in plan.approvals.order_by("step"):
        approval.refresh_from_db()
        if approval.state == Approval.State.PENDING:
            approval_decide(actor=approval.approver, approval_id=approval.pk, decision="approve", now=NOW)
    plan.refresh_from_db()
    return plan


def own(unit: Any) -> Any:
    from complaintdesk.units.policies import unit_policy

    return unit_policy(unit)[1]


def test_a_store_with_its_own_policy_keeps_its_own_budget(pc: Any, pc_stores: Tree) -> None:
    a = approved_in(pc, pc_stores, pc_stores.store_a, "spec_a", "250")
    b = approved_in(pc, pc_stores, pc_stores.store_b, "spec_b", "280")
    assert a.state == b.state == Plan.State.APPROVED
    assert budget_unit(a.complaint) == pc_stores.store_a
    assert budget_unit(b.complaint) == pc_stores.hq
    store_a = budget_position(own(pc_stores.store_a), "2026-03", NOW, unit=pc_stores.store_a)
    head_office = budget_position(pc.policy, "2026-03", NOW)
    assert store_a is not None and head_office is not None
    assert (store_a.monthly, store_a.spend, store_a.left) == (Decimal(1000), Decimal("250.00"), Decimal("750.00"))
    # store B has no policy of its own: it draws on head office's budget, never on store A's
    assert (head_office.monthly, head_office.spend) == (Decimal(5000), Decimal("280.00"))


def test_a_store_over_its_own_budget_escalates_even_when_head_office_has_room(pc: Any, pc_stores: Tree) -> None:
    for _ in range(3):
        approved_in(pc, pc_stores, pc_stores.store_a, "spec_a", "290")
    complaint = received_by(make_complaint(pc, owner="specialist", now=NOW), pc_stores.store_a,
                            owner=pc_stores["spec_a"])
    with pytest.raises(ValidationFailed) as caught:
        plan_submit(actor=pc_stores["spec_a"], number=complaint.number, data=plan_input("200"), now=NOW)
    assert "emergency_reason" in {problem.field for problem in caught.value.problems}
    # the same amount in store B draws on head office's budget, which has room
    approved = approved_in(pc, pc_stores, pc_stores.store_b, "spec_b", "200")
    assert approved.over_budget is False


def test_the_budget_overview_shows_each_readers_units(pc: Any, pc_stores: Tree) -> None:
    approved_in(pc, pc_stores, pc_stores.store_a, "spec_a", "250")
    approved_in(pc, pc_stores, pc_stores.store_b, "spec_b", "280")
    everything = budget_overview(pc["cs_head"], "2026-03", NOW)
    assert [row.unit.code for row in everything.rows] == ["hq", "store-a"]
    assert everything.unit.code == "hq" and everything.report is not None
    assert [e.amount for e in everything.report.entries] == [Decimal("280.00")]
    chosen = budget_overview(pc["cs_head"], "2026-03", NOW, unit="store-a")
    assert chosen.report is not None and chosen.report.position.spend == Decimal("250.00")
    # store A's supervisor reads store A's budget only; store B's reads head office's figures and
    # sees its own store's entries in it
    assert [row.unit.code for row in budget_overview(pc_stores["sup_a"], "2026-03", NOW).rows] == ["store-a"]
    store_b = budget_overview(pc_stores["sup_b"], "2026-03", NOW)
    assert store_b.unit.code == "hq" and store_b.report is not None
    assert [e.complaint.unit_id for e in store_b.report.entries] == [pc_stores.store_b.pk]
    with pytest.raises(NotFound):
        budget_overview(pc_stores["sup_b"], "2026-03", NOW, unit="store-a")


def test_budget_api_and_page_by_unit(pc: Any, pc_stores: Tree, client: Any) -> None:
    from reskit import api_for

    approved_in(pc, pc_stores, pc_stores.store_a, "spec_a", "250")
    api = api_for(pc, "cs_head")
    body = api.get("/budget?month=2026-03&unit=store-a").json_body
    assert body["unit"]["code"] == "store-a" and body["spend"] == "250.00" and body["monthly"] == "1000.00"
    assert [row["unit"]["code"] for row in body["units"]] == ["hq", "store-a"]
    assert api.get("/budget?month=2026-03&unit=nowhere").status_code == 404
    client.force_login(pc_stores["sup_b"])
    assert client.get("/budget/", {"month": "2026-03", "unit": "store-a"}).status_code == 404
    client.force_login(pc["cs_head"])
    page = client.get("/budget/", {"month": "2026-03", "unit": "store-a"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'data-testid="budget-unit-row" data-unit="store-a"' in page.content.decode()
