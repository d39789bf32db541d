"""Gap-free counters under a row lock (complaint numbers)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from complaintdesk.core.models import Sequence


def next_value(key: str) -> int:
    """Increment and return the counter ``key``; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside a transaction")
    updated = Sequence.objects.filter(key=key).update(value=F("value") + 1)
    if not updated:
        try:
            with transaction.atomic():
                Sequence.objects.create(key=key, value=1)
            return 1
        except IntegrityError:
            Sequence.objects.filter(key=key).update(value=F("value") + 1)
    return Sequence.objects.values_list("value", flat=True).get(key=key)


def reserve_values(key: str, count: int) -> int:
    """Reserve ``count`` consecutive values of the counter ``key`` (a batch import); returns the
    first. Same row lock and transaction rule as :func:`next_value`."""
    if count < 1:
        raise ValueError("count must be at least 1")
    first_of_new = next_value(key)
    if count > 1:
        Sequence.objects.filter(key=key).update(value=F("value") + (count - 1))
    return first_of_new
