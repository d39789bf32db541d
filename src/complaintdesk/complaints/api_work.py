"""REST endpoints for the lifecycle and the work on a complaint (DESIGN.md §5)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from complaintdesk.accounts.roles import has_role
from complaintdesk.complaints import display
from complaintdesk.complaints.api import ERRORS, _detail
from complaintdesk.complaints.models import WorkOrder
from complaintdesk.complaints.schemas import (
    ActionIn,
    ComplaintOut,
    ContactIn,
    FollowUpIn,
    ProgressIn,
    WorkOrderIn,
    WorkOrderOut,
    WorkOrderReplyIn,
)
from complaintdesk.complaints.selectors import access_complaint
from complaintdesk.complaints.services.actions import complaint_action
from complaintdesk.complaints.services.work import (
    ProgressInput,
    contact_record,
    progress_add,
    unreachable_sms,
    work_order_dispatch,
    work_order_follow_up,
    work_order_reply,
)
from complaintdesk.core.errors import NotFound, PermissionDenied
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.schema import Role

router = Router(tags=["workflow"])


@router.post("/complaints/{number}/actions/{name}", response={200: ComplaintOut, **ERRORS},
             summary="Lifecycle or attribute action")
def act(request: HttpRequest, number: str, name: str, payload: ActionIn | None = None) -> dict[str, Any]:
    """``name``: accept start resolve close reject withdraw reopen escalate handover pause resume extend
    report_to_hq report_violation agree_major_solution mark_urgent."""
    data = payload or ActionIn()
    complaint = complaint_action(actor=request.user, number=number, name=name, fields=data.model_dump())
    return _detail(request, complaint.number)


@router.post("/complaints/{number}/progress", response={201: ComplaintOut, **ERRORS},
             summary="Daily progress entry, or the reason for none")
def progress(request: HttpRequest, number: str, payload: ProgressIn) -> Status[dict[str, Any]]:
    progress_add(actor=request.user, number=number, data=ProgressInput(
        day=payload.day, verified=payload.verified, description_true=payload.description_true, done=payload.done,
        next_step=payload.next_step, no_update_reason=payload.no_update_reason))
    return Status(201, _detail(request, number))


@router.post("/complaints/{number}/progress-with-proof", response={201: ComplaintOut, **ERRORS},
             summary="Progress entry with attachments (multipart form)")
def progress_with_proof(request: HttpRequest, number: str, files: File[list[UploadedFile]]) -> Status[dict[str, Any]]:
    post = request.POST
    description_true = {"true": True, "false": False}.get(post.get("description_true", "").lower())
    progress_add(actor=request.user, number=number, data=ProgressInput(
        day=post.get("day", ""), verified=post.get("verified", ""), description_true=description_true,
        done=post.get("done", ""), next_step=post.get("next_step", ""),
        no_update_reason=post.get("no_update_reason", ""), files=list(files)))
    return Status(201, _detail(request, number))


@router.post("/complaints/{number}/work-orders", response={201: WorkOrderOut, **ERRORS},
             summary="Dispatch a work order to a department")
def dispatch(request: HttpRequest, number: str, payload: WorkOrderIn) -> Status[dict[str, Any]]:
    order = work_order_dispatch(actor=request.user, number=number, department=payload.department,
                                request=payload.request, urgent=payload.urgent, kind=payload.kind)
    return Status(201, display.work_order_view(order, policy_of(order.complaint.policy_version)))


class InboxQuery(Schema):
    status: str = "open"
    department: str = ""


@router.get("/work-orders", response={200: list[WorkOrderOut], **ERRORS}, summary="A department's work orders")
def inbox(request: HttpRequest, query: Query[InboxQuery]) -> list[dict[str, Any]]:
    """A handler sees its own department's work orders; supervisors may name a department.
    Complaint work orders come before other work, then higher levels, then the earliest due."""
    from complaintdesk.complaints.selectors_work import work_order_inbox

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
    order = WorkOrder.objects.select_related("complaint", "department").filter(pk=order_id).first()
    if order is None:
        raise NotFound(f"work order {order_id}")
    user: Any = request.user
    if not (has_role(user, Role.HANDLER) and user.department_id == order.department_id):
        access_complaint(request.user, order.complaint.number)
    return display.work_order_view(order, policy_of(order.complaint.policy_version))


@router.post("/complaints/{number}/contacts", response={201: ComplaintOut, **ERRORS},
             summary="One attempt to reach the customer")
def contact(request: HttpRequest, number: str, payload: ContactIn) -> Status[dict[str, Any]]:
    contact_record(actor=request.user, number=number, outcome=payload.outcome, note=payload.note, at=payload.at,
                   purpose=payload.purpose)
    return Status(201, _detail(request, number))


@router.post("/complaints/{number}/unreachable-sms", response={200: ComplaintOut, **ERRORS},
             summary="Send the policy's SMS to an unreachable customer")
def unreachable(request: HttpRequest, number: str) -> dict[str, Any]:
    unreachable_sms(actor=request.user, number=number)
    return _detail(request, number)


class NoticeOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    complaint: str | None
    created_at: Any
    read: bool


@router.get("/notifications", response={200: list[NoticeOut], **ERRORS}, summary="My notices", tags=["notices"])
def notices(request: HttpRequest, unread: bool = False) -> list[dict[str, Any]]:
    from complaintdesk.notify.models import Message

    user: Any = request.user
    qs = Message.objects.filter(recipient_user=user, channel="internal").select_related("complaint")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [{"id": m.pk, "kind": m.kind, "subject": m.subject, "body": m.body,
             "complaint": m.complaint.number if m.complaint else None, "created_at": m.created_at,
             "read": m.read_at is not None} for m in qs.order_by("-id")[:200]]


@router.post("/notifications/read", summary="Mark my notices read", tags=["notices"])
def notices_read(request: HttpRequest) -> dict[str, int]:
    from complaintdesk.notify.services import notices_mark_read

    if not request.user.is_authenticated:
        raise PermissionDenied("login")
    return {"marked": notices_mark_read(user=request.user, now=timezone.now())}
