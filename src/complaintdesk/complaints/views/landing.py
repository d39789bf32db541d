"""Where each role lands after signing in: the page holding its work (a rule registered with
``core.nav.register_landing``; ``core.views.home`` follows the first rule that answers)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from complaintdesk.accounts.roles import has_role
from complaintdesk.complaints.selectors.supervision import MANAGEMENT
from complaintdesk.core import nav
from complaintdesk.policy.schema import Role

# navigation entries every staff member has: not where a role's own work is
GENERAL_PAGES = frozenset({"complaint-queue-mine", "complaint-queue-new", "notices"})


def landing_rule(user: Any) -> str | None:
    """The URL name of the page holding the user's work. Management (head of customer service, VP,
    GM, administrator) on the dashboard when the reports app provides one, else on the supervision
    of every level; supervisors and quality-control managers on the supervision of their levels;
    specialists on their own complaints; front-line agents on the new complaints; department
    handlers on their work orders; anyone else (legal, quality) on the first page of the navigation
    meant for them (consultations and approvals, appeals); None: the complaint list."""
    if has_role(user, *MANAGEMENT):
        try:
            reverse("dashboard")
        except NoReverseMatch:
            return "supervision"
        return "dashboard"
    if has_role(user, Role.SUPERVISOR, Role.QC_MANAGER):
        return "supervision"
    if has_role(user, Role.SPECIALIST):
        return "complaint-queue-mine"
    if has_role(user, Role.AGENT):
        return "complaint-queue-new"
    if has_role(user, Role.HANDLER):
        return "work-order-inbox"
    for item in nav.NAV_ITEMS:
        if item.url_name not in GENERAL_PAGES and item.visible(user):
            return item.url_name
    return None
