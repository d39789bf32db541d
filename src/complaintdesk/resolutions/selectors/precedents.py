"""Precedent (seed 001 §3.1.2: 可参考成功案例的解决方案): resolved complaints of the same category and
product model, with the solution that settled them, best first, so that the specialist can offer
a solution that worked before.

"Best" is the customer's satisfaction at the return visit when the follow-up app has recorded one
(read through its ``visits_of`` selector), then the customer's acceptance of the solution, then the
speed of the resolution. Text search (Chinese or English, any substring) runs over the complaint's
own text and the plan's 5W1H; no external service is involved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Case, DurationField, ExpressionWrapper, F, IntegerField, Q, Value, When

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import visible_complaints
from complaintdesk.followup.selectors import visits_of
from complaintdesk.policy.rules import normalise_text
from complaintdesk.policy.schema import Policy
from complaintdesk.resolutions.models import Plan

LIMIT = 8
SCAN = 16


@dataclass(frozen=True)
class Satisfaction:
    code: str
    label: str
    score: int | None
    satisfied: bool = True


@dataclass(frozen=True)
class Precedent:
    plan: Plan
    complaint: Complaint
    took: timedelta | None
    accepted: bool
    satisfaction: Satisfaction | None


def _satisfaction(complaints: list[Complaint], policy: Policy, language: str) -> dict[int, Satisfaction]:
    """The latest answered return visit of each complaint."""
    scale = {point.code: point for point in policy.return_visit.scale} if policy.return_visit else {}
    out: dict[int, Satisfaction] = {}
    for complaint in complaints:
        try:
            visits = visits_of(complaint)
        except Exception:
            return out
        answered = [v for v in visits if getattr(v, "satisfaction", "")]
        if answered:
            visit = answered[-1]
            point = scale.get(visit.satisfaction)
            score = visit.score if visit.score is not None else (point.score if point else None)
            out[complaint.pk] = Satisfaction(visit.satisfaction, point.label.get(language) if point else
                                             visit.satisfaction, score,
                                             satisfied=point is None or point.outcome == "close")
    return out


def precedents(user: Any, complaint: Complaint, policy: Policy, *, q: str = "", same_model: bool = True,
               language: str = "zh-hans") -> list[Precedent]:
    """Resolved complaints like this one and the plans that settled them, best first."""
    qs = (Plan.objects.filter(state__in=[Plan.State.APPROVED, Plan.State.AUTHORISED],
                              complaint__in=visible_complaints(user),
                              complaint__category=complaint.category,
                              complaint__status__in=[Complaint.Status.RESOLVED, Complaint.Status.CLOSED])
          .exclude(complaint=complaint).exclude(customer_decision=Plan.Decision.REFUSED)
          .select_related("complaint", "complaint__product").prefetch_related("lines"))
    model = complaint.product.model.strip() if complaint.product and complaint.product.model else ""
    if same_model and model:
        qs = qs.filter(complaint__product__model__iexact=model)
    term = normalise_text(q.strip()) if q.strip() else ""
    if term:
        qs = qs.filter(Q(search_text__contains=term) | Q(complaint__search_text__contains=term))
    qs = qs.annotate(
        accepted=Case(When(customer_decision=Plan.Decision.ACCEPTED, then=Value(1)), default=Value(0),
                      output_field=IntegerField()),
        took=ExpressionWrapper(F("complaint__resolved_at") - F("complaint__registered_at"),
                               output_field=DurationField()),
    ).order_by("-accepted", F("took").asc(nulls_last=True), "-id")
    rows = list(qs[:SCAN])
    satisfaction = _satisfaction([plan.complaint for plan in rows], policy, language)
    found = [Precedent(plan=plan, complaint=plan.complaint, took=getattr(plan, "took", None),
                       accepted=bool(getattr(plan, "accepted", 0)), satisfaction=satisfaction.get(plan.complaint_id))
             for plan in rows]
    # a solution the customer was dissatisfied with at the return visit is no successful case
    found = [p for p in found if p.satisfaction is None or p.satisfaction.satisfied]
    found.sort(key=lambda p: (-(p.satisfaction.score if p.satisfaction and p.satisfaction.score is not None
                                else -1), not p.accepted, p.took or timedelta.max))
    return found[:LIMIT]
