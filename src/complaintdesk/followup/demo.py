"""Demo data of the follow-up app: return visits in every state and, where the policy judges
complaints about staff, judgements with appeals — all through the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from complaintdesk.accounts.models import User
from complaintdesk.complaints.models import Complaint
from complaintdesk.followup.models import ReturnVisit
from complaintdesk.followup.services import (
    JudgementInput,
    ResultInput,
    VisitInput,
    appeal_file,
    appeal_review,
    judgement_record,
    return_visit_assign,
    return_visit_record,
    survey_link_send,
)
from complaintdesk.policy.schema import Policy, SatisfactionOutcome


def _user(username: str) -> Any:

    return User.objects.filter(username=username, is_active=True).first()


def _at(start: datetime, hours: float, now: datetime) -> datetime:
    return min(start + timedelta(hours=hours), now - timedelta(minutes=1))


@transaction.atomic
def seed(policy: Policy) -> int:
    """Work the return visits of the demo's resolved complaints (one left due, one with failed calls,
    one satisfied, one dissatisfied, one with a survey link) and judge complaints about staff.
    Returns how many complaints were touched."""
    touched = _visits(policy) + _judgements(policy)
    return touched


def _visits(policy: Policy) -> int:

    rule = policy.return_visit
    lead = _user(rule.assigner.value) if rule else None
    if rule is None or lead is None:
        return 0
    now = timezone.now()
    visits = list(ReturnVisit.objects.filter(state=ReturnVisit.State.OPEN, complaint__status="resolved")
                  .select_related("complaint", "assigned_to").order_by("opened_at", "id"))
    visitor = _user(rule.visitor.value)
    touched = 0
    for index, visit in enumerate(visits):
        number = visit.complaint.number
        if visit.assigned_to is None and visitor is not None:
            return_visit_assign(actor=lead, visit_id=visit.pk, to=visitor.username, now=_at(visit.opened_at, 0.5, now))
            visit.refresh_from_db()
        agent = visit.assigned_to or visitor
        if agent is None:
            continue
        english = visit.complaint.language == "en"
        start = visit.opened_at
        step = index % 5
        if step == 0:
            continue  # due, assigned, not called yet
        if step == 1:
            for hours, outcome in ((2, "no_answer"), (26, "busy")):
                return_visit_record(actor=agent, number=number, now=now, data=VisitInput(
                    outcome=outcome, at=_at(start, hours, now).isoformat()))
        elif step == 2:
            return_visit_record(actor=agent, number=number, now=_at(start, 3, now), data=VisitInput(
                outcome="reached", at=_at(start, 3, now).isoformat(), satisfaction=_point(rule, "close"),
                reason="Quick and polite." if english else "处理及时，态度很好。"))
        elif step == 3:
            point = _point(rule, "reopen") or _point(rule, "dealer")
            if point:
                return_visit_record(actor=agent, number=number, now=_at(start, 4, now), data=VisitInput(
                    outcome="reached", at=_at(start, 4, now).isoformat(), satisfaction=point,
                    reason="The fault came back two days later." if english else "两天后故障又出现了。"))
        elif policy.messages.survey_invitation is not None and (visit.complaint.customer.phone
                                                                 or visit.complaint.customer.email):
            survey_link_send(actor=agent, number=number, base_url="http://127.0.0.1:8000/", now=_at(start, 1, now))
        touched += 1
    return touched


def _point(rule: Any, outcome: str) -> str:
    """A scale point with this outcome (the first that needs no reason for closing)."""
    points = [p for p in rule.scale if p.outcome == SatisfactionOutcome(outcome)]
    if outcome == "close":
        points.sort(key=lambda p: p.reason_required)
    return points[0].code if points else ""


def _judgements(policy: Policy) -> int:

    rule = policy.judgement
    if rule is None:
        return 0
    about_staff = [c.code for c in policy.categories if c.about_staff]
    judge = next((u for u in (_user(r.value) for r in rule.judge_roles) if u is not None), None)
    staff = _user("agent")
    reviewer = _user(rule.review_role.value)
    if not about_staff or judge is None or staff is None or judge.pk == staff.pk:
        return 0
    now = timezone.now()
    complaints = list(Complaint.objects.filter(category__in=about_staff)
                      .exclude(status__in=["registered", "rejected", "withdrawn"]).order_by("registered_at")[:4])
    touched = 0
    for index, complaint in enumerate(complaints):
        if hasattr(complaint, "judgement"):
            continue
        when = _at(complaint.accepted_at or complaint.registered_at, 2, now)
        valid = rule.valid[min(index, len(rule.valid) - 1)] if index != 3 else None
        option = valid or rule.invalid[0]
        judgement = judgement_record(actor=judge, number=complaint.number, now=when, data=JudgementInput(
            validity="valid" if valid else "invalid", category=option.code, company_at_fault=valid is not None,
            staff=staff.username, compensation="30" if option.code in rule.staff_pays else "",
            note="录音核实：客户代表答复有误。" if valid else "录音核实：客户代表按规范答复。"))
        if index == 1:
            appeal_file(actor=staff, judgement_id=judgement.pk, now=_at(when, 1, now),
                        grounds="当时知识库中的业务口径尚未更新，并非本人差错。")
        elif index == 2 and reviewer is not None and reviewer.pk != staff.pk:
            appeal_file(actor=staff, judgement_id=judgement.pk, now=_at(when, 1, now),
                        grounds="客户来电时系统异常，查询结果不准确。")
            invalid = next((o for o in rule.invalid if o.code == "system_fault"), rule.invalid[0])
            appeal_review(actor=reviewer, judgement_id=judgement.pk, decision="changed", now=_at(when, 2, now),
                          note="经查当日系统确有异常。",
                          result=ResultInput(validity="invalid", category=invalid.code, company_at_fault=True))
        touched += 1
    return touched
