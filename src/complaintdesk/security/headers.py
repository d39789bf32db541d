"""Response headers for pages that hold personal data.

- ``Content-Security-Policy``: scripts, styles, images and fonts from this site only (every asset is
  vendored); no inline script runs, no page may frame ours, forms post only here.
- ``Cache-Control: no-store`` on every answer to a logged-in user and on every API answer, so that
  neither the browser nor a proxy keeps a copy of a complaint, a customer or a survey.

HSTS is Django's SecurityMiddleware (``SECURE_HSTS_SECONDS``, one year by default in production).
Static files are served before this middleware and stay cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # Bootstrap components, htmx indicators and ECharts set style attributes; styles cannot run code
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "COMPLAINTDESK_CSP", CONTENT_SECURITY_POLICY)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        user = getattr(request, "user", None)
        personal = request.path.startswith("/api/") or (user is not None and user.is_authenticated)
        if personal:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
