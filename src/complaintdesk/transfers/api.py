"""REST endpoints for transfers."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from ninja import Router, Schema, Status

from complaintdesk.complaints.schemas import ErrorOut
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.errors import NotFound
from complaintdesk.core.policies import policy_of
from complaintdesk.transfers import selectors, services
from complaintdesk.transfers.models import Transfer
from complaintdesk.transfers.schemas import TransferIn, TransferOut, TransferredComplaintIn

router = Router(tags=["transfers"])
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                   422: ErrorOut}


def _out(transfer: Transfer) -> dict[str, Any]:
    complaint = transfer.complaint
    tz = ZoneInfo(policy_of(complaint.policy_version).timezone)
    return {
        "number": complaint.number, "source": transfer.source, "body": transfer.body, "reference": transfer.reference,
        "received_at": transfer.received_at.astimezone(tz).isoformat(),
        "deadline": transfer.deadline.astimezone(tz).isoformat() if transfer.deadline else None,
        "clocks": [{"code": c.code, "status": c.status, "due_at": c.due_at.astimezone(tz).isoformat()}
                   for c in selectors.transfer_clocks(complaint)],
    }


@router.post("/transfers", response={201: TransferOut, **ERRORS},
             summary="Register a complaint transferred by a regulator or another department")
def transfer_register(request: HttpRequest, payload: TransferredComplaintIn) -> Status[dict[str, Any]]:
    return Status(201, _out(services.transfer_register(actor=request.user, data=payload.to_input())))


@router.post("/complaints/{number}/transfer", response={201: TransferOut, **ERRORS},
             summary="Record the transfer of a registered complaint")
def transfer_record(request: HttpRequest, number: str, payload: TransferIn) -> Status[dict[str, Any]]:
    return Status(201, _out(services.transfer_record(actor=request.user, number=number, data=payload.to_input())))


@router.get("/complaints/{number}/transfer", response={200: TransferOut, **ERRORS},
            summary="The transfer of a complaint")
def transfer_get(request: HttpRequest, number: str) -> dict[str, Any]:
    complaint = access_complaint(request.user, number)
    transfer = selectors.transfer_of(complaint)
    if transfer is None:
        raise NotFound(f"{number}")
    return _out(transfer)
