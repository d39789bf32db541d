"""The user's internal notices."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from complaintdesk.notify.models import Message
from complaintdesk.notify.services import notices_mark_read


@login_required
def notices_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    notices = list(Message.objects.filter(recipient_user=user, channel="internal")
                   .select_related("complaint").order_by("-id")[:100])
    response = render(request, "complaints/notices.html", {"notices": notices})
    notices_mark_read(user=request.user, now=timezone.now(), ids=[n.pk for n in notices if n.read_at is None])
    return response


def unread_notices(user: Any) -> int:
    return Message.objects.filter(recipient_user=user, channel="internal", read_at__isnull=True).count()
