"""Log-in throttling and lockout, per account and per client address.

Failures are counted in the database (one row per account and per address), so every server process
sees the same counts. After ``COMPLAINTDESK_LOGIN_MAX_FAILURES`` failures for one account within
``COMPLAINTDESK_LOGIN_WINDOW_MINUTES``, or ``COMPLAINTDESK_LOGIN_MAX_FAILURES_ADDRESS`` from one
address, further log-ins are refused for ``COMPLAINTDESK_LOGIN_LOCKOUT_MINUTES`` — even with the
right password. A successful log-in clears the account's count. Each lockout is audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from complaintdesk.accounts.models import LoginThrottle
from complaintdesk.core.audit import audit
from complaintdesk.core.client import client_address


def _limits() -> tuple[int, int, timedelta, timedelta]:
    return (int(getattr(settings, "COMPLAINTDESK_LOGIN_MAX_FAILURES", 5)),
            int(getattr(settings, "COMPLAINTDESK_LOGIN_MAX_FAILURES_ADDRESS", 20)),
            timedelta(minutes=int(getattr(settings, "COMPLAINTDESK_LOGIN_WINDOW_MINUTES", 15))),
            timedelta(minutes=int(getattr(settings, "COMPLAINTDESK_LOGIN_LOCKOUT_MINUTES", 15))))


def _keys(username: str, address: str) -> list[tuple[str, str]]:
    keys = [(LoginThrottle.Scope.ACCOUNT.value, username.strip().casefold()[:160])]
    if address:
        keys.append((LoginThrottle.Scope.ADDRESS.value, address[:160]))
    return keys


def locked_until(username: str, address: str, now: datetime | None = None) -> datetime | None:
    """When the lock on this account or address ends, or None if neither is locked."""
    now = now or timezone.now()
    ends = []
    for scope, key in _keys(username, address):
        row = LoginThrottle.objects.filter(scope=scope, key=key, locked_until__gt=now).first()
        if row is not None and row.locked_until is not None:
            ends.append(row.locked_until)
    return max(ends) if ends else None


@transaction.atomic
def record_failure(username: str, address: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    per_account, per_address, window, lockout = _limits()
    for scope, key in _keys(username, address):
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            scope=scope, key=key, defaults={"window_start": now})
        if now - row.window_start > window:
            row.window_start, row.failures = now, 0
        row.failures += 1
        limit = per_account if scope == LoginThrottle.Scope.ACCOUNT else per_address
        if row.failures >= limit and (row.locked_until is None or row.locked_until <= now):
            row.locked_until = now + lockout
            audit(actor=None, action="login.locked", object_type="login", object_id=f"{scope}:{key}",
                  after={"scope": scope, "key": key, "failures": row.failures,
                         "until": row.locked_until.isoformat()})
        row.save()


def record_success(username: str) -> None:
    """A successful log-in clears the account's count (a running lock has already refused it)."""
    LoginThrottle.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lte=timezone.now()),
                                 scope=LoginThrottle.Scope.ACCOUNT, key=username.strip().casefold()[:160]).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the per-account and per-address lockout; used by the log-in
    page and the admin site alike."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if username is None:
            username = kwargs.get("username") or ""
        address = client_address(request)
        if locked_until(username or "", address) is not None:
            raise PermissionDenied("locked")  # stops every backend: a locked log-in never succeeds
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username or "", address)
        else:
            record_success(username or "")
        return user
