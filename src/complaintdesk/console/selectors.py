"""Reads of saved views: a user's own, never another's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from complaintdesk.console.models import SavedView


def saved_views_of(user: Any) -> QuerySet[SavedView]:
    if not getattr(user, "is_authenticated", False):
        return SavedView.objects.none()
    return SavedView.objects.filter(user=user).order_by("name")
