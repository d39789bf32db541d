"""Reads for the privacy page: legal holds in force and the retention reports, within the reader's
units (the services check who may answer privacy requests)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from complaintdesk.privacy.models import Erasure, LegalHold, RetentionRun
from complaintdesk.units.scope import scope_q


def holds_in_force(user: Any) -> QuerySet[LegalHold]:
    return (LegalHold.objects.filter(scope_q(user, "complaint__unit"), released_at__isnull=True)
            .select_related("complaint", "placed_by").order_by("-placed_at", "-id"))


def erased_ids(complaints: list[Any]) -> set[int]:
    return set(Erasure.objects.filter(complaint__in=complaints).values_list("complaint_id", flat=True))


def retention_runs(limit: int = 30) -> list[RetentionRun]:
    return list(RetentionRun.objects.order_by("-created_at", "-id")[:limit])
