"""What the follow-up pages share: call one service from a page and go back."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from complaintdesk.core.errors import DomainError, NotFound, PermissionDenied
from complaintdesk.core.errors import error_text as _error_text
from complaintdesk.policy.schema import Policy


def call_service(request: HttpRequest, back: str, function: Any, success: str = "", **kwargs: Any) -> HttpResponse:
    """Call one service; a domain error is shown on the page we go back to."""
    try:
        function(actor=request.user, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        if success:
            messages.success(request, success)
    return redirect(back)


def complaint_url(number: str, anchor: str) -> str:
    return reverse("complaint-detail", args=[number]) + f"#{anchor}"


def local_now(policy: Policy) -> str:
    return timezone.now().astimezone(ZoneInfo(policy.timezone)).strftime("%Y-%m-%dT%H:%M")
