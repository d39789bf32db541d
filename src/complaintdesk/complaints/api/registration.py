"""REST endpoints for the complaint record (DESIGN.md §5): register, list, read, amend; and the
policy in force. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from complaintdesk.complaints import display
from complaintdesk.complaints.api.responses import ERRORS, complaint_detail_response
from complaintdesk.complaints.schemas import (
    ComplaintAmendIn,
    ComplaintIn,
    ComplaintOut,
    ErrorOut,
    PageOut,
)
from complaintdesk.complaints.selectors.listing import ComplaintFilter, complaint_list, unit_problem
from complaintdesk.complaints.selectors.rows import complaint_rows
from complaintdesk.complaints.services import complaint_amend, complaint_register
from complaintdesk.complaints.services.common import Written
from complaintdesk.core.errors import FieldProblem, PreconditionRequired, ValidationFailed
from complaintdesk.core.policies import active_policy

router = Router(tags=["complaints"])


@router.post("/complaints", response={201: ComplaintOut, **ERRORS}, summary="Register a complaint")
def register(request: HttpRequest, payload: ComplaintIn) -> Status[dict[str, Any]]:
    written = Written()
    complaint = complaint_register(actor=request.user, data=payload.to_input(), written=written)
    # the answer is built from what the registration wrote: nothing is read back
    return Status(201, display.detail(complaint, request.user, written=written))


class ListQuery(Schema):
    status: str = ""
    level: str = ""
    category: str = ""
    channel: str = ""
    owner: str = ""
    complete: bool | None = None
    due: str = ""
    q: str = ""
    unit: str = ""
    page: int = 1
    page_size: int = 50
    count: bool = False


@router.get("/complaints", response={200: PageOut, **ERRORS}, summary="List complaints")
def list_complaints(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    problems = []
    if query.page < 1:
        problems.append(FieldProblem("page", _("The page number starts at 1.")))
    if not 1 <= query.page_size <= 200:
        problems.append(FieldProblem("page_size", _("The page size is between 1 and 200.")))
    if query.due not in {"", "overdue", "soon"}:
        problems.append(FieldProblem("due", _("due is overdue or soon.")))
    unit_error = unit_problem(request.user, query.unit)
    if unit_error:
        problems.append(FieldProblem("unit", unit_error))
    if problems:
        raise ValidationFailed(problems)
    qs = complaint_list(request.user, ComplaintFilter(
        status=query.status, level=query.level, category=query.category, channel=query.channel, owner=query.owner,
        complete=query.complete, due=query.due, q=query.q, unit=query.unit))
    start = (query.page - 1) * query.page_size
    rows = complaint_rows(qs, start, start + query.page_size + 1)
    return {
        "count": qs.count() if query.count else None,
        "page": query.page,
        "page_size": query.page_size,
        "has_next": len(rows) > query.page_size,
        "results": [display.summary(c) for c in rows[: query.page_size]],
    }


@router.get("/complaints/{number}", response={200: ComplaintOut, **ERRORS}, summary="One complaint")
def get_complaint(request: HttpRequest, number: str, reveal: bool = False) -> dict[str, Any]:
    """The record with its timeline and completeness. Contact data is masked; ``reveal=true``
    shows it to roles that may see it, and the reveal is audited."""
    return complaint_detail_response(request, number, reveal)


@router.patch("/complaints/{number}", response={200: ComplaintOut, **ERRORS, 428: ErrorOut},
              summary="Amend a complaint")
def amend(request: HttpRequest, number: str, payload: ComplaintAmendIn) -> dict[str, Any]:
    """Send ``If-Match: <version>`` (the ``version`` you read); without it 428, a stale version 409."""
    header = request.headers.get("If-Match", "").strip().strip('"').removeprefix("W/").strip('"')
    if not header:
        message = _("Send If-Match with the version you read, so that no one else's change is overwritten.")
        raise PreconditionRequired(message, problems=[FieldProblem("If-Match", message)])
    if not header.isdigit() or len(header) > 9:
        raise ValidationFailed([FieldProblem("If-Match", _("If-Match carries the version number you read."))])
    expected = int(header)
    complaint = complaint_amend(actor=request.user, number=number, data=payload.to_input(), expected_version=expected)
    return complaint_detail_response(request, complaint.number)


@router.get("/policy", summary="The policy in force", tags=["policy"])
def policy(request: HttpRequest) -> dict[str, Any]:
    version, current = active_policy()
    return {"version": str(version), "installed_at": version.installed_at,
            "policy": current.model_dump(mode="json")}
