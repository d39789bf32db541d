"""REST endpoints for privacy requests (administrator and legal department): find, export, erase,
legal holds and the retention reports. Contact data travels in the request body, never in a URL."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from complaintdesk.complaints.api.responses import ERRORS
from complaintdesk.complaints.models import Complaint
from complaintdesk.privacy import services
from complaintdesk.privacy.erasure import active_hold
from complaintdesk.privacy.export import export_workbook, person_export
from complaintdesk.privacy.models import Erasure, LegalHold, RetentionRun
from complaintdesk.privacy.schemas import (
    LegalHoldIn,
    LegalHoldOut,
    LegalHoldReleaseIn,
    PrivacyComplaintOut,
    PrivacyErasedOut,
    PrivacyEraseIn,
    PrivacyExportOut,
    PrivacyPersonIn,
    RetentionRunOut,
)

router = Router(tags=["privacy"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _iso(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _complaint(complaint: Complaint) -> dict[str, Any]:
    return {"number": complaint.number, "unit": complaint.unit.code, "received_at": _iso(complaint.received_at),
            "status": complaint.status, "held": active_hold(complaint) is not None,
            "erased": Erasure.objects.filter(complaint=complaint).exists()}


def _hold(hold: LegalHold) -> dict[str, Any]:
    return {"id": hold.pk, "number": hold.complaint.number, "reason": hold.reason, "placed_at": _iso(hold.placed_at),
            "released_at": _iso(hold.released_at), "release_reason": hold.release_reason}


@router.post("/privacy/search", response={200: list[PrivacyComplaintOut], **ERRORS},
             summary="Find a person's complaints")
def search(request: HttpRequest, body: PrivacyPersonIn) -> list[dict[str, Any]]:
    """By an exact phone, e-mail, IMEI or social-media account, or by one of their complaint numbers."""
    return [_complaint(c) for c in services.person_complaints(actor=request.user, contact=body.contact,
                                                              number=body.number)]


@router.post("/privacy/export", response={200: PrivacyExportOut, **ERRORS}, summary="Export a person's data")
def export(request: HttpRequest, body: PrivacyPersonIn) -> dict[str, Any]:
    complaints = services.person_complaints(actor=request.user, contact=body.contact, number=body.number)
    return person_export(actor=request.user, complaints=complaints)


@router.post("/privacy/export.xlsx", response={200: None, **ERRORS}, summary="Export a person's data as Excel")
def export_xlsx(request: HttpRequest, body: PrivacyPersonIn) -> HttpResponse:
    complaints = services.person_complaints(actor=request.user, contact=body.contact, number=body.number)
    document = person_export(actor=request.user, complaints=complaints)
    response = HttpResponse(export_workbook(document), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="privacy-export.xlsx"'
    return response


@router.post("/privacy/erase", response={200: PrivacyErasedOut, **ERRORS}, summary="Erase a person's data")
def erase(request: HttpRequest, body: PrivacyEraseIn) -> dict[str, Any]:
    """All or nothing: refused (409) when any of the person's complaints is under a legal hold."""
    erasures = services.person_erase(actor=request.user, contact=body.contact, number=body.number,
                                     reason=body.reason)
    return {"erased": [e.complaint.number for e in erasures]}


@router.post("/privacy/holds", response={201: LegalHoldOut, **ERRORS}, summary="Place a legal hold")
def hold(request: HttpRequest, body: LegalHoldIn) -> Status[dict[str, Any]]:
    return Status(201, _hold(services.hold_place(actor=request.user, number=body.number, reason=body.reason)))


@router.post("/privacy/holds/{hold_id}/release", response={200: LegalHoldOut, **ERRORS},
             summary="Release a legal hold")
def release(request: HttpRequest, hold_id: int, body: LegalHoldReleaseIn) -> dict[str, Any]:
    return _hold(services.hold_release(actor=request.user, hold_id=hold_id, reason=body.reason))


@router.get("/privacy/retention", response={200: list[RetentionRunOut], **ERRORS},
            summary="Retention reports (dry runs and executions)")
def retention(request: HttpRequest) -> list[dict[str, Any]]:
    services.may_answer(request.user)
    return [{"id": run.pk, "created_at": _iso(run.created_at), "state": run.state, "due": run.due,
             "erased": run.erased, "executed_at": _iso(run.executed_at), "items": run.items}
            for run in RetentionRun.objects.order_by("-created_at")[:30]]
