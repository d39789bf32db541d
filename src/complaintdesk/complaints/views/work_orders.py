"""Work orders: dispatch from the complaint page, the department inbox, the reply and the
owner's follow-up."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import OVERSEEING_ROLES, has_role
from complaintdesk.clocks.selectors import BadgeView
from complaintdesk.complaints import display
from complaintdesk.complaints.models import WorkOrder
from complaintdesk.complaints.selectors.work_orders import order_attachments, work_order_inbox, work_order_of
from complaintdesk.complaints.services.work import (
    work_order_dispatch,
    work_order_follow_up,
    work_order_reply,
)
from complaintdesk.core.calendars import schedule_for
from complaintdesk.core.errors import NotFound, PermissionDenied
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.pages import complaint_page, run_service
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.worktime.countdown import countdown


@login_required
@require_POST
def work_order_dispatch_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    return run_service(request, work_order_dispatch, back=complaint_page(number, "work-orders"), number=number,
                       department=post.get("department", ""), request=post.get("request", ""),
                       urgent=post.get("urgent") == "on", kind=post.get("kind", WorkOrder.Kind.COMPLAINT),
                       success=lambda order: _("Work order %(number)s dispatched.") % {"number": order.number})


# what the inbox never shows of a work order's complaint
INBOX_DEFERRED = ("complaint__description", "complaint__customer_request", "complaint__search_text",
                  "complaint__facts", "complaint__missing_notes", "complaint__triggers",
                  "complaint__policy_version__text")


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The department's own work orders, in the order the policy gives (work_order_priority)."""
    status = request.GET.get("status", "open")
    department = request.GET.get("department", "")
    try:
        # the complaint's policy version joined without its text, the attachments in one query
        orders = list(work_order_inbox(request.user, status=status, department=department)
                      .select_related("complaint__policy_version").defer(*INBOX_DEFERRED)[:200])
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    _version, policy = active_policy()
    now = timezone.now()
    rows = []
    schedules: dict[int, Any] = {}
    files = order_attachments([order.pk for order in orders])
    language = _lang()
    for order in orders:
        order_policy = policy_of(order.complaint.policy_version)
        row = display.work_order_view(order, order_policy, files[order.pk])
        row["overdue"] = order.status == WorkOrder.Status.OPEN and order.due_at <= now
        row["level_label"] = display.label_of(order_policy.levels, order.complaint.level, language)
        if order.status == WorkOrder.Status.OPEN:
            working = _order_is_working(order_policy, order)
            schedule = schedules.get(order.complaint.policy_version_id)
            if schedule is None:
                schedule = schedules[order.complaint.policy_version_id] = schedule_for(order_policy)
            row["badge"] = BadgeView(countdown(schedule, now, order.due_at, working=working), False, order.due_at)
        rows.append(row)
    return render(request, "complaints/inbox.html", {
        "rows": rows, "status": status, "department": department,
        "departments": [(d.code, d.label.get(_lang())) for d in policy.departments],
        "is_supervisor": has_role(request.user, *OVERSEEING_ROLES),
        "department_name": _department_name(request.user),
    })


def _department_name(user: Any) -> str:
    department = getattr(user, "department", None)
    return str(department.name) if department is not None else ""


def _order_is_working(policy: Any, order: WorkOrder) -> bool:
    """Whether the work order's deadline counts working time (the department's work_order_due)."""
    try:
        department = policy.department(order.department.code)
    except KeyError:
        return True
    duration = department.urgent_due if order.urgent and department.urgent_due else department.work_order_due
    return bool(duration.is_working)


@login_required
@require_POST
def work_order_reply_view(request: HttpRequest, order_id: int) -> HttpResponse:
    return run_service(request, work_order_reply, back=reverse("work-order-inbox"),
                       success=lambda order: _("Work order %(number)s answered.") % {"number": order.number},
                       order_id=order_id, reply=request.POST.get("reply", ""), files=request.FILES.getlist("files"))


@login_required
@require_POST
def work_order_follow_up_view(request: HttpRequest, order_id: int) -> HttpResponse:
    try:
        order = work_order_of(request.user, order_id)
    except NotFound as error:
        raise Http404 from error
    return run_service(request, work_order_follow_up, back=complaint_page(order.complaint.number, "work-orders"),
                       order_id=order_id, note=request.POST.get("note", ""),
                       success=lambda order: _("Follow-up on work order %(number)s recorded.")
                       % {"number": order.number})
