"""Who may read the statistics: the people who own, supervise or manage complaint handling."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import has_role
from complaintdesk.core.errors import PermissionDenied
from complaintdesk.policy.schema import Role

REPORT_ROLES = (Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD, Role.VP, Role.GM,
                Role.QUALITY, Role.ADMIN)
MANAGEMENT_ROLES = (Role.VP, Role.GM, Role.ADMIN)


def may_view_reports(user: Any) -> bool:
    return has_role(user, *REPORT_ROLES)


ACCOUNTABILITY_ROLES = (Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD, Role.VP, Role.GM, Role.ADMIN)


def may_view_accountability(user: Any) -> bool:
    """Judgements of named staff: their supervisors and management only."""
    return has_role(user, *ACCOUNTABILITY_ROLES)


def lands_on_dashboard(user: Any) -> bool:
    """Management (vice president, general manager, administrator) start on the dashboard."""
    return has_role(user, *MANAGEMENT_ROLES)


def dashboard_landing(user: Any) -> str | None:
    """The landing rule registered with core.nav: management start on the dashboard."""
    return "dashboard" if lands_on_dashboard(user) else None


def require_report_reader(user: Any) -> None:
    if not may_view_reports(user):
        raise PermissionDenied(_("Only complaint managers and management may read the reports."))
