"""Counting portal requests per client address and per phone or e-mail (a fixed one-hour window).

The counts are rows in the database (``RateCount``), so the limits hold across the web workers of
one machine (``complaintdesk serve`` runs several) and across nodes, without a shared cache."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from complaintdesk.complaints import validation as check
from complaintdesk.core.client import client_address as address_of
from complaintdesk.portal.models import RateCount

WINDOW_SECONDS = 3600


def limit(kind: str) -> int:
    return int(settings.COMPLAINTDESK_PORTAL[f"limit_per_{kind}"])


def client_address(request: HttpRequest) -> str:
    """The client's address: X-Forwarded-For only from a trusted proxy (core/client.py)."""
    return address_of(request)


def contact_key(contact: str) -> str:
    """One key per phone however it is written (138 1234 5678, +86…), or per e-mail address."""

    text = contact.strip()
    if "@" in text:
        return text.lower()
    try:
        return check.phone(text)
    except check.FieldInvalid:
        return "".join(ch for ch in text if ch.isdigit()) or text


def _key(kind: str, value: str, window: int) -> str:
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}:{window}"


def allow(kind: str, value: str, now: datetime | None = None) -> bool:
    """Count one request for ``value`` (an address or a phone) and say whether it is within the limit."""
    if not value:
        return True
    now = now or timezone.now()
    window = int(now.timestamp()) // WINDOW_SECONDS
    key = _key(kind, value, window)
    with transaction.atomic():
        if not RateCount.objects.filter(key=key).update(count=F("count") + 1):
            # the first request of this window: the windows that ended are removed once per new row
            RateCount.objects.filter(expires_at__lte=now).delete()
            try:
                with transaction.atomic():
                    RateCount.objects.create(key=key, count=1,
                                             expires_at=datetime.fromtimestamp((window + 1) * WINDOW_SECONDS, UTC))
            except IntegrityError:  # another worker created it meanwhile
                RateCount.objects.filter(key=key).update(count=F("count") + 1)
        count = RateCount.objects.values_list("count", flat=True).get(key=key)
    return count <= limit(kind)
