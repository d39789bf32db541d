"""The notices page: the signed-in user's staff notices, read in the page's language, in pages of 25,
runs of one kind about one complaint folded into one line; "mark all read"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.notify.selectors import notice_kinds, notice_page
from complaintdesk.notify.services import notices_mark_read


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


@login_required
def notices_view(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    kinds = notice_kinds(request.user)
    kind = request.GET.get("kind", "")
    if kind not in {code for code, _label in kinds}:
        kind = ""  # a kind the user never received: every notice
    page = notice_page(request.user, page=_page_number(request.GET.get("page", "1")), unread_only=unread_only,
                       kind=kind)
    response = render(request, "notify/notices.html", {"page": page, "unread_only": unread_only, "kinds": kinds,
                                                       "kind": kind})
    shown = [i for row in page.rows if not row.notice.read for i in row.ids]
    notices_mark_read(user=request.user, now=timezone.now(), ids=shown)
    return response


@login_required
@require_POST
def notices_read_all_view(request: HttpRequest) -> HttpResponse:
    count = notices_mark_read(user=request.user, now=timezone.now())
    messages.success(request, _("%(count)d notice(s) marked read.") % {"count": count})
    return redirect("notices")
