"""What the roles are called: the product's names, and the policy's own titles where it gives them
(技术服务公司副总经理). Here, below every app, so that any page may name a role for its reader
(accounts.roles re-exports both)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from complaintdesk.policy.schema import Policy, Role

ROLE_LABELS = {
    Role.AGENT: _("Front-line agent"),
    Role.SPECIALIST: _("Complaint specialist"),
    Role.HANDLER: _("Department handler"),
    Role.SUPERVISOR: _("Supervisor / team lead"),
    Role.QC_MANAGER: _("Quality-control manager"),
    Role.CS_HEAD: _("Head of customer service"),
    Role.VP: _("Vice president"),
    Role.GM: _("General manager"),
    Role.LEGAL: _("Legal department"),
    Role.QUALITY: _("Quality department"),
    Role.ADMIN: _("Administrator"),
}


def role_label(policy: Policy, role: Role | str) -> str:
    """The policy's title for a role (e.g. 技术服务公司副总经理), else the product's role name."""
    title = policy.role_title(str(role), translation.get_language() or "zh-hans")
    if title:
        return title
    try:
        return str(ROLE_LABELS[Role(str(role))])
    except ValueError:
        return str(role)
