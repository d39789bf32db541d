"""REST endpoint for moving a complaint to another organisation unit (up, down or across)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from complaintdesk.complaints.api.responses import ERRORS
from complaintdesk.complaints.schemas import ComplaintUnitOut
from complaintdesk.complaints.services.unit_transfer import complaint_transfer_unit
from complaintdesk.units.scope import reaches

router = Router(tags=["workflow"])


class UnitTransferIn(Schema):
    to: str
    reason: str = ""
    owner: str | None = None


class UnitTransferOut(Schema):
    number: str
    unit: ComplaintUnitOut
    owner: str
    visible: bool


@router.post("/complaints/{number}/transfer-unit", response={200: UnitTransferOut, **ERRORS},
             summary="Transfer the complaint to another unit (up, down or across)")
def transfer_unit(request: HttpRequest, number: str, payload: UnitTransferIn) -> dict[str, Any]:
    """``to``: the unit's code; ``reason``: required; ``owner``: the new owner's username (optional:
    the owner stays when they may own complaints at the target, else the nearest supervisor takes
    it). ``visible`` says whether the caller still sees the complaint afterwards."""
    complaint = complaint_transfer_unit(actor=request.user, number=number, to=payload.to, reason=payload.reason,
                                        owner=payload.owner)
    return {"number": complaint.number, "unit": {"code": complaint.unit.code, "name": complaint.unit.name},
            "owner": complaint.owner.username, "visible": reaches(request.user, complaint.unit)}
