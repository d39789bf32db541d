"""Idle session timeout that a page refreshing itself does not defeat.

A session lasts ``SESSION_COOKIE_AGE`` (30 minutes by default) from the last request a person made.
Every request renews it — except the background refreshes a page makes on its own (the queue and the
deadline card poll every 60 s and send ``X-Background-Refresh: 1``), so that a tab left open on a
queue still logs out after the idle time.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

BACKGROUND_HEADER = "X-Background-Refresh"


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (session is not None and user is not None and user.is_authenticated
                and request.headers.get(BACKGROUND_HEADER) != "1"):
            session.modified = True  # saved with a new expiry by the session middleware
        return response
