"""Who is away and who acts for whom: reads of the approvers' delegations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from complaintdesk.resolutions.models import Delegation


def active_delegations(now: datetime) -> Any:
    return Delegation.objects.filter(starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True)


def delegate_of(user: Any, now: datetime) -> Any:
    delegation = (active_delegations(now).filter(from_user=user, to_user__is_active=True)
                  .select_related("to_user").order_by("-starts_at", "-id").first())
    return delegation.to_user if delegation else None


def is_away(user: Any, now: datetime) -> bool:
    away_until = getattr(user, "away_until", None)
    if away_until is not None and away_until > now:
        return True
    return active_delegations(now).filter(from_user=user).exists()


def acts_for(actor: Any, user: Any, now: datetime) -> bool:
    """``actor`` is ``user`` or ``user``'s delegate now."""
    if actor is None or user is None:
        return False
    if actor.pk == user.pk:
        return True
    return active_delegations(now).filter(from_user=user, to_user=actor).exists()


def principals_of(actor: Any, now: datetime) -> list[int]:
    """The user ids ``actor`` may act for now: themselves and whoever delegated to them."""
    ids = list(active_delegations(now).filter(to_user=actor).values_list("from_user_id", flat=True))
    return [actor.pk, *ids]
