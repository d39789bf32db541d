"""Template context: the user's roles and what the navigation may show."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from complaintdesk.accounts.roles import can, labels, roles_of
from complaintdesk.core.nav import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    return {
        "nav_items": items_for(user),
        "nav_roles": labels(roles),
        "nav_can_register": can(user, "complaint.register"),
        "nav_is_admin": user.is_staff and can(user, "policy.manage"),
    }
