"""REST endpoints for work orders: dispatch, a department's inbox, the reply and the follow-up."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from complaintdesk.accounts.roles import has_role
from complaintdesk.complaints import display
from complaintdesk.complaints.api.responses import ERRORS
from complaintdesk.complaints.schemas import (
    FollowUpIn,
    WorkOrderIn,
    WorkOrderOut,
    WorkOrderProposalOut,
    WorkOrderReplyIn,
    WorkOrderRouteIn,
)
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.selectors.routing import proposed_work_order
from complaintdesk.complaints.selectors.work_orders import work_order_inbox, work_order_of
from complaintdesk.complaints.services.routing import work_order_route
from complaintdesk.complaints.services.work import (
    work_order_dispatch,
    work_order_follow_up,
    work_order_reply,
)
from complaintdesk.core.durations import duration_text
from complaintdesk.core.i18n import current_language
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.schema import Role

router = Router(tags=["workflow"])


@router.post("/complaints/{number}/work-orders", response={201: WorkOrderOut, **ERRORS},
             summary="Dispatch a work order to a department")
def dispatch(request: HttpRequest, number: str, payload: WorkOrderIn) -> Status[dict[str, Any]]:
    order = work_order_dispatch(actor=request.user, number=number, department=payload.department,
                                request=payload.request, urgent=payload.urgent, kind=payload.kind)
    return Status(201, display.work_order_view(order, policy_of(order.complaint.policy_version)))


@router.get("/complaints/{number}/work-orders/proposal", response={200: WorkOrderProposalOut | None, **ERRORS},
            summary="The work order the policy proposes (null when none)")
def proposal(request: HttpRequest, number: str) -> dict[str, Any] | None:
    """The department responsible for the complaint's root cause or category and the due time its
    work order would have if dispatched now (``rules.responsible_department``)."""
    found = proposed_work_order(access_complaint(request.user, number))
    if found is None:
        return None
    return {"department": {"code": found.department, "label": found.label.get(current_language())},
            "basis": found.basis, "due_in": duration_text(found.duration), "due_at": found.due_at,
            "provisional": found.provisional}


@router.post("/complaints/{number}/work-orders/proposal", response={201: WorkOrderOut, **ERRORS},
             summary="Dispatch the proposed work order")
def route(request: HttpRequest, number: str, payload: WorkOrderRouteIn) -> Status[dict[str, Any]]:
    order = work_order_route(actor=request.user, number=number, request=payload.request, urgent=payload.urgent)
    return Status(201, display.work_order_view(order, policy_of(order.complaint.policy_version)))


class InboxQuery(Schema):
    status: str = "open"
    department: str = ""


@router.get("/work-orders", response={200: list[WorkOrderOut], **ERRORS}, summary="A department's work orders")
def inbox(request: HttpRequest, query: Query[InboxQuery]) -> list[dict[str, Any]]:
    """A handler sees its own department's work orders; supervisors may name a department.
    Urgent first, then higher levels, then the earliest due; where the policy says
    ``work_order_priority: high`` complaint work orders come before other work."""
    orders = work_order_inbox(request.user, status=query.status, department=query.department)
    return [display.work_order_view(o, policy_of(o.complaint.policy_version)) for o in orders]


@router.post("/work-orders/{order_id}/reply", response={200: WorkOrderOut, **ERRORS}, summary="The department answers")
def reply(request: HttpRequest, order_id: int, payload: WorkOrderReplyIn) -> dict[str, Any]:
    order = work_order_reply(actor=request.user, order_id=order_id, reply=payload.reply)
    return display.work_order_view(order, policy_of(order.complaint.policy_version))


@router.post("/work-orders/{order_id}/follow-up", response={200: WorkOrderOut, **ERRORS},
             summary="The owner follows up an answer")
def follow_up(request: HttpRequest, order_id: int, payload: FollowUpIn) -> dict[str, Any]:
    order = work_order_follow_up(actor=request.user, order_id=order_id, note=payload.note)
    return display.work_order_view(order, policy_of(order.complaint.policy_version))


@router.get("/work-orders/{order_id}", response={200: WorkOrderOut, **ERRORS}, summary="One work order")
def work_order(request: HttpRequest, order_id: int) -> dict[str, Any]:
    order = work_order_of(request.user, order_id)
    user: Any = request.user
    if not (has_role(user, Role.HANDLER, at=order.complaint) and user.department_id == order.department_id):
        access_complaint(request.user, order.complaint.number)
    return display.work_order_view(order, policy_of(order.complaint.policy_version))
