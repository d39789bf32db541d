"""REST endpoints for reaching the customer: contact attempts and the unreachable-customer SMS."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from complaintdesk.complaints.api.responses import ERRORS, complaint_detail_response
from complaintdesk.complaints.schemas import (
    ComplaintOut,
    ContactIn,
)
from complaintdesk.complaints.services.work import (
    contact_record,
    unreachable_sms,
)

router = Router(tags=["workflow"])


@router.post("/complaints/{number}/contacts", response={201: ComplaintOut, **ERRORS},
             summary="One attempt to reach the customer")
def contact(request: HttpRequest, number: str, payload: ContactIn) -> Status[dict[str, Any]]:
    contact_record(actor=request.user, number=number, outcome=payload.outcome, note=payload.note, at=payload.at,
                   purpose=payload.purpose)
    return Status(201, complaint_detail_response(request, number))


@router.post("/complaints/{number}/unreachable-sms", response={200: ComplaintOut, **ERRORS},
             summary="Send the policy's SMS to an unreachable customer")
def unreachable(request: HttpRequest, number: str) -> dict[str, Any]:
    unreachable_sms(actor=request.user, number=number)
    return complaint_detail_response(request, number)
