"""Staff pages for judgements: the complaint page's judgement panel, my judgements with the appeal,
and the appeals waiting for review."""

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

from complaintdesk.accounts.roles import has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.durations import duration_text
from complaintdesk.core.errors import NotFound, PermissionDenied
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.pages import complaint_page, run_service
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.followup import selectors
from complaintdesk.followup.models import Appeal, Judgement
from complaintdesk.followup.services import (
    JudgementInput,
    ResultInput,
    appeal_answer,
    appeal_file,
    appeal_review,
    judgement_record,
)
from complaintdesk.policy.schema import Policy, Role


def _options(policy: Policy) -> dict[str, list[tuple[str, str]]]:
    rule = policy.judgement
    lang = _lang()
    if rule is None:
        return {"valid": [], "invalid": []}
    return {"valid": [(o.code, o.label.get(lang)) for o in rule.valid],
            "invalid": [(o.code, o.label.get(lang)) for o in rule.invalid]}


def judgement_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    policy = policy_of(complaint.policy_version)
    rule = policy.judgement
    if rule is None:
        return None
    try:
        if not policy.category(complaint.category).about_staff:
            return None
    except KeyError:
        return None
    user = request.user
    can_judge = selectors.may_judge(user, policy, at=complaint)
    try:
        judgement = selectors.judgement_of(user, complaint)
    except PermissionDenied:
        return None
    if judgement is None and not can_judge:
        return None
    open_for_judging = complaint.status not in {Complaint.Status.REJECTED, Complaint.Status.WITHDRAWN}
    return {
        "complaint": complaint,
        "judgement": selectors.judgement_view(judgement, user) if judgement else None,
        "can_judge": can_judge and open_for_judging and (judgement is None or not judgement.appeal_state),
        "options": _options(policy),
        "staff_choices": [(u.username, u.display_name()) for u in
                          role_holders(*Role, at=complaint).exclude(username=user.get_username())
                          .order_by("username")],
        # the judgements whose compensation the staff member bears, and the appeal period, as a reader says them
        "staff_pays": [label for code, label in _options(policy)["valid"] if code in rule.staff_pays],
        "appeal_within": duration_text(rule.appeal_within),
        "currency": policy.currency,
    }


def _bool(value: str) -> bool | None:
    return {"yes": True, "true": True, "no": False, "false": False}.get(value.strip().lower())


@login_required
@require_POST
def judgement_record_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    return run_service(request, judgement_record, back=complaint_page(number, "judgement"),
                       success=_("Judgement recorded."), number=number,
                       data=JudgementInput(validity=post.get("validity", ""), category=post.get("category", ""),
                                           company_at_fault=_bool(post.get("company_at_fault", "")),
                                           staff=post.get("staff", ""), note=post.get("note", ""),
                                           compensation=post.get("compensation", "")))


@login_required
def my_judgements_view(request: HttpRequest) -> HttpResponse:
    judgements = selectors.judgements_of_staff(request.user)
    return render(request, "followup/my_judgements.html", {
        "rows": [selectors.judgement_view(j, request.user) for j in judgements],
    })


@login_required
def judgement_detail_view(request: HttpRequest, judgement_id: int) -> HttpResponse:
    try:
        judgement = selectors.judgement_get(request.user, judgement_id)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    policy = policy_of(judgement.complaint.policy_version)
    rule = policy.judgement
    user = request.user
    state = judgement.appeal_state
    appeal = Appeal.objects.filter(judgement=judgement).first()
    answered = set(appeal.answers.values_list("role", flat=True)) if appeal else set()
    can_review = bool(rule and state == Judgement.AppealState.FILED
                      and has_role(user, rule.review_role, at=judgement.complaint)
                      and appeal is not None and appeal.appellant_id != user.pk)
    can_answer = bool(rule and state == Judgement.AppealState.SECOND_REVIEW and appeal is not None
                      and appeal.appellant_id != user.pk
                      and any(has_role(user, r, at=judgement.complaint) and r.value not in answered
                             for r in rule.second_review_roles))
    return render(request, "followup/judgement.html", {
        "j": selectors.judgement_view(judgement, user),
        "number": judgement.complaint.number,
        "can_review": can_review,
        "can_answer": can_answer,
        "options": _options(policy),
        "proposal": appeal.review_result if appeal and appeal.review_result else {},
        "appeal_within": duration_text(rule.appeal_within) if rule else "",
        "second_review_within": duration_text(rule.second_review_within) if rule else "",
    })


def _result(post: Any) -> ResultInput:
    return ResultInput(validity=post.get("validity", ""), category=post.get("category", ""),
                       company_at_fault=_bool(post.get("company_at_fault", "")))


@login_required
@require_POST
def appeal_file_view(request: HttpRequest, judgement_id: int) -> HttpResponse:
    return run_service(request, appeal_file, back=reverse("judgement-detail", args=[judgement_id]),
                       success=_("Your appeal is filed."), judgement_id=judgement_id,
                       grounds=request.POST.get("grounds", ""))


@login_required
@require_POST
def appeal_review_view(request: HttpRequest, judgement_id: int) -> HttpResponse:
    post = request.POST
    return run_service(request, appeal_review, back=reverse("judgement-detail", args=[judgement_id]),
                       success=_("Review recorded."), judgement_id=judgement_id, decision=post.get("decision", ""),
                       result=_result(post), note=post.get("note", ""))


@login_required
@require_POST
def appeal_answer_view(request: HttpRequest, judgement_id: int) -> HttpResponse:
    post = request.POST
    return run_service(request, appeal_answer, back=reverse("judgement-detail", args=[judgement_id]),
                       success=_("Answer recorded."), judgement_id=judgement_id, decision=post.get("decision", ""),
                       result=_result(post), note=post.get("note", ""))


@login_required
def appeal_inbox_view(request: HttpRequest) -> HttpResponse:
    if not selectors.may_review_appeals(request.user):
        raise DjangoPermissionDenied("appeals")
    _version, policy = active_policy()
    start = timezone.now().astimezone(ZoneInfo(policy.timezone)).replace(day=1, hour=0, minute=0, second=0,
                                                                         microsecond=0)
    return render(request, "followup/appeals.html", {
        "rows": [selectors.judgement_view(j, request.user) for j in selectors.appeals_waiting(request.user)],
        "stats": selectors.judgement_statistics(user=request.user, since=start),
        "month": start.strftime("%Y-%m"),
    })
