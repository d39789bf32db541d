"""Counting requests per client address and per phone in Django's cache (a fixed one-hour window).

The default cache is per process; a deployment with several web workers points ``CACHES`` at a
shared cache (docs/portal.md) so that the limits hold across workers."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from complaintdesk.complaints import validation as check

WINDOW_SECONDS = 3600


def limit(kind: str) -> int:
    return int(settings.COMPLAINTDESK_PORTAL[f"limit_per_{kind}"])


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind the production proxy the first X-Forwarded-For hop is the client."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.PRODUCTION else ""
    return forwarded.split(",")[0].strip() or str(request.META.get("REMOTE_ADDR", ""))


def contact_key(contact: str) -> str:
    """One key per phone however it is written (138 1234 5678, +86…), or per e-mail address."""

    text = contact.strip()
    if "@" in text:
        return text.lower()
    try:
        return check.phone(text)
    except check.FieldInvalid:
        return "".join(ch for ch in text if ch.isdigit()) or text


def _key(kind: str, value: str) -> str:
    return "portal-rate:" + kind + ":" + hashlib.sha256(value.encode()).hexdigest()[:32]


def allow(kind: str, value: str) -> bool:
    """Count one request for ``value`` (an address or a phone) and say whether it is within the limit."""
    if not value:
        return True
    key = _key(kind, value)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit(kind)
