"""What every complaint endpoint shares: the error responses and the complaint as returned."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from complaintdesk.accounts.roles import can
from complaintdesk.complaints import display
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.audit import audit
from complaintdesk.core.schemas import ERRORS

__all__ = ["ERRORS"]


def complaint_detail_response(request: HttpRequest, number: str, reveal: bool = False) -> dict[str, Any]:
    complaint = access_complaint(request.user, number)
    if reveal and can(request.user, "customer.reveal", at=complaint):
        with transaction.atomic():
            audit(actor=request.user, action="customer.reveal", obj=complaint.customer,
                  complaint_number=complaint.number, after={"via": "api"})
    return display.detail(complaint, request.user, reveal=reveal)
