"""Staff pages for return visits: the queue, the complaint page's return-visit panel, assigning,
recording a visit and sending the survey link."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.accounts.selectors import role_holders
from complaintdesk.complaints.models import Complaint, ContactAttempt
from complaintdesk.core.errors import PermissionDenied, ValidationFailed
from complaintdesk.core.errors import error_text as _error_text
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.pages import complaint_page, run_service
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.followup import selectors
from complaintdesk.followup.services import (
    VisitInput,
    return_visit_assign,
    return_visit_record,
    survey_link_send,
)
from complaintdesk.followup.services.common import may_assign, may_work
from complaintdesk.policy.schema import Policy
from complaintdesk.units.scope import colleagues_q


def _local_now(policy: Policy) -> str:
    """Now in the policy's time zone, as a datetime-local input wants it."""
    return timezone.now().astimezone(ZoneInfo(policy.timezone)).strftime("%Y-%m-%dT%H:%M")


def customer_visits_context(request: HttpRequest, complaints: list[Complaint]) -> dict[str, Any] | None:
    """The customer page's satisfaction results: every answered return visit of its complaints."""
    visits = selectors.satisfaction_of(complaints)
    return {"visits": visits} if visits else None


def visit_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    policy = policy_of(complaint.policy_version)
    rule = policy.return_visit
    if rule is None:
        return None
    visits = selectors.visits_of(complaint)
    if not visits:
        return None
    lang = _lang()
    current = next((v for v in reversed(visits) if v.is_open), None)
    user = request.user
    return {
        "complaint": complaint,
        "visits": [selectors.visit_view(v, policy) for v in reversed(visits)],
        "current": selectors.visit_view(current, policy) if current else None,
        "can_work": current is not None and may_work(user, current, rule),
        "can_assign": current is not None and may_assign(user, rule, at=complaint),
        "visitors": [(u.username, u.display_name()) for u in role_holders(rule.visitor, at=complaint)],
        "call_outcomes": list(ContactAttempt.Outcome.choices),
        "scale": [(p.code, p.label.get(lang), p.reason_required) for p in rule.scale],
        "no_visit_needed": rule.no_visit_needed,
        "survey": policy.messages.survey_invitation is not None,
        "now": _local_now(policy),
        "rule": rule,
    }


@login_required
def return_visit_queue_view(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    counts = selectors.queue_counts(request.user, now=now)
    # The navigation badge counts the visits assigned to me: open on them when there are any.
    state = request.GET.get("state") or ("mine" if counts["mine"] else "due")
    try:
        visits = list(selectors.visit_queue(request.user, state)[:200])
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except ValidationFailed as exc:
        raise Http404(_error_text(exc)) from exc
    _version, policy = active_policy()
    rule = policy.return_visit
    return render(request, "followup/queue.html", {
        "state": state,
        "states": [("due", _("Due, not yet overdue"), counts["due"]), ("overdue", _("Overdue"), counts["overdue"]),
                   ("mine", _("Assigned to me"), counts["mine"]),
                   ("unassigned", _("Unassigned"), counts["unassigned"])],
        "rows": [selectors.queue_row(v, now) for v in visits],
        "can_assign": rule is not None and may_assign(request.user, rule, at=None),
        "visitors": [(u.username, u.display_name())
                     for u in role_holders(rule.visitor).filter(colleagues_q(request.user)).distinct()]
        if rule else [],
    })


@login_required
@require_POST
def return_visit_assign_view(request: HttpRequest, visit_id: int) -> HttpResponse:
    back = request.POST.get("next") or reverse("return-visit-queue")
    if not back.startswith("/"):
        back = reverse("return-visit-queue")
    return run_service(request, return_visit_assign, back=back, success=_("Return visit assigned."), visit_id=visit_id,
                       to=request.POST.get("to", ""))


@login_required
@require_POST
def return_visit_record_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    return run_service(request, return_visit_record, back=complaint_page(number, "return-visit"),
                       success=_("Return visit recorded."), number=number,
                       data=VisitInput(outcome=post.get("outcome", ""), at=post.get("at", ""),
                                       satisfaction=post.get("satisfaction", ""), reason=post.get("reason", ""),
                                       note=post.get("note", "")))


@login_required
@require_POST
def survey_link_view(request: HttpRequest, number: str) -> HttpResponse:
    return run_service(request, survey_link_send, back=complaint_page(number, "return-visit"),
                       success=_("The survey link is on its way to the customer."), number=number,
                       base_url=request.build_absolute_uri("/"))
