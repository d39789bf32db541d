"""The complaint page's "Transfer to another unit" form: offered to those who may move the complaint,
listing only the units they may send it to."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.unit_transfer import complaint_transfer_unit, direction, transfer_targets
from complaintdesk.core.pages import call_service, complaint_page
from complaintdesk.units.scope import reaches


def unit_transfer_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    """The form's context, or None (no panel) when the user may send the complaint nowhere."""
    targets = transfer_targets(request.user, complaint)
    if not targets:
        return None
    source = complaint.unit
    return {"number": complaint.number, "unit": source.name,
            "targets": [{"code": unit.code, "label": "\u00a0\u00a0" * unit.depth + unit.name,
                         "direction": direction(source, unit)} for unit in targets]}


@login_required
@require_POST
def complaint_transfer_unit_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    outcome = call_service(
        request, complaint_transfer_unit, number=number, to=post.get("to", ""), reason=post.get("reason", ""),
        owner=post.get("owner", "").strip() or None,
        success=lambda c: _("Complaint %(number)s now belongs to %(unit)s.") % {"number": c.number,
                                                                                "unit": c.unit.name})
    if outcome.ok and not reaches(request.user, outcome.value.unit):
        return redirect(reverse("complaint-list"))  # sent to a unit the user does not see
    return redirect(complaint_page(number, "unit-transfer"))
