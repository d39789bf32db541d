"""REST endpoints for return visits, the survey by link, judgements and appeals (DESIGN.md §5).
Thin: parse, call one service or selector, render."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from complaintdesk.accounts.roles import OVERSEEING_ROLES, has_role
from complaintdesk.complaints.api.responses import ERRORS
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.errors import FieldProblem, NotFound, PermissionDenied, ValidationFailed
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.followup import selectors
from complaintdesk.followup.schemas import (
    AppealDecisionIn,
    AppealIn,
    AssignIn,
    JudgementIn,
    JudgementOut,
    ReturnVisitIn,
    ReturnVisitOut,
    StatisticsRowOut,
    SurveyAnswerIn,
    SurveyLinkSentOut,
    SurveyQuestionOut,
)
from complaintdesk.followup.services import (
    JudgementInput,
    ResultInput,
    VisitInput,
    appeal_answer,
    appeal_file,
    appeal_review,
    judgement_record,
    return_visit_assign,
    return_visit_record,
    survey_answer,
    survey_link_send,
    survey_open,
)

router = Router(tags=["follow-up"])


class QueueQuery(Schema):
    state: str = "due"


@router.get("/return-visits", response={200: list[ReturnVisitOut], **ERRORS}, summary="Return-visit queue")
def queue(request: HttpRequest, query: Query[QueueQuery]) -> list[dict[str, Any]]:
    """``state``: due (open, not yet overdue), overdue, mine (assigned to me) or unassigned."""
    visits = selectors.visit_queue(request.user, query.state)[:500]
    return [selectors.visit_view(v) for v in visits]


@router.get("/complaints/{number}/return-visits", response={200: list[ReturnVisitOut], **ERRORS},
            summary="A complaint's return visits")
def complaint_visits(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    complaint = access_complaint(request.user, number)
    policy = policy_of(complaint.policy_version)
    return [selectors.visit_view(v, policy) for v in selectors.visits_of(complaint)]


@router.post("/complaints/{number}/return-visits", response={201: ReturnVisitOut, **ERRORS},
             summary="One call of the return visit, or its result")
def record(request: HttpRequest, number: str, payload: ReturnVisitIn) -> Status[dict[str, Any]]:
    visit = return_visit_record(actor=request.user, number=number, data=VisitInput(
        outcome=payload.outcome, at=payload.at, satisfaction=str(payload.satisfaction), reason=payload.reason,
        note=payload.note))
    return Status(201, selectors.visit_view(visit))


@router.post("/return-visits/{visit_id}/assign", response={200: ReturnVisitOut, **ERRORS},
             summary="The team lead assigns a return visit")
def assign(request: HttpRequest, visit_id: int, payload: AssignIn) -> dict[str, Any]:
    visit = return_visit_assign(actor=request.user, visit_id=visit_id, to=payload.to)
    return selectors.visit_view(visit)


@router.post("/complaints/{number}/return-visits/survey-link", response={201: SurveyLinkSentOut, **ERRORS},
             summary="Send the customer a link to the survey")
def survey_link(request: HttpRequest, number: str) -> Status[dict[str, Any]]:
    link, _url = survey_link_send(actor=request.user, number=number, base_url=request.build_absolute_uri("/"))
    return Status(201, {"visit": link.visit_id, "channel": link.channel, "expires_at": link.expires_at})


@router.get("/surveys/{token}", auth=None, response={200: SurveyQuestionOut, **ERRORS}, summary="A survey (public)",
            tags=["portal"])
def survey_get(request: HttpRequest, token: str) -> dict[str, Any]:
    """No login: the signed link is the key. A tampered link is 400, an expired one 410, a used one 409."""
    survey = survey_open(token=token)
    language = survey.complaint.language
    return {"complaint": survey.complaint.number, "organisation": survey.policy.organisation.get(language),
            "language": language, "expires_at": survey.link.expires_at,
            "scale": [{"code": p.code, "label": p.label.get(language), "reason_required": p.reason_required}
                      for p in survey.points]}


@router.post("/surveys/{token}", auth=None, response={200: dict[str, str], **ERRORS},
             summary="The customer answers a survey (public)", tags=["portal"])
def survey_post(request: HttpRequest, token: str, payload: SurveyAnswerIn) -> dict[str, str]:
    visit = survey_answer(token=token, satisfaction=str(payload.satisfaction), reason=payload.reason)
    return {"result": visit.result, "satisfaction": visit.satisfaction}


# --- judgements and appeals ------------------------------------------------------------------------


@router.post("/complaints/{number}/judgement", response={201: JudgementOut, **ERRORS},
             summary="Judge a complaint about staff")
def judge(request: HttpRequest, number: str, payload: JudgementIn) -> Status[dict[str, Any]]:
    judgement = judgement_record(actor=request.user, number=number, data=JudgementInput(
        validity=payload.validity, category=payload.category, company_at_fault=payload.company_at_fault,
        responsibility=payload.responsibility, staff=payload.staff, note=payload.note,
        compensation=payload.compensation))
    return Status(201, selectors.judgement_view(judgement, request.user))


@router.get("/complaints/{number}/judgement", response={200: JudgementOut, **ERRORS},
            summary="The judgement of a complaint")
def judgement_of_complaint(request: HttpRequest, number: str) -> dict[str, Any]:
    complaint = access_complaint(request.user, number)
    judgement = selectors.judgement_of(request.user, complaint)
    if judgement is None:
        raise NotFound(_("Complaint %(number)s is not judged.") % {"number": number})
    return selectors.judgement_view(judgement, request.user)


@router.get("/judgements", response={200: list[JudgementOut], **ERRORS}, summary="My judgements")
def my_judgements(request: HttpRequest) -> list[dict[str, Any]]:
    return [selectors.judgement_view(j, request.user) for j in selectors.judgements_of_staff(request.user)]


@router.get("/appeals", response={200: list[JudgementOut], **ERRORS}, summary="Appeals waiting for my role")
def appeals(request: HttpRequest) -> list[dict[str, Any]]:
    return [selectors.judgement_view(j, request.user) for j in selectors.appeals_waiting(request.user)]


@router.get("/judgements/{judgement_id}", response={200: JudgementOut, **ERRORS}, summary="One judgement")
def judgement(request: HttpRequest, judgement_id: int) -> dict[str, Any]:
    return selectors.judgement_view(selectors.judgement_get(request.user, judgement_id), request.user)


@router.post("/judgements/{judgement_id}/appeal", response={201: JudgementOut, **ERRORS},
             summary="The judged staff member appeals")
def appeal(request: HttpRequest, judgement_id: int, payload: AppealIn) -> Status[dict[str, Any]]:
    judged = appeal_file(actor=request.user, judgement_id=judgement_id, grounds=payload.grounds or payload.reason)
    return Status(201, selectors.judgement_view(judged, request.user))


def _result(payload: AppealDecisionIn) -> ResultInput:
    return ResultInput(validity=payload.validity, category=payload.category, company_at_fault=payload.company_at_fault)


@router.post("/judgements/{judgement_id}/appeal/review", response={200: JudgementOut, **ERRORS},
             summary="The supervisor reviews the appeal")
def review(request: HttpRequest, judgement_id: int, payload: AppealDecisionIn) -> dict[str, Any]:
    judged = appeal_review(actor=request.user, judgement_id=judgement_id, decision=payload.decision,
                           result=_result(payload), note=payload.note)
    return selectors.judgement_view(judged, request.user)


@router.post("/judgements/{judgement_id}/appeal/answer", response={200: JudgementOut, **ERRORS},
             summary="A second reviewer answers the appeal")
def answer(request: HttpRequest, judgement_id: int, payload: AppealDecisionIn) -> dict[str, Any]:
    judged = appeal_answer(actor=request.user, judgement_id=judgement_id, decision=payload.decision,
                           result=_result(payload), note=payload.note)
    return selectors.judgement_view(judged, request.user)


class StatisticsQuery(Schema):
    month: str = ""


@router.get("/judgement-statistics", response={200: list[StatisticsRowOut], **ERRORS},
            summary="Valid judgements per staff member and category")
def statistics(request: HttpRequest, query: Query[StatisticsQuery]) -> list[dict[str, Any]]:
    """``month=YYYY-MM`` (organisation's time zone) or all time."""
    _version, policy = active_policy()
    rule = policy.judgement
    roles = [*OVERSEEING_ROLES, *((*rule.judge_roles, rule.review_role, *rule.second_review_roles) if rule else ())]
    if not has_role(request.user, *roles):
        raise PermissionDenied(_("Only judges, reviewers and managers see the judgement statistics."))
    since = until = None
    if query.month:
        try:
            start = datetime.strptime(query.month + "-01", "%Y-%m-%d").replace(tzinfo=ZoneInfo(policy.timezone))
        except ValueError:
            raise ValidationFailed([FieldProblem("month", _("Write the month as YYYY-MM."))]) from None
        since = start
        until = start.replace(year=start.year + (start.month // 12), month=start.month % 12 + 1)
    return selectors.judgement_statistics(user=request.user, since=since, until=until)
