"""The notices page: the signed-in user's staff notices, read in the page's language."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from complaintdesk.notify.selectors import notices_of
from complaintdesk.notify.services import notices_mark_read


@login_required
def notices_view(request: HttpRequest) -> HttpResponse:
    notices = notices_of(request.user, limit=100)
    response = render(request, "notify/notices.html", {"notices": notices})
    notices_mark_read(user=request.user, now=timezone.now(), ids=[n.id for n in notices if not n.read])
    return response
