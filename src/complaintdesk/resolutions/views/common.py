"""What the resolution pages share: call one service from a page and go back to the complaint."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from complaintdesk.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed


def error_text(exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed) and exc.problems:
        return " ".join(str(p.message) for p in exc.problems)
    return str(exc.message)


def back(number: str, anchor: str = "plan") -> HttpResponse:
    return redirect(reverse("complaint-detail", args=[number]) + f"#{anchor}")


def run(request: HttpRequest, back_to: str, anchor: str, function: Any, /, success: str = "",
        **kwargs: Any) -> HttpResponse:
    """Call one service; a domain error shows its message on the complaint page."""
    try:
        function(actor=request.user, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        messages.error(request, str(exc.message))
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        if success:
            messages.success(request, success)
    return back(back_to, anchor)
