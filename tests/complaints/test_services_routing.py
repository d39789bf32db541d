"""Routing (issue 9 item 4): the category and the root cause route a complaint to the responsible
department (``reasons.tree[].department``, ``categories[].department``): once it is accepted, the
work order to that department is proposed with the policy's due time and dispatched with one call;
the department inbox follows ``work_order_priority``. IPTV preset (seed 004: 工单 to the named
technical and business teams; 4.2 投诉工单处理优先级高于其他类型工单)."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import act, at, bring_to, register

from complaintdesk.complaints.models import WorkOrder
from complaintdesk.complaints.selectors.routing import proposed_work_order
from complaintdesk.complaints.selectors.work_orders import work_order_inbox
from complaintdesk.complaints.services.routing import work_order_route
from complaintdesk.complaints.services.work import work_order_dispatch
from complaintdesk.core.errors import Conflict
from complaintdesk.core.models import AuditEvent
from orgkit import install_org, install_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]

WEDNESDAY = at("2026-06-10 10:00")


@pytest.fixture
def iptv() -> Any:
    return install_org("iptv")


def accepted(org: Any, **overrides: Any) -> Any:
    return bring_to(org, register(org["agent"], when=WEDNESDAY, **overrides), "accepted", now=WEDNESDAY)


def test_nothing_is_proposed_before_acceptance(iptv: Any) -> None:
    complaint = register(iptv["agent"], when=WEDNESDAY, category="app", reason_codes=["terminal_app"])
    assert proposed_work_order(complaint, now=WEDNESDAY) is None
    with pytest.raises(Conflict):
        work_order_route(actor=iptv["specialist"], number=complaint.number, request="Check", now=WEDNESDAY)


def test_the_reason_routes_with_the_departments_due_time(iptv: Any) -> None:
    complaint = accepted(iptv, category="playback", reason_codes=["content"])
    proposal = proposed_work_order(complaint, now=at("2026-06-10 11:00"))
    assert proposal is not None
    # the reason's department wins over the category's (playback → noc_l1)
    assert (proposal.department, proposal.basis) == ("content_product", "reason")
    # content_product: 2wd — the end of the working hours of Friday 12 June
    assert proposal.due_at == at("2026-06-12 18:00") and not proposal.provisional


def test_without_a_department_on_the_reason_the_category_routes(iptv: Any) -> None:
    complaint = accepted(iptv, category="app", reason_codes=["no_fault"])
    proposal = proposed_work_order(complaint, now=at("2026-06-10 11:00"))
    assert proposal is not None
    assert (proposal.department, proposal.basis) == ("app_l2", "category")
    # app_l2: 1wd — Thursday 11 June 18:00
    assert proposal.due_at == at("2026-06-11 18:00")


def test_the_root_cause_recorded_at_resolution_routes_to_its_own_department(iptv: Any) -> None:
    complaint = bring_to(iptv, register(iptv["agent"], when=WEDNESDAY, category="playback",
                                        reason_codes=["network"]), "in_progress", now=WEDNESDAY)
    first = proposed_work_order(complaint, now=WEDNESDAY)
    assert first is not None and (first.department, first.basis) == ("noc_l1", "reason")
    resolved = act(iptv["specialist"], complaint, "resolve", now=at("2026-06-10 14:00"),
                   note="The CDN node was replaced", root_cause=["network", "cdn_node"],
                   corrective_action="Monitor the node's cache hit rate")
    proposal = proposed_work_order(resolved, now=at("2026-06-10 14:00"))
    assert proposal is not None
    # the deeper node names its own team; cdn: 4wh — 14:00 + 4 working hours = 18:00
    assert (proposal.department, proposal.basis) == ("cdn", "root_cause")
    assert proposal.due_at == at("2026-06-10 18:00")


def test_one_call_dispatches_the_proposed_work_order_and_then_nothing_is_proposed(iptv: Any) -> None:
    complaint = accepted(iptv, category="playback", reason_codes=["network"])
    order = work_order_route(actor=iptv["specialist"], number=complaint.number,
                             request="Check the set-top box's stream", now=at("2026-06-10 11:00"))
    # noc_l1: 4wh from 11:00 → 11–12 and 13–16
    assert order.department.code == "noc_l1" and order.due_at == at("2026-06-10 16:00")
    assert order.kind == WorkOrder.Kind.COMPLAINT and order.created_by == iptv["specialist"]
    assert AuditEvent.objects.get(action="work_order.dispatch", complaint_number=complaint.number).after[
        "department"] == "noc_l1"
    assert proposed_work_order(complaint, now=at("2026-06-10 11:30")) is None
    with pytest.raises(Conflict):
        work_order_route(actor=iptv["specialist"], number=complaint.number, request="Again",
                         now=at("2026-06-10 11:30"))
    assert complaint.work_orders.count() == 1


def test_high_priority_puts_complaint_work_orders_before_other_work(iptv: Any) -> None:
    """iptv: work_order_priority high — a request for information due earlier still comes after."""
    complaint = accepted(iptv, category="playback", reason_codes=["network"])
    info = work_order_dispatch(actor=iptv["specialist"], number=complaint.number, department="noc_l1",
                               request="Send the stream log", kind="information", now=at("2026-06-10 10:00"))
    order = work_order_route(actor=iptv["specialist"], number=complaint.number, request="Fix the stream",
                             now=at("2026-06-10 11:00"))
    assert info.due_at < order.due_at
    assert [o.pk for o in work_order_inbox(iptv["handler"])] == [order.pk, info.pk]


def test_normal_priority_sorts_every_work_order_by_due_time() -> None:
    iptv = install_variant("iptv", "2026.1-normal", ("work_order_priority: high", "work_order_priority: normal"))
    complaint = accepted(iptv, category="playback", reason_codes=["network"])
    info = work_order_dispatch(actor=iptv["specialist"], number=complaint.number, department="noc_l1",
                               request="Send the stream log", kind="information", now=at("2026-06-10 10:00"))
    order = work_order_route(actor=iptv["specialist"], number=complaint.number, request="Fix the stream",
                             now=at("2026-06-10 11:00"))
    assert [o.pk for o in work_order_inbox(iptv["handler"])] == [info.pk, order.pk]


def test_the_api_shows_the_proposal_and_dispatches_it_in_one_call(org: Any, api: Any) -> None:
    iptv = install_org("iptv")  # the same users, now under the IPTV policy
    complaint = accepted(iptv, category="app", reason_codes=["terminal_app"])
    client = api("specialist", language="zh-hans")
    shown = client.get(f"/complaints/{complaint.number}/work-orders/proposal")
    assert shown.status_code == 200
    body = shown.json_body
    assert body["department"] == {"code": "app_l2", "label": "技术中心APP二线团队"}
    assert body["basis"] == "reason" and body["provisional"] is False
    refused = client.post(f"/complaints/{complaint.number}/work-orders/proposal", {"request": " "})
    assert refused.status_code == 422
    assert [item["field"] for item in refused.json_body["fields"]] == ["request"]
    assert complaint.work_orders.count() == 0
    created = client.post(f"/complaints/{complaint.number}/work-orders/proposal",
                          {"request": "请检查应用版本", "urgent": True})
    assert created.status_code == 201
    assert created.json_body["department"]["code"] == "app_l2" and created.json_body["urgent"] is True
    assert client.get(f"/complaints/{complaint.number}/work-orders/proposal").json_body is None
    again = client.post(f"/complaints/{complaint.number}/work-orders/proposal", {"request": "再来一次"})
    assert again.status_code == 409
