"""Attempts to reach the customer and the unreachable-customer SMS, from the complaint page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.complaints.services.work import (
    contact_record,
    unreachable_sms,
)
from complaintdesk.core.pages import complaint_page, run_service


@login_required
@require_POST
def contact_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    return run_service(request, contact_record, back=complaint_page(number, "contacts"), number=number,
                       outcome=post.get("outcome", ""), note=post.get("note", ""), at=post.get("at", ""),
                       success=_("Contact attempt recorded for %(number)s.") % {"number": number})


@login_required
@require_POST
def unreachable_view(request: HttpRequest, number: str) -> HttpResponse:
    return run_service(request, unreachable_sms, back=complaint_page(number, "contacts"), number=number,
                       success=_("The unreachable-customer SMS for %(number)s is on its way.") % {"number": number})
