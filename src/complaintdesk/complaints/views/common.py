"""What every complaint page does around a service call: load the complaint the user may see,
call one service and go back to the complaint page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.errors import DomainError, NotFound, PermissionDenied
from complaintdesk.core.errors import error_text as _error_text


def load_complaint(request: HttpRequest, number: str, *, for_update: bool = False) -> Any:
    try:
        return access_complaint(request.user, number, for_update=for_update)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc


def back_to_complaint(number: str, anchor: str = "") -> HttpResponse:

    return redirect(reverse("complaint-detail", args=[number]) + (f"#{anchor}" if anchor else ""))


def run_service(request: HttpRequest, back_to: str, anchor: str, function: Any, /, **kwargs: Any) -> HttpResponse:
    """Call one service; on a domain error show its message on the detail page of ``back_to``."""
    try:
        function(actor=request.user, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return back_to_complaint(back_to, anchor)
