"""Staff pages for the work on complaints: actions, progress, work orders, contacts, the queues,
the department inbox, the supervision page and the notices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import OVERSEEING_ROLES, OWNING_ROLES, has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.clocks.selectors import SOON, clock_views, next_due, remaining
from complaintdesk.complaints import display
from complaintdesk.complaints.models import Attachment, Complaint, ContactAttempt, WorkOrder
from complaintdesk.complaints.selectors import ComplaintFilter, access_complaint, complaint_list, visible_complaints
from complaintdesk.complaints.selectors_work import (
    major_complaints,
    supervised_complaints,
    supervised_levels,
    work_order_inbox,
)
from complaintdesk.complaints.services.work import (
    ProgressInput,
    contact_record,
    progress_add,
    unreachable_sms,
    work_order_dispatch,
    work_order_follow_up,
    work_order_reply,
)
from complaintdesk.complaints.services.workflow import ActionInput, complaint_act
from complaintdesk.core.errors import DomainError, NotFound, PermissionDenied
from complaintdesk.core.errors import error_text as _error_text
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.notify.models import Message
from complaintdesk.notify.services import notices_mark_read


def _back(number: str, anchor: str = "") -> HttpResponse:
    from django.urls import reverse

    return redirect(reverse("complaint-detail", args=[number]) + (f"#{anchor}" if anchor else ""))


def _run(request: HttpRequest, back_to: str, anchor: str, function: Any, /, **kwargs: Any) -> HttpResponse:
    """Call one service; on a domain error show its message on the detail page of ``back_to``."""
    try:
        function(actor=request.user, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return _back(back_to, anchor)


@login_required
@require_POST
def complaint_action_view(request: HttpRequest, number: str, name: str) -> HttpResponse:
    post = request.POST
    return _run(request, number, "actions", complaint_act, number=number, action=name, data=ActionInput(
        note=post.get("note", ""), reason=post.get("reason", ""), to=post.get("to", ""), level=post.get("level", ""),
        condition=post.get("condition", ""), clock=post.get("clock", ""), by=post.get("by", ""),
        withdrawn_by=post.get("withdrawn_by", ""),
        root_cause=[c for c in post.get("root_cause", "").split("/") if c],
        corrective_action=post.get("corrective_action", "")))


@login_required
@require_POST
def progress_add_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    truth = {"yes": True, "no": False}.get(post.get("description_true", ""))
    return _run(request, number, "progress", progress_add, number=number, data=ProgressInput(
        day=post.get("day", ""), verified=post.get("verified", ""), description_true=truth, done=post.get("done", ""),
        next_step=post.get("next_step", ""), no_update_reason=post.get("no_update_reason", ""),
        files=request.FILES.getlist("files")))


@login_required
@require_POST
def work_order_dispatch_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    return _run(request, number, "work-orders", work_order_dispatch, number=number,
                department=post.get("department", ""), request=post.get("request", ""),
                urgent=post.get("urgent") == "on", kind=post.get("kind", WorkOrder.Kind.COMPLAINT))


@login_required
@require_POST
def contact_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    return _run(request, number, "contacts", contact_record, number=number, outcome=post.get("outcome", ""),
                note=post.get("note", ""), at=post.get("at", ""))


@login_required
@require_POST
def unreachable_view(request: HttpRequest, number: str) -> HttpResponse:
    return _run(request, number, "contacts", unreachable_sms, number=number)


@login_required
def attachment_view(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = Attachment.objects.select_related("complaint").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    try:
        access_complaint(request.user, attachment.complaint.number)
    except (NotFound, PermissionDenied) as exc:
        raise Http404 from exc
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, as_attachment=True,
                            filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the detail page's work panels -------------------------------------------------------------


def work_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    policy = policy_of(complaint.policy_version)
    lang = _lang()
    work = display.work_details(complaint, request.user)
    colleagues = role_holders(*OWNING_ROLES).exclude(pk=complaint.owner_id).order_by("username")
    extendable = [(d.code, d.label.get(lang)) for d in policy.clocks
                  if d.extension is not None and has_role(request.user, d.extension.approver)]
    return {
        "complaint": complaint,
        "work": work,
        "actions": work["actions"],
        "reject_reasons": [(r.code, r.label.get(lang)) for r in policy.reject_reasons],
        "levels": [(lv.code, lv.label.get(lang)) for lv in policy.levels_by_rank()],
        "departments": [(d.code, d.label.get(lang), str(d.work_order_due)) for d in policy.departments],
        "colleagues": [(u.username, u.display_name()) for u in colleagues],
        "extendable": extendable,
        "root_causes": _reason_paths(policy, lang),
        "outcomes": list(ContactAttempt.Outcome.choices),
        "is_owner": complaint.owner_id == request.user.pk or has_role(request.user, *OVERSEEING_ROLES),
        "unreachable": policy.unreachable is not None and policy.messages.unreachable_sms is not None,
        "today": timezone.now().astimezone(display_tz(policy)).date(),
    }


def _reason_paths(policy: Any, lang: str) -> list[tuple[str, str]]:
    """Every path of the reason taxonomy down to the root-cause level (or a leaf)."""
    out: list[tuple[str, str]] = []

    def walk(nodes: list[Any], prefix: tuple[Any, ...]) -> None:
        for node in nodes:
            path = (*prefix, node)
            if len(path) == policy.reasons.root_cause_depth or not node.children:
                out.append(("/".join(n.code for n in path), " › ".join(n.label.get(lang) for n in path)))
            else:
                walk(node.children, path)

    walk(policy.reasons.tree, ())
    return out


def display_tz(policy: Any) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(policy.timezone)


def clocks_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    return {"clocks": clock_views(complaint, language=_lang()), "complaint": complaint}


# --- queues ----------------------------------------------------------------------------------

QUEUES = {
    "mine": (gettext_lazy("My complaints"), ComplaintFilter(owner="me", status="open")),
    "soon": (gettext_lazy("Due soon"), ComplaintFilter(due="soon")),
    "overdue": (gettext_lazy("Overdue"), ComplaintFilter(due="overdue")),
}


QUEUE_PAGE = 50


def _rows(complaints: list[Complaint]) -> list[dict[str, Any]]:
    """Each complaint with its earliest running deadline, counted down in working time."""
    due = next_due([c.pk for c in complaints])
    now = timezone.now()
    out = []
    for complaint in complaints:
        row = display.summary(complaint)
        clock = due.get(complaint.pk)
        if clock is not None:
            policy = policy_of(complaint.policy_version)
            definition = next((d for d in policy.clocks if d.code == clock.code), None)
            working = bool(definition and definition.duration.is_working)
            row["deadline"] = {
                "label": definition.label.get(_lang()) if definition else clock.code,
                "view": _BadgeView(remaining(policy, clock, now, working), working, clock.due_at <= now,
                                   clock.warned_at is not None, clock.due_at),
                "due_at": clock.due_at,
            }
        row["waiting_on"] = complaint.waiting_on
        row["major"] = complaint.major_opened_at is not None
        out.append(row)
    return out


class _BadgeView:
    status = "running"
    paused = False
    breached_at = None

    def __init__(self, seconds: int, working: bool, overdue: bool, warned: bool, due_at: Any = None) -> None:
        self.due_at = due_at
        self.remaining_seconds = seconds
        self.working = working
        self.overdue = overdue
        self.warned = warned


@login_required
def queue_view(request: HttpRequest, kind: str) -> HttpResponse:
    _version, policy = active_policy()
    level_code = ""
    title: Any
    if kind in QUEUES:
        title, filters = QUEUES[kind]
    elif kind.startswith("level-"):
        level_code = kind.removeprefix("level-")
        try:
            level = policy.level(level_code)
        except KeyError as exc:
            raise Http404 from exc
        title = str(level.label.get(_lang()))
        filters = ComplaintFilter(level=level_code, status="open")
    else:
        raise Http404
    qs = complaint_list(request.user, filters).select_related("policy_version")
    if kind in {"soon", "overdue"}:
        qs = qs.exclude(status__in=["closed", "rejected", "withdrawn"])
    page_text = request.GET.get("page", "1")
    page = int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1
    complaints = list(qs[(page - 1) * QUEUE_PAGE : page * QUEUE_PAGE + 1])
    context = {
        "title": title, "kind": kind, "rows": _rows(complaints[:QUEUE_PAGE]),
        "page": page, "has_next": len(complaints) > QUEUE_PAGE,
        "levels": [(lv.code, lv.label.get(_lang())) for lv in policy.levels_by_rank()],
        "queues": [(key, label) for key, (label, _f) in QUEUES.items()],
    }
    template = "complaints/_queue_rows.html" if request.headers.get("HX-Request") else "complaints/queue.html"
    return render(request, template, context)


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The department's own work orders (complaint work orders first)."""
    status = request.GET.get("status", "open")
    department = request.GET.get("department", "")
    try:
        orders = list(work_order_inbox(request.user, status=status, department=department)[:200])
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    _version, policy = active_policy()
    now = timezone.now()
    rows = []
    for order in orders:
        order_policy = policy_of(order.complaint.policy_version)
        row = display.work_order_view(order, order_policy)
        row["overdue"] = order.status == WorkOrder.Status.OPEN and order.due_at <= now
        row["level_label"] = display.label_of(order_policy.levels, order.complaint.level)
        if order.status == WorkOrder.Status.OPEN:
            working = _order_is_working(order_policy, order)
            row["badge"] = _BadgeView(remaining(order_policy, order, now, working), working, row["overdue"], False,
                                      order.due_at)
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
    try:
        order = work_order_reply(actor=request.user, order_id=order_id, reply=request.POST.get("reply", ""),
                                 files=request.FILES.getlist("files"))
        messages.success(request, _("Work order %(number)s answered.") % {"number": order.number})
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect("work-order-inbox")


@login_required
@require_POST
def work_order_follow_up_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = WorkOrder.objects.select_related("complaint").filter(pk=order_id).first()
    if order is None:
        raise Http404
    return _run(request, order.complaint.number, "work-orders", work_order_follow_up, order_id=order_id,
                note=request.POST.get("note", ""))


@login_required
def supervision_view(request: HttpRequest) -> HttpResponse:
    """Complaints at the levels this user supervises, and the open major-complaint teams."""
    levels = supervised_levels(request.user)
    if not levels and not has_role(request.user, *OVERSEEING_ROLES):
        raise DjangoPermissionDenied("supervision")
    _version, policy = active_policy()
    supervised = list(supervised_complaints(request.user)[:200])
    majors = list(major_complaints()[:100])
    visible = set(visible_complaints(request.user).filter(pk__in=[c.pk for c in majors]).values_list("pk", flat=True))
    return render(request, "complaints/supervision.html", {
        "levels": [display.label_of(policy.levels, code) for code in levels],
        "rows": _rows(supervised),
        "majors": _rows([c for c in majors if c.pk in visible]),
    })


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


def soon_window_hours() -> int:
    return int(SOON.total_seconds() // 3600)
