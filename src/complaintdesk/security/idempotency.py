"""``Idempotency-Key`` on every POST of the API.

A client that may retry a POST (a timeout, a dropped connection) sends a key of its choosing, at
most 255 printable characters. The first request with that key is executed and its answer kept for
24 hours, in the same transaction as the change it made: either both are stored or neither. The same
key again with the same method, path and body gets that first answer again (``Idempotent-Replayed:
true``) and changes nothing; the same key with another body is refused with 422. Keys are scoped to
the caller (the bearer token, or the logged-in user for a session), so two callers never collide.
A server error (5xx) is not kept: the retry runs again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.security.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
KEEP = timedelta(hours=24)
API_PREFIX = "/api/v1/"
KEPT_HEADERS = ("Location", "ETag")


def _problem(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message,
                         "fields": [{"field": "Idempotency-Key", "message": message}]}, status=status)


def _caller(request: HttpRequest) -> str:
    """Whose keys these are: the bearer token, the logged-in user, or — for the public endpoints
    (a survey answered through its link) — the path itself."""
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth:
        return hashlib.sha256(auth.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anon:" + hashlib.sha256(request.path.encode()).hexdigest()[:58]


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type or None)
    for name, value in (record.headers or {}).items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.path.startswith(API_PREFIX) or HEADER not in request.META:
            return self.get_response(request)
        key = request.META[HEADER].strip()
        if not key or len(key) > 255 or not key.isprintable():
            return _problem(422, "invalid", _("The Idempotency-Key is 1 to 255 printable characters."))
        return self._once(request, _caller(request), key)

    def _once(self, request: HttpRequest, caller: str, key: str) -> HttpResponse:
        fingerprint = _fingerprint(request)
        now = timezone.now()
        IdempotencyRecord.objects.filter(created_at__lt=now - KEEP).delete()
        response: HttpResponse | None = None
        try:
            with transaction.atomic():
                # a concurrent request with the same key waits here until the first one commits
                record, created = IdempotencyRecord.objects.select_for_update().get_or_create(
                    caller=caller, key=key,
                    defaults={"fingerprint": fingerprint, "status": 0, "created_at": now})
                if not created:
                    return self._answer_again(record, fingerprint)
                response = self.get_response(request)
                if response.status_code >= 500 or getattr(response, "streaming", False):
                    transaction.set_rollback(True)  # nothing kept: the retry runs again
                    return response
                record.status = response.status_code
                record.content_type = response.get("Content-Type", "")
                record.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
                record.body = response.content
                record.save(update_fields=["status", "content_type", "headers", "body"])
                return response
        except IntegrityError:
            if response is not None:
                raise
            record = IdempotencyRecord.objects.get(caller=caller, key=key)
            return self._answer_again(record, fingerprint)

    @staticmethod
    def _answer_again(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
        if record.fingerprint != fingerprint:
            return _problem(422, "idempotency_key_reused",
                            _("This Idempotency-Key was used for a different request in the last 24 hours; "
                              "use a new key for a new request."))
        return _replay(record)
