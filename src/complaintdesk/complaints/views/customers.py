"""The customer page: one customer's record with every complaint, contact and satisfaction result
the reader may see, the customer file the policy keeps, and merging a duplicate record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import can
from complaintdesk.complaints import display
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.panels import customer_context
from complaintdesk.complaints.selectors.customers import (
    customer_complaints,
    customer_contacts,
    customer_get,
    customer_profile,
)
from complaintdesk.complaints.services.customers import customer_merge
from complaintdesk.core.errors import NotFound
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.pages import run_service
from complaintdesk.core.policies import policy_of


def _row(complaint: Complaint) -> dict[str, Any]:
    policy = policy_of(complaint.policy_version)
    lang = _lang()
    try:
        category = policy.category(complaint.category).label.get(lang)
    except KeyError:
        category = complaint.category
    return {"number": complaint.number, "status_label": str(complaint.get_status_display()),
            "level": policy.level(complaint.level).label.get(lang), "category": category,
            "reason": complaint.reason, "unit": complaint.unit.name, "registered_at": complaint.registered_at,
            "closed_at": complaint.closed_at}


@login_required
def customer_detail_view(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        customer = customer_get(request.user, customer_id)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    complaints = customer_complaints(request.user, customer)
    return render(request, "complaints/customer.html", {
        "customer": customer,
        "cu": display.customer_view(complaints[0], request.user),
        "complaints": [_row(complaint) for complaint in complaints],
        "contacts": customer_contacts(complaints),
        "profile": customer_profile(complaints),
        "panels": customer_context(request, complaints),
        "can_merge": can(request.user, "customer.merge"),
    })


@login_required
@require_POST
def customer_merge_view(request: HttpRequest, customer_id: int) -> HttpResponse:
    return run_service(request, customer_merge, back=reverse("customer-detail", args=[customer_id]),
                       success=lambda kept: _("Customer records merged: every complaint is now on customer %(id)s.")
                       % {"id": kept.pk},
                       keep_id=customer_id, duplicate=request.POST.get("duplicate", ""))
