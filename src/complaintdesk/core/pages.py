"""Running one service from a staff page: the one place that decides how a page answers what a
service raises, so every page answers alike.

- ``NotFound`` (404) → the not-found page;
- ``PermissionDenied`` (403) → the forbidden page;
- any other domain error (``ValidationFailed`` 422, ``Conflict`` 409 …) → its text in the error
  banner of the page the user goes back to; nothing was written (services are atomic).

Pages that show a form again with each field's problem (registration, amendment, the plan form)
catch ``ValidationFailed`` themselves first and leave the rest to :func:`call_service`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from complaintdesk.core.errors import DomainError, NotFound, PermissionDenied, error_text


@dataclass(frozen=True)
class ServiceOutcome:
    """What a service called from a page gave: ``ok`` and its return value, or not ``ok`` (the
    error is already in the page's banner)."""

    ok: bool
    value: Any = None


def call_service(request: HttpRequest, function: Callable[..., Any], /, *,
                 success: str | Callable[[Any], str] = "", reraise: tuple[type[DomainError], ...] = (),
                 **kwargs: Any) -> ServiceOutcome:
    """Call ``function(actor=request.user, **kwargs)``. A 404 or 403 becomes the not-found or
    forbidden page; any other domain error goes to the error banner, except the kinds in
    ``reraise`` (a form page catches ``ValidationFailed`` to show each field's problem). On success
    the ``success`` text (or ``success(value)``) goes to the success banner."""
    try:
        value = function(actor=request.user, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except reraise:
        raise
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return ServiceOutcome(ok=False)
    text = success(value) if callable(success) else success
    if text:
        messages.success(request, text)
    return ServiceOutcome(ok=True, value=value)


def run_service(request: HttpRequest, function: Callable[..., Any], /, *, back: str,
                success: str | Callable[[Any], str] = "", **kwargs: Any) -> HttpResponse:
    """:func:`call_service`, then back to the page at ``back`` (a URL) whatever the outcome."""
    call_service(request, function, success=success, **kwargs)
    return redirect(back)


def complaint_page(number: str, anchor: str = "") -> str:
    """The URL of a complaint's page, at the section ``anchor``."""
    return reverse("complaint-detail", args=[number]) + (f"#{anchor}" if anchor else "")
