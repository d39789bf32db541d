"""Reads for the privacy page: legal holds in force, the retention rules of the policy and the
retention reports, within the reader's units (the services check who may answer privacy requests)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from complaintdesk.core.durations import duration_text
from complaintdesk.core.i18n import current_language
from complaintdesk.core.policies import active_policy
from complaintdesk.privacy.models import Erasure, LegalHold, RetentionRun
from complaintdesk.units.scope import scope_q


def holds_in_force(user: Any) -> QuerySet[LegalHold]:
    return (LegalHold.objects.filter(scope_q(user, "complaint__unit"), released_at__isnull=True)
            .select_related("complaint", "placed_by").order_by("-placed_at", "-id"))


def erased_ids(complaints: list[Any]) -> set[int]:
    return set(Erasure.objects.filter(complaint__in=complaints).values_list("complaint_id", flat=True))


def retention_runs(limit: int = 30) -> list[RetentionRun]:
    return list(RetentionRun.objects.order_by("-created_at", "-id")[:limit])


def retention_rules() -> list[dict[str, Any]]:
    """The policy's retention rules as the page lists them: the record, how long it is kept, where
    (records kept outside the system: paper forms, recordings) and whether the worker erases it —
    only complaints' personal data (``applies_to: complaint``) is erased here; the rest is listed so
    that whoever keeps those records knows the period (seed 003: the acceptance certificates two
    years at the dealer and customer service, the complaint form long term at headquarters)."""
    _version, policy = active_policy()
    language = current_language()
    return [{"record": rule.record, "label": rule.label.get(language), "keep": duration_text(rule.keep),
             "location": rule.location.get(language) if rule.location else "",
             "erased_here": rule.applies_to == "complaint"} for rule in policy.retention]
