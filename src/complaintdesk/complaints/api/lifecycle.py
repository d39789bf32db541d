"""REST endpoints for the lifecycle (DESIGN.md §5): the actions and the daily progress."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from complaintdesk.complaints.api.responses import ERRORS, complaint_detail_response
from complaintdesk.complaints.schemas import (
    ActionIn,
    ComplaintOut,
    ProgressIn,
)
from complaintdesk.complaints.services.actions import complaint_action
from complaintdesk.complaints.services.work import (
    ProgressInput,
    progress_add,
)

router = Router(tags=["workflow"])


@router.post("/complaints/{number}/actions/{name}", response={200: ComplaintOut, **ERRORS},
             summary="Lifecycle or attribute action")
def act(request: HttpRequest, number: str, name: str, payload: ActionIn | None = None) -> dict[str, Any]:
    """``name``: accept start resolve close reject withdraw reopen escalate handover pause resume extend
    report_to_hq report_violation agree_major_solution mark_urgent."""
    data = payload or ActionIn()
    complaint = complaint_action(actor=request.user, number=number, name=name, fields=data.model_dump())
    return complaint_detail_response(request, complaint.number)


@router.post("/complaints/{number}/progress", response={201: ComplaintOut, **ERRORS},
             summary="Daily progress entry, or the reason for none")
def progress(request: HttpRequest, number: str, payload: ProgressIn) -> Status[dict[str, Any]]:
    progress_add(actor=request.user, number=number, data=ProgressInput(
        day=payload.day, verified=payload.verified, description_true=payload.description_true, done=payload.done,
        next_step=payload.next_step, no_update_reason=payload.no_update_reason))
    return Status(201, complaint_detail_response(request, number))


@router.post("/complaints/{number}/progress-with-proof", response={201: ComplaintOut, **ERRORS},
             summary="Progress entry with attachments (multipart form)")
def progress_with_proof(request: HttpRequest, number: str, files: File[list[UploadedFile]]) -> Status[dict[str, Any]]:
    post = request.POST
    description_true = {"true": True, "false": False}.get(post.get("description_true", "").lower())
    progress_add(actor=request.user, number=number, data=ProgressInput(
        day=post.get("day", ""), verified=post.get("verified", ""), description_true=description_true,
        done=post.get("done", ""), next_step=post.get("next_step", ""),
        no_update_reason=post.get("no_update_reason", ""), files=list(files)))
    return Status(201, complaint_detail_response(request, number))
