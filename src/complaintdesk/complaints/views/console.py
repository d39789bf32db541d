"""The complaint list as a console: filters (owner, department, registration dates, deadline state
and the rest), sorting, a total, and the rows as a table on wide screens and cards on narrow ones."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaintdesk.accounts.models import Department, User
from complaintdesk.accounts.roles import SUPERVISING_ROLES, has_role
from complaintdesk.complaints import display
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.listing import (
    complaint_count,
    complaint_list,
    filters_from,
    unit_problem,
)
from complaintdesk.complaints.selectors.rows import ComplaintRow, complaint_rows
from complaintdesk.complaints.services.bulk import complaint_bulk_act
from complaintdesk.console.selectors import saved_views_of
from complaintdesk.console.services import clean_query
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.pages import call_service
from complaintdesk.core.policies import active_policy
from complaintdesk.policy.schema import Role
from complaintdesk.units.scope import colleagues_q, units_in_scope

PAGE_SIZE = 25
ACTION_DONE = {"accept": gettext_lazy("%(number)s: accepted."), "handover": gettext_lazy("%(number)s: handed over."),
               "escalate": gettext_lazy("%(number)s: escalated.")}


def sort_choices() -> list[tuple[str, str]]:
    return [("-registered", _("Newest first")), ("registered", _("Oldest first")),
            ("reply_due", _("Reply due, soonest first")), ("-reply_due", _("Reply due, latest first")),
            ("level", _("Level"))]


def owner_choices(user: Any) -> list[tuple[str, str]]:
    """The people who may own the user's complaints: those working in the user's units, above them
    (head office) or below them."""
    owners = (User.objects.filter(is_active=True).filter(colleagues_q(user)).exclude(groups__name=Role.HANDLER.value)
              .distinct().order_by("username"))
    return [(u.username, u.display_name()) for u in owners]


def unit_choices(user: Any) -> list[tuple[str, str]]:
    """The units the user may filter by, indented by depth under the first one."""
    units = units_in_scope(user)
    top = min((unit.depth for unit in units), default=0)
    return [(unit.code, "\u3000" * (unit.depth - top) + unit.name) for unit in units]


def _items(complaints: list[ComplaintRow]) -> list[dict[str, Any]]:
    url = display.detail_url_maker()
    return [{**display.summary(c), "url": url(c.number)} for c in complaints]


@login_required
def complaint_list_view(request: HttpRequest) -> HttpResponse:
    _version, policy = active_policy()
    lang = _lang()
    filters, errors = filters_from(request.GET)
    unit_error = unit_problem(request.user, filters.unit)
    if unit_error:
        errors["unit"] = unit_error
        filters = replace(filters, unit="")
    page_text = request.GET.get("page", "1")
    page = int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1
    qs = complaint_list(request.user, filters)
    total, more = complaint_count(qs)
    rows = complaint_rows(qs, (page - 1) * PAGE_SIZE, page * PAGE_SIZE + 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "items": _items(rows[:PAGE_SIZE]),
        "page": page, "has_next": len(rows) > PAGE_SIZE, "query": query.urlencode(),
        "total": total, "total_more": more,
        "filters": filters, "errors": errors, "params": request.GET,
        "complete_param": request.GET.get("complete", ""),
        "policy": policy,
        "levels": [(lv.code, lv.label.get(lang)) for lv in policy.levels_by_rank()],
        "categories": [(c.code, c.label.get(lang)) for c in policy.categories],
        "channels": [(c.code, c.label.get(lang)) for c in policy.channels],
        "statuses": [(s.value, s.label) for s in Complaint.Status],
        "departments": [(d.code, d.name_zh if lang.startswith("zh") else d.name_en)
                        for d in Department.objects.filter(active=True)],
        "owners": owner_choices(request.user),
        "units": unit_choices(request.user),
        "sorts": sort_choices(),
        # bulk accept, hand over and escalate: specialists and supervisors; an agent accepts one by one
        "may_bulk": has_role(request.user, Role.SPECIALIST, *SUPERVISING_ROLES),
        "back": request.get_full_path(),
        "saved_views": list(saved_views_of(request.user)),
        "current_query": clean_query(request.GET.urlencode()),
        "now": timezone.now(),
    }
    template = "complaints/_list_rows.html" if request.headers.get("HX-Request") else "complaints/list.html"
    return render(request, template, context, status=422 if errors and not request.headers.get("HX-Request")
                  else 200)


@login_required
@require_POST
def complaint_bulk_view(request: HttpRequest) -> HttpResponse:
    """Accept, hand over or escalate the selected complaints; one banner line per complaint says
    what happened to it. Back to the list with its filters."""
    post = request.POST
    outcome = call_service(request, complaint_bulk_act, numbers=post.getlist("numbers"),
                           action=post.get("action", ""),
                           to=post.get("to", ""), reason=post.get("reason", ""))
    if outcome.ok:
        done = ACTION_DONE[post.get("action", "")]
        for result in outcome.value:
            if result.ok:
                messages.success(request, str(done) % {"number": result.number})
            else:
                messages.error(request, _("%(number)s: not done — %(reason)s") % {"number": result.number,
                                                                                  "reason": result.message})
    back = post.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = ""
    return redirect(back or reverse("complaint-list"))
