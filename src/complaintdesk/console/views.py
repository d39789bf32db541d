"""Saving the complaint list's current filters as a named view, and deleting one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.console.services import saved_view_delete, saved_view_save
from complaintdesk.core.pages import call_service


@login_required
@require_POST
def saved_view_save_view(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    outcome = call_service(request, saved_view_save, name=request.POST.get("name", ""), query=query,
                           success=lambda view: _("View “%(name)s” saved.") % {"name": view.name})
    if outcome.ok:
        return redirect(reverse("complaint-list") + (f"?{outcome.value.query}" if outcome.value.query else ""))
    return redirect(reverse("complaint-list") + (f"?{query}" if query else ""))


@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    call_service(request, saved_view_delete, view_id=view_id, success=_("View deleted."))
    return redirect("complaint-list")
