"""Where each role lands after signing in: the page holding its work."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from complaintdesk.accounts.roles import has_role
from complaintdesk.complaints.selectors.supervision import MANAGEMENT
from complaintdesk.core import nav
from complaintdesk.policy.schema import Role

# navigation entries every staff member has: not where a role's own work is
GENERAL_PAGES = frozenset({"complaint-queue-mine", "complaint-queue-new", "notices"})


def landing_url(user: Any) -> str:
    """Management (head of customer service, VP, GM, administrator) lands on the dashboard when
    the reports app provides one, else on the supervision of every level; supervisors and
    quality-control managers on the supervision of their levels; specialists on their own
    complaints; front-line agents on the new complaints; department handlers on their work orders;
    anyone else (legal, quality) on the first page of the navigation meant for them (consultations
    and approvals, appeals), or the complaint list."""
    if has_role(user, *MANAGEMENT):
        try:
            return reverse("dashboard")
        except NoReverseMatch:
            return reverse("supervision")
    if has_role(user, Role.SUPERVISOR, Role.QC_MANAGER):
        return reverse("supervision")
    if has_role(user, Role.SPECIALIST):
        return reverse("complaint-queue-mine")
    if has_role(user, Role.AGENT):
        return reverse("complaint-queue", args=["new"])
    if has_role(user, Role.HANDLER):
        return reverse("work-order-inbox")
    for item in nav.NAV_ITEMS:  # legal, quality: the first page meant for them
        if item.url_name not in GENERAL_PAGES and item.visible(user):
            return reverse(item.url_name)
    return reverse("complaint-list")


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    return redirect(landing_url(request.user))
