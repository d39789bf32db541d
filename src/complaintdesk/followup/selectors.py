"""Reads of return visits, judgements and appeals, scoped by what the user may see, and the
statistics of valid judgements per staff member."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.accounts.roles import OVERSEEING_ROLES, has_role, role_label
from complaintdesk.clocks.selectors import BadgeView, due_badge
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.masking import mask_email, mask_phone
from complaintdesk.core.errors import FieldProblem, NotFound, PermissionDenied, ValidationFailed
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.followup.display import result_text
from complaintdesk.followup.models import Appeal, Judgement, ReturnVisit
from complaintdesk.policy import rules
from complaintdesk.policy.rules import CallProgress
from complaintdesk.policy.schema import Policy, Role
from complaintdesk.policy.schema import ReturnVisit as VisitRule
from complaintdesk.units.scope import scope_q

QUEUE_STATES = ("due", "overdue", "mine", "unassigned")




# --- return visits -------------------------------------------------------------------------------


def call_progress(visit: ReturnVisit, rule: VisitRule, tz: ZoneInfo) -> CallProgress:
    """The visit's calls so far against the policy's "callback failed" rule."""
    return rules.callback_progress(rule, visit.calls.values_list("contact__at", flat=True), tz)


def may_see_visits(user: Any) -> bool:
    """Team leads, the agents who make return visits, and managers."""
    try:
        _version, policy = active_policy()
    except NotFound:
        return False
    rule = policy.return_visit
    roles: list[Role | str] = [*OVERSEEING_ROLES]
    if rule is not None:
        roles += [rule.assigner, rule.visitor]
    return has_role(user, *roles)


def visit_queue(user: Any, state: str, *, now: datetime | None = None) -> QuerySet[ReturnVisit]:
    """Open return visits: ``due`` (not yet overdue), ``overdue``, ``mine`` (assigned to me) or
    ``unassigned``; earliest due first."""
    if state not in QUEUE_STATES:
        message = _("state is one of: %(all)s.") % {"all": ", ".join(QUEUE_STATES)}
        raise ValidationFailed([FieldProblem("state", message)])
    if not may_see_visits(user):
        raise PermissionDenied(_("Only team leads and the agents who make return visits see this queue."))
    now = now or timezone.now()
    qs = (ReturnVisit.objects.filter(scope_q(user, "complaint__unit"), state=ReturnVisit.State.OPEN)
          .select_related("complaint", "complaint__customer", "complaint__policy_version", "complaint__owner",
                          "assigned_to"))
    if state == "due":
        qs = qs.filter(due_at__gt=now)
    elif state == "overdue":
        qs = qs.filter(due_at__lte=now)
    elif state == "mine":
        qs = qs.filter(assigned_to=user)
    else:
        qs = qs.filter(assigned_to__isnull=True)
    return qs.order_by("due_at", "id")


def queue_counts(user: Any, *, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    open_visits = ReturnVisit.objects.filter(scope_q(user, "complaint__unit"), state=ReturnVisit.State.OPEN)
    return open_visits.aggregate(
        due=Count("id", filter=Q(due_at__gt=now)), overdue=Count("id", filter=Q(due_at__lte=now)),
        mine=Count("id", filter=Q(assigned_to=user)), unassigned=Count("id", filter=Q(assigned_to__isnull=True)))


VISIT_BADGE_LIMIT = 99


def my_open_visits(user: Any) -> int | str:
    """The navigation badge: the user's open return visits, counted up to VISIT_BADGE_LIMIT ("99+"
    beyond). Every page shows it; the bounded count walks the (assigned_to, state) index and stops,
    where a plain count of a join PostgreSQL expects hundreds of rows from started a parallel worker
    (29–54 ms at 1,000,000 complaints, for zero rows)."""
    mine = ReturnVisit.objects.filter(scope_q(user, "complaint__unit"), state=ReturnVisit.State.OPEN,
                                      assigned_to=user).order_by()
    counted = mine[: VISIT_BADGE_LIMIT + 1].count()
    return f"{VISIT_BADGE_LIMIT}+" if counted > VISIT_BADGE_LIMIT else counted


def visits_of(complaint: Complaint) -> list[ReturnVisit]:
    return list(ReturnVisit.objects.filter(complaint=complaint)
                .select_related("assigned_to", "completed_by", "work_order", "work_order__department", "previous")
                .prefetch_related("calls__contact__by", "survey_links").order_by("cycle"))


def _label(policy: Policy, code: str) -> str:
    rule = policy.return_visit
    point = rules.scale_point(rule, code) if rule else None
    return point.label.get(_lang()) if point else code


def visit_badge(visit: ReturnVisit, policy: Policy, now: datetime) -> BadgeView | None:
    """The countdown of an open visit's due time, in the unit of the policy's ``return_visit.due``
    (working time for ``48wh``/``2wd``, wall time for ``48h``), computed by the one countdown
    (``worktime.countdown`` through ``clocks.selectors.due_badge``); None once the visit is done."""
    rule = policy.return_visit
    if not visit.is_open or rule is None:
        return None
    return due_badge(policy, visit.due_at, now, working=rule.due.is_working)


def visit_view(visit: ReturnVisit, policy: Policy | None = None, *, now: datetime | None = None) -> dict[str, Any]:
    policy = policy or policy_of(visit.complaint.policy_version)
    now = now or timezone.now()
    rule = policy.return_visit
    tz = ZoneInfo(policy.timezone)
    calls = [call.contact for call in visit.calls.all()]
    progress = call_progress(visit, rule, tz) if rule else None
    order = visit.work_order
    complaint = visit.complaint
    return {
        "id": visit.pk,
        "complaint": complaint.number,
        "cycle": visit.cycle,
        "state": visit.state,
        "state_label": str(visit.get_state_display()),
        "opened_at": visit.opened_at,
        "due_at": visit.due_at,
        "due_provisional": visit.due_provisional,
        "overdue": visit.is_open and visit.due_at <= now,
        "badge": visit_badge(visit, policy, now),
        "assigned_to": visit.assigned_to.username if visit.assigned_to else None,
        "assigned_to_name": visit.assigned_to.display_name() if visit.assigned_to else "",
        "result": visit.result,
        "result_label": str(visit.get_result_display()) if visit.result else "",
        "channel": visit.channel,
        "satisfaction": ({"code": visit.satisfaction, "label": _label(policy, visit.satisfaction),
                          "score": visit.score} if visit.satisfaction else None),
        "outcome": visit.outcome,
        "reason": visit.reason,
        "note": visit.note,
        "completed_at": visit.completed_at,
        "completed_by": visit.completed_by.display_name() if visit.completed_by else None,
        "calls": [{"at": c.at, "outcome": c.outcome, "outcome_label": str(c.get_outcome_display()), "note": c.note,
                   "by": c.by.display_name()} for c in calls],
        "progress": {
            "calls": progress.calls, "days": progress.days, "required_calls": progress.required_calls,
            "required_days": progress.required_days, "calls_needed": progress.calls_needed,
            "days_needed": progress.days_needed, "callback_failed_allowed": progress.allows_callback_failed,
        } if progress else None,
        "work_order": ({"number": order.number, "status": order.status, "department": order.department.code,
                        "reply": order.reply, "replied_at": order.replied_at} if order else None),
        "after_dealer": visit.previous_id is not None,
        "survey_links": [{"created_at": link.created_at, "expires_at": link.expires_at, "used_at": link.used_at,
                          "channel": link.channel} for link in visit.survey_links.all()],
    }


def queue_row(visit: ReturnVisit, now: datetime) -> dict[str, Any]:
    complaint = visit.complaint
    policy = policy_of(complaint.policy_version)
    level = next((lv.label.get(_lang()) for lv in policy.levels if lv.code == complaint.level), complaint.level)
    customer = complaint.customer
    return {
        "id": visit.pk, "number": complaint.number, "cycle": visit.cycle, "level": level,
        "customer": customer.display_name(), "phone": mask_phone(customer.phone), "email": mask_email(customer.email),
        "owner": complaint.owner.display_name(), "due_at": visit.due_at, "overdue": visit.due_at <= now,
        "badge": visit_badge(visit, policy, now),
        "assigned_to": visit.assigned_to.username if visit.assigned_to else None,
        "assigned_to_name": visit.assigned_to.display_name() if visit.assigned_to else "",
        "after_dealer": visit.previous_id is not None, "resolved_at": complaint.resolved_at,
    }


# --- judgements and appeals ----------------------------------------------------------------------


def may_see_judgement(user: Any, judgement: Judgement, policy: Policy) -> bool:
    """The staff member judged, the judges, the appeal reviewers and managers."""
    if judgement.staff_id == user.pk:
        return True
    rule = policy.judgement
    roles: list[Role | str] = [*OVERSEEING_ROLES]
    if rule is not None:
        roles += [*rule.judge_roles, rule.review_role, *rule.second_review_roles]
    return has_role(user, *roles, at=judgement.complaint)


def may_judge(user: Any, policy: Policy, *, at: Any = None) -> bool:
    """Whether the user holds a judging role (at ``at``, a complaint, when given)."""
    return policy.judgement is not None and has_role(user, *policy.judgement.judge_roles, at=at)


def _judgements(user: Any) -> QuerySet[Judgement]:
    """Judgements about complaints of the user's units, and those about the user (whose own record
    they are, wherever the complaint was)."""
    return Judgement.objects.filter(scope_q(user, "complaint__unit") | Q(staff=user))


def judgement_get(user: Any, judgement_id: int) -> Judgement:
    judgement = (_judgements(user).select_related("complaint", "complaint__policy_version", "staff", "judged_by")
                 .filter(pk=judgement_id).first())
    # a judgement the user may not see is answered like one that does not exist: a refusal would tell
    # that it exists (docs/security.md, the capability table)
    if judgement is None or not may_see_judgement(user, judgement, policy_of(judgement.complaint.policy_version)):
        raise NotFound(_("There is no judgement %(id)s.") % {"id": judgement_id})
    return judgement


def judgement_of(user: Any, complaint: Complaint) -> Judgement | None:
    judgement = (_judgements(user).select_related("complaint", "complaint__policy_version", "staff", "judged_by")
                 .filter(complaint=complaint).first())
    if judgement is None or not may_see_judgement(user, judgement, policy_of(complaint.policy_version)):
        return None  # as if not judged: a refusal would tell that a judgement exists
    return judgement


def judgements_of_staff(user: Any) -> list[Judgement]:
    return list(Judgement.objects.filter(staff=user).select_related("complaint", "complaint__policy_version",
                                                                    "judged_by").order_by("-judged_at"))


def has_judgements(user: Any) -> bool:
    return Judgement.objects.filter(staff=user).exists()


def appeals_waiting(user: Any) -> list[Judgement]:
    """Appeals waiting for this user's role: the review, or a second-review answer its role has
    not given yet."""
    out = []
    qs = (Judgement.objects.filter(scope_q(user, "complaint__unit"))
          .filter(appeal_state__in=[Judgement.AppealState.FILED, Judgement.AppealState.SECOND_REVIEW])
          .select_related("complaint", "complaint__policy_version", "staff", "appeal")
          .prefetch_related("appeal__answers").order_by("judged_at"))
    for judgement in qs:
        rule = policy_of(judgement.complaint.policy_version).judgement
        if rule is None or judgement.appeal.appellant_id == user.pk:
            continue
        if judgement.appeal_state == Judgement.AppealState.FILED and has_role(user, rule.review_role,
                                                                               at=judgement.complaint):
            out.append(judgement)
        elif judgement.appeal_state == Judgement.AppealState.SECOND_REVIEW:
            answered = {answer.role for answer in judgement.appeal.answers.all()}
            if any(has_role(user, role, at=judgement.complaint) and role.value not in answered
                   for role in rule.second_review_roles):
                out.append(judgement)
    return out


def may_review_appeals(user: Any) -> bool:
    try:
        _version, policy = active_policy()
    except NotFound:
        return False
    rule = policy.judgement
    return rule is not None and has_role(user, rule.review_role, *rule.second_review_roles)


def _option_label(policy: Policy, code: str) -> str:
    rule = policy.judgement
    if rule is None:
        return code
    return next((o.label.get(_lang()) for o in (*rule.valid, *rule.invalid) if o.code == code), code)


def judgement_view(judgement: Judgement, user: Any, *, now: datetime | None = None) -> dict[str, Any]:
    complaint = judgement.complaint
    policy = policy_of(complaint.policy_version)
    rule = policy.judgement
    now = now or timezone.now()
    appeal = Appeal.objects.filter(judgement=judgement).select_related("appellant", "reviewer").first()
    view: dict[str, Any] = {
        "id": judgement.pk,
        "complaint": complaint.number,
        "staff": judgement.staff.username,
        "staff_name": judgement.staff.display_name(),
        "validity": judgement.validity,
        "validity_label": str(judgement.get_validity_display()),
        "category": {"code": judgement.category, "label": _option_label(policy, judgement.category)},
        "company_at_fault": judgement.company_at_fault,
        "note": judgement.note,
        "consequence": (judgement.consequence.get("zh") if _lang().startswith("zh") else
                        judgement.consequence.get("en")) if judgement.consequence else "",
        "staff_pays": judgement.staff_pays,
        "compensation": judgement.compensation,
        "currency": judgement.currency,
        "judged_by": judgement.judged_by.display_name(),
        "judged_at": judgement.judged_at,
        "appeal_deadline": judgement.appeal_deadline,
        "appeal_deadline_provisional": judgement.appeal_deadline_provisional,
        "appeal_state": judgement.appeal_state,
        "appeal_state_label": str(judgement.get_appeal_state_display()),
        "revised_at": judgement.revised_at,
        "text": result_text(rule, judgement.result(), _lang()) if rule else "",
        "can_appeal": appeal is None and judgement.staff_id == user.pk and now <= judgement.appeal_deadline,
        "appeal": None,
    }
    if appeal is not None:
        answers = list(appeal.answers.select_related("by"))
        view["appeal"] = {
            "appellant": appeal.appellant.display_name(),
            "filed_at": appeal.filed_at,
            "grounds": appeal.grounds,
            "original": _result_view(policy, appeal.original),
            "reviewer": appeal.reviewer.display_name() if appeal.reviewer else None,
            "reviewed_at": appeal.reviewed_at,
            "review_decision": appeal.review_decision,
            "review_result": _result_view(policy, appeal.review_result) if appeal.review_result else None,
            "review_note": appeal.review_note,
            "second_review_due_at": appeal.second_review_due_at,
            "second_review_overdue": (judgement.appeal_state == Judgement.AppealState.SECOND_REVIEW
                                      and appeal.second_review_due_at is not None
                                      and appeal.second_review_due_at <= now),
            "answers": [{"role": a.role, "role_label": role_label(policy, a.role), "by": a.by.display_name(),
                         "at": a.at, "decision": a.decision, "result": _result_view(policy, a.result),
                         "note": a.note} for a in answers],
            "pending_roles": [r.value for r in (rule.second_review_roles if rule else [])
                              if r.value not in {a.role for a in answers}]
            if judgement.appeal_state == Judgement.AppealState.SECOND_REVIEW else [],
            "answered_at": appeal.answered_at,
            "final": _result_view(policy, appeal.final) if appeal.final else None,
            "changed": appeal.changed,
        }
        # the roles still to answer, as the organisation calls them on the page (客服部门经理, not cs_head)
        view["appeal"]["pending_role_labels"] = [role_label(policy, code) for code in view["appeal"]["pending_roles"]]
    return view


def _result_view(policy: Policy, result: dict[str, Any]) -> dict[str, Any]:
    rule = policy.judgement
    return {
        "validity": result.get("validity", ""),
        "category": {"code": result.get("category", ""), "label": _option_label(policy, str(result.get("category")))},
        "company_at_fault": bool(result.get("company_at_fault")),
        "text": result_text(rule, result, _lang()) if rule else "",
    }


def judgement_statistics(*, user: Any = None, since: datetime | None = None,
                         until: datetime | None = None) -> list[dict[str, Any]]:
    """Valid judgements count against the staff member: counts per staff member and category
    (judged in [since, until)), most first; with ``user`` only the complaints of the user's units."""
    qs = Judgement.objects.filter(validity=Judgement.Validity.VALID)
    if user is not None:
        qs = qs.filter(scope_q(user, "complaint__unit"))
    if since is not None:
        qs = qs.filter(judged_at__gte=since)
    if until is not None:
        qs = qs.filter(judged_at__lt=until)
    rows = (qs.values("staff_id", "staff__username", "staff__first_name", "staff__last_name", "category")
            .annotate(count=Count("id")).order_by("-count", "staff__username", "category"))
    _version, policy = active_policy()
    return [{"staff": row["staff__username"],
             "staff_name": f"{row['staff__first_name']} {row['staff__last_name']}".strip() or row["staff__username"],
             "category": {"code": row["category"], "label": _option_label(policy, row["category"])},
             "count": row["count"]} for row in rows]


def satisfaction_of(complaints: list[Any]) -> list[dict[str, Any]]:
    """The answered return visits of these complaints (the customer page), the latest first."""
    visits = (ReturnVisit.objects.filter(complaint__in=complaints, state=ReturnVisit.State.DONE)
              .exclude(result="").select_related("complaint__policy_version", "completed_by")
              .order_by("-completed_at", "-id"))
    return [visit_view(visit) for visit in visits]
