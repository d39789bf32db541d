"""Return visits: due when a complaint is resolved, assigned by the team lead (or the policy),
worked call by call, and completed with the customer's satisfaction, "callback failed" or "no
return visit needed" — each outcome leading where the policy says (close, reopen, the
difficult-customer path, back to the dealer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.models import Complaint, ContactAttempt
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.services.actions import complaint_close, complaint_reopen
from complaintdesk.complaints.services.lifecycle import Transition
from complaintdesk.complaints.services.work import contact_write, unreachable_sms_send, work_order_dispatch_system
from complaintdesk.core.audit import audit
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.errors import Conflict, NotFound, PermissionDenied, Problems, ValidationFailed
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record, record_entry
from complaintdesk.followup.models import ReturnVisit, ReturnVisitCall
from complaintdesk.followup.selectors import call_progress
from complaintdesk.followup.services.common import (
    least_loaded_visitor,
    may_assign,
    may_work,
    visit_clock_codes,
    visit_rule,
)
from complaintdesk.notify.notices import local_moment, notice_send
from complaintdesk.policy import rules
from complaintdesk.policy.rules.followup import CallProgress
from complaintdesk.policy.schema import ActionKind, ClockEvent, Policy, SatisfactionOutcome, ScalePoint
from complaintdesk.policy.schema import ReturnVisit as VisitRule

S = Complaint.Status
CALL_OUTCOMES = tuple(ContactAttempt.Outcome.values)
CALLBACK_FAILED = ReturnVisit.Result.CALLBACK_FAILED.value
NO_VISIT_NEEDED = ReturnVisit.Result.NO_VISIT_NEEDED.value
OUTCOMES = (*CALL_OUTCOMES, CALLBACK_FAILED, NO_VISIT_NEEDED)


# --- the callback-failed rule (the rule itself: policy/rules/followup.py) -------------------------


def callback_failed_refusal(progress: CallProgress) -> str:
    return _("“Callback failed” can be chosen only after %(calls)d call(s) on %(days)d different day(s); so far "
             "%(made)d call(s) on %(on)d day(s) — %(more_calls)d more call(s) on %(more_days)d more day(s) needed.") % {
        "calls": progress.required_calls, "days": progress.required_days, "made": progress.calls,
        "on": progress.days, "more_calls": progress.calls_needed, "more_days": progress.days_needed}


# --- opening, assigning, cancelling --------------------------------------------------------------


def _due(complaint: Complaint, policy: Policy, rule: VisitRule, now: datetime) -> tuple[datetime, bool]:
    """The due time of the policy's return-visit clock just started, or the rule's own time."""
    clock = (Clock.objects.filter(complaint=complaint, code__in=visit_clock_codes(policy), status=Clock.Status.RUNNING)
             .order_by("-started_at", "due_at").first())
    if clock is not None:
        return clock.due_at, clock.provisional
    deadline = add_duration(policy, now, rule.due)
    return deadline.due_at, deadline.provisional


def return_visit_open(*, actor: Any, complaint: Complaint, policy: Policy, rule: VisitRule, now: datetime,
                      previous: ReturnVisit | None = None) -> ReturnVisit:
    due_at, provisional = _due(complaint, policy, rule, now)
    last = complaint.return_visits.order_by("-cycle").values_list("cycle", flat=True).first()
    visit = ReturnVisit(complaint=complaint, cycle=(last or 0) + 1, opened_at=now, due_at=due_at,
                        due_provisional=provisional, previous=previous)
    if rule.assign == "auto":
        visitor = least_loaded_visitor(rule.visitor, at=complaint)
        if visitor is not None:
            visit.assigned_to = visitor
            visit.assigned_at = now
    visit.save()
    record(actor=actor, action="return_visit.open", obj=visit, complaint=complaint,
           after={"cycle": visit.cycle, "due_at": due_at, "assigned_to": visit.assigned_to.username
                  if visit.assigned_to else None, "previous": previous.pk if previous else None},
           timeline=on_timeline("return_visit_due", cycle=visit.cycle, due=due_at.isoformat(),
                                assigned_to=visit.assigned_to.display_name() if visit.assigned_to else "",
                                after_dealer=previous is not None), at=now)
    due_text = local_moment(due_at, policy.timezone)
    if visit.assigned_to is not None:
        notice_send(users=[visit.assigned_to], complaint=complaint,
                    kind="dealer_answered" if previous else "return_visit_assigned", due=due_text)
    else:
        notice_send(users=role_holders(rule.assigner, at=complaint), complaint=complaint,
                    kind="dealer_answered" if previous else "return_visit_due", due=due_text)
    return visit


def _cancel_open(complaint: Complaint, *, actor: Any, now: datetime, why: str) -> int:
    count = 0
    for visit in ReturnVisit.objects.select_for_update().filter(complaint=complaint, state=ReturnVisit.State.OPEN):
        visit.state = ReturnVisit.State.CANCELLED
        visit.completed_at = now
        visit.save(update_fields=["state", "completed_at"])
        record(actor=actor, action="return_visit.cancel", obj=visit, complaint=complaint,
               before={"state": ReturnVisit.State.OPEN}, after={"state": visit.state, "why": why},
               timeline=on_timeline("return_visit_cancelled", cycle=visit.cycle, why=why), at=now)
        count += 1
    return count


def on_resolved(complaint: Complaint, policy: Policy, change: Transition) -> None:
    """lifecycle.after("resolve"): the return visit falls due."""
    if policy.return_visit is None:
        return
    _cancel_open(complaint, actor=change.actor, now=change.at, why="resolved")
    return_visit_open(actor=change.actor, complaint=complaint, policy=policy, rule=policy.return_visit, now=change.at)


def on_reopened(complaint: Complaint, policy: Policy, change: Transition) -> None:
    """lifecycle.after("reopen") and ("withdraw"): an open return visit no longer applies."""
    _cancel_open(complaint, actor=change.actor, now=change.at, why=complaint.status)


def guard_close(complaint: Complaint, policy: Policy, change: Transition, problems: Problems) -> None:
    """lifecycle.guard("close"): where every customer gets a return visit, a resolved complaint
    closes only after a completed one (satisfaction, callback failed or no visit needed). An
    unresolved complaint the policy closes (the customer stayed unreachable) had no visit to make."""
    rule = policy.return_visit
    if rule is None or rule.coverage != "all" or complaint.status != S.RESOLVED:
        return
    latest = (ReturnVisit.objects.filter(complaint=complaint).exclude(state=ReturnVisit.State.CANCELLED)
              .select_related("work_order").order_by("-cycle").first())
    if latest is None:
        problems.add("return_visit", gettext_lazy(
            "Every customer gets a return visit: record the customer's satisfaction, “callback failed” or “no return "
            "visit needed” before closing."))
    elif latest.state == ReturnVisit.State.OPEN:
        problems.add("return_visit", gettext_lazy(
            "The return visit is not done yet: record the customer's satisfaction, “callback failed” or “no return "
            "visit needed” before closing."))
    elif latest.outcome == SatisfactionOutcome.DEALER:
        problems.add("return_visit", gettext_lazy(
            "The unsatisfied customer's case is with the dealer (work order %(order)s); the return visit is made again "
            "when the dealer answers.") % {"order": latest.work_order.number if latest.work_order else "-"})


@transaction.atomic
def return_visit_assign(*, actor: Any, visit_id: int, to: str, now: datetime | None = None) -> ReturnVisit:
    """The team lead gives the return visit to an agent of the policy's visitor role."""
    now = now or timezone.now()
    visit = _locked_visit(actor, visit_id)
    complaint = visit.complaint
    policy = policy_of(complaint.policy_version)
    rule = visit_rule(policy)
    if not may_assign(actor, rule, at=complaint):
        raise PermissionDenied(gettext_lazy("Only the team lead assigns return visits."))
    if not visit.is_open:
        raise Conflict(gettext_lazy("This return visit is already %(state)s.") % {"state": visit.get_state_display()})
    problems = Problems()
    target = User.objects.filter(username=to, is_active=True).first() if to else None
    if target is None:
        problems.add("to", gettext_lazy("Choose the agent who makes the return visit."))
    elif not has_role(target, rule.visitor, at=complaint):
        problems.add("to", gettext_lazy("%(name)s does not make return visits under this policy.")
                     % {"name": target.display_name()})
    problems.raise_if_any()
    target = cast(User, target)
    before = visit.assigned_to.username if visit.assigned_to else None
    visit.assigned_to = target
    visit.assigned_by = actor
    visit.assigned_at = now
    visit.save(update_fields=["assigned_to", "assigned_by", "assigned_at"])
    record(actor=actor, action="return_visit.assign", obj=visit, complaint=complaint, before={"assigned_to": before},
           after={"assigned_to": target.username},
           timeline=on_timeline("return_visit_assigned", cycle=visit.cycle, to=target.display_name()), at=now)
    notice_send(users=[target], complaint=complaint, kind="return_visit_assigned",
                due=local_moment(visit.due_at, policy.timezone))
    return visit


def _locked_visit(actor: Any, visit_id: int) -> ReturnVisit:
    number = ReturnVisit.objects.filter(pk=visit_id).values_list("complaint__number", flat=True).first()
    if number is None:
        raise NotFound(gettext_lazy("There is no return visit %(id)s.") % {"id": visit_id})
    access_complaint(actor, number, for_update=True)
    return ReturnVisit.objects.select_for_update(of=("self",)).select_related(
        "complaint", "complaint__policy_version", "complaint__customer", "complaint__owner", "assigned_to").get(
        pk=visit_id)


def open_visit(complaint: Complaint, *, for_update: bool = False) -> ReturnVisit | None:
    qs = ReturnVisit.objects.filter(complaint=complaint, state=ReturnVisit.State.OPEN).select_related("assigned_to")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    return qs.order_by("-cycle").first()


def _no_open_visit(complaint: Complaint) -> Conflict:
    latest = complaint.return_visits.order_by("-cycle").first()
    if latest is not None and latest.outcome == SatisfactionOutcome.DEALER and latest.state == ReturnVisit.State.DONE:
        return Conflict(gettext_lazy("The customer's case is with the dealer; the return visit is made again when the "
                                     "dealer answers."))
    return Conflict(gettext_lazy("No return visit is due for complaint %(number)s.") % {"number": complaint.number})


# --- recording calls and the result ---------------------------------------------------------------


@dataclass
class VisitInput:
    """One step of a return visit: a call (with its time and outcome, and the satisfaction when the
    customer was reached), or the result "callback failed" / "no return visit needed"."""

    outcome: str = ""
    at: str = ""
    satisfaction: str = ""
    reason: str = ""
    note: str = ""


def check_satisfaction(policy: Policy, rule: VisitRule, complaint: Complaint, code: str, reason: str,
                       problems: Problems, *, survey: bool = False) -> ScalePoint | None:
    """The scale point exists, carries its reason when the policy requires one, and its outcome is
    possible for this complaint."""
    language = translation.get_language() or "en"
    points = [p for p in rule.scale if not (survey and p.outcome == SatisfactionOutcome.DIFFICULT)]
    point = next((p for p in points if p.code == code), None)
    if point is None and code.isdigit():
        # a 1–5 (or 1–3) answer given by its score, where the score names one point
        scored = [p for p in points if p.score == int(code)]
        point = scored[0] if len(scored) == 1 else None
    if point is None:
        problems.add("satisfaction", gettext_lazy("Choose the customer's satisfaction: %(all)s.")
                     % {"all": ", ".join(f"{p.code} ({p.label.get(language)})" for p in points)})
        return None
    if point.reason_required and not reason.strip():
        message = (gettext_lazy("Please tell us why you chose “%(point)s”.") if survey
                   else gettext_lazy("Record the customer's reason for “%(point)s”."))
        problems.add("reason", message % {"point": point.label.get(language)})
    if point.outcome == SatisfactionOutcome.DIFFICULT:
        try:
            about_staff = policy.category(complaint.category).about_staff
        except KeyError:
            about_staff = False
        if not about_staff:
            problems.add("satisfaction", gettext_lazy(
                "The difficult-customer path is only for disputes purely about staff service; this complaint is not "
                "about a member of staff."))
    return point


@transaction.atomic
def return_visit_record(*, actor: Any, number: str, data: VisitInput, now: datetime | None = None) -> ReturnVisit:
    """One call of the return visit (time and outcome, with the satisfaction when the customer was
    reached), or its result "callback failed" (only after the policy's calls on that many days) or
    "no return visit needed" (with the reason)."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    policy = policy_of(complaint.policy_version)
    rule = visit_rule(policy)
    visit = open_visit(complaint, for_update=True)
    if visit is None:
        raise _no_open_visit(complaint)
    if not may_work(actor, visit, rule):
        raise PermissionDenied(gettext_lazy("This return visit is assigned to %(name)s.")
                               % {"name": visit.assigned_to.display_name() if visit.assigned_to else "-"})
    tz = ZoneInfo(policy.timezone)
    problems = Problems()
    outcome = data.outcome.strip()
    moment = now
    point: ScalePoint | None = None
    if outcome not in OUTCOMES:
        allowed = [o for o in OUTCOMES if o != NO_VISIT_NEEDED or rule.no_visit_needed]
        problems.add("outcome", gettext_lazy("Choose the outcome: %(all)s.") % {"all": ", ".join(allowed)})
    elif outcome in CALL_OUTCOMES:
        if data.at.strip():
            try:
                moment = check.not_future_moment(check.parse_datetime(data.at, tz), now, tz)
            except check.FieldInvalid as exc:
                problems.add("at", exc.message)
        if not problems.has("at") and moment < visit.opened_at:
            problems.add("at", gettext_lazy("The call cannot be before the return visit fell due (%(since)s).")
                         % {"since": rules.format_moment(visit.opened_at.astimezone(tz),
                                                         translation.get_language() or "en")})
        if data.satisfaction.strip():
            if outcome != ContactAttempt.Outcome.REACHED:
                problems.add("satisfaction",
                             gettext_lazy("Record the satisfaction only when the customer was reached."))
            else:
                point = check_satisfaction(policy, rule, complaint, data.satisfaction.strip(), data.reason, problems)
    elif outcome == CALLBACK_FAILED:
        progress = call_progress(visit, rule, tz)
        if not progress.allows_callback_failed:
            problems.add("outcome", callback_failed_refusal(progress))
    elif outcome == NO_VISIT_NEEDED:
        if not rule.no_visit_needed:
            problems.add("outcome", gettext_lazy("Under this policy every customer gets a return visit; “no return "
                                                 "visit needed” is not available."))
        elif not data.reason.strip():
            problems.add("reason", gettext_lazy("Say why no return visit is needed."))
    problems.raise_if_any()

    if visit.assigned_to_id is None:
        visit.assigned_to = actor
        visit.assigned_at = now
        visit.save(update_fields=["assigned_to", "assigned_at"])
    if outcome in CALL_OUTCOMES:
        contact = contact_write(actor=actor, complaint=complaint, outcome=outcome, note=data.note,
                                at=moment.isoformat(), purpose=ContactAttempt.Purpose.RETURN_VISIT, now=now)
        ReturnVisitCall.objects.create(visit=visit, contact=contact)
        if point is not None:
            complete(actor=actor, complaint=complaint, policy=policy, visit=visit, result=ReturnVisit.Result.ANSWERED,
                     point=point, reason=data.reason, note=data.note, channel=ReturnVisit.Channel.PHONE, now=now)
    else:
        complete(actor=actor, complaint=complaint, policy=policy, visit=visit, result=outcome, point=None,
                 reason=data.reason, note=data.note, channel=ReturnVisit.Channel.PHONE, now=now)
    visit.refresh_from_db()
    return visit


def complete(*, actor: Any, complaint: Complaint, policy: Policy, visit: ReturnVisit, result: str,
             point: ScalePoint | None, reason: str, note: str, channel: str, now: datetime) -> None:
    """Record the visit's result and take the policy's next step. Runs in the caller's transaction."""
    visit.state = ReturnVisit.State.DONE
    visit.result = result
    visit.channel = channel
    visit.satisfaction = point.code if point else ""
    visit.score = point.score if point else None
    visit.outcome = point.outcome.value if point else SatisfactionOutcome.CLOSE.value
    visit.reason = reason.strip()
    visit.note = note.strip()
    visit.completed_at = now
    visit.completed_by = actor if actor is not None and getattr(actor, "pk", None) else None
    visit.save()
    record(actor=actor, action="return_visit.complete", obj=visit, complaint=complaint,
           before={"state": ReturnVisit.State.OPEN},
           after={"state": visit.state, "result": result, "satisfaction": visit.satisfaction, "score": visit.score,
                  "outcome": visit.outcome, "reason": visit.reason, "channel": channel},
           timeline=on_timeline("return_visit_result", cycle=visit.cycle, result=result,
                                satisfaction=visit.satisfaction, outcome=visit.outcome, reason=visit.reason,
                                channel=channel, note=visit.note), at=now)
    clock_event(complaint=complaint, event=ClockEvent.RETURN_VISIT_DONE, at=now)
    complaint.refresh_from_db()
    if result == CALLBACK_FAILED:
        _callback_failed(actor, complaint, policy, now)
    elif point is None or point.outcome == SatisfactionOutcome.CLOSE:
        _close(complaint, policy, reason=result if point is None else "return_visit", now=now)
    elif point.outcome == SatisfactionOutcome.REOPEN:
        _reopen(complaint, policy, words=visit.reason or point.label.get(complaint.language), now=now)
    elif point.outcome == SatisfactionOutcome.DIFFICULT:
        _difficult(complaint, policy, visit, now=now)
    else:
        _to_dealer(complaint, policy, visit, now=now)


def _close(complaint: Complaint, policy: Policy, *, reason: str, now: datetime) -> bool:
    """Close a resolved complaint unless another condition of closing (another app's guard) refuses;
    under a policy whose closing is confirmed (``close_by``), ask those who confirm it instead."""
    if complaint.status != S.RESOLVED:
        return False
    if policy.close_by:
        record_entry(complaint, on_timeline("closing_to_confirm", roles=[role.value for role in policy.close_by]),
                     actor=None, at=now)
        notice_send(users=list(role_holders(*policy.close_by, at=complaint)), complaint=complaint,
                    kind="close_confirmation")
        return False
    try:
        complaint_close(actor=None, number=complaint.number, reason=reason, now=now)
    except ValidationFailed as refused:  # another condition of closing (another app's guard)
        record_entry(complaint, on_timeline("return_visit_close_blocked",
                                            problems=[str(item.message) for item in refused.problems]),
                     actor=None, at=now)
        notice_send(users=[complaint.owner], complaint=complaint, kind="return_visit_blocked",
                    problems=[item.message for item in refused.problems])
        return False
    complaint.refresh_from_db()
    return True


def _reopen(complaint: Complaint, policy: Policy, *, words: str, now: datetime) -> None:
    if complaint.status not in {S.RESOLVED, S.CLOSED}:
        return
    complaint_reopen(actor=None, number=complaint.number, note=words, now=now)
    complaint.refresh_from_db()
    notice_send(users=[complaint.owner], complaint=complaint, kind="return_visit_reopened", words=words)


def _request_text(policy: Policy, template: str, complaint: Complaint, visit: ReturnVisit) -> str:
    """A work order's request in the organisation's language."""
    with translation.override(policy.language):
        point = rules.scale_point(visit_rule(policy), visit.satisfaction)
        return template % {"number": complaint.number,
                           "point": point.label.get(policy.language) if point else visit.satisfaction,
                           "words": visit.reason or "-"}


def _difficult(complaint: Complaint, policy: Policy, visit: ReturnVisit, *, now: datetime) -> None:
    """Second handling as a "difficult customer": reopened, flagged, and a work order to the
    policy's difficult-customer team."""
    rule = visit_rule(policy)
    _reopen(complaint, policy, words=visit.reason, now=now)
    if rule.difficult_flag and rule.difficult_flag not in complaint.flags:
        complaint.refresh_from_db()
        before = list(complaint.flags)
        complaint.flags = [*before, rule.difficult_flag]
        complaint.version += 1
        complaint.updated_at = now
        complaint.save(update_fields=["flags", "version", "updated_at"])
        audit(actor=None, action="complaint.flag", obj=complaint, complaint_number=complaint.number,
              before={"flags": before}, after={"flags": complaint.flags, "why": "return_visit_difficult"})
    if rule.difficult_department:
        with translation.override(policy.language):
            template = _("Difficult customer, second handling (complaint %(number)s). Return visit: %(point)s. "
                         "The customer said: %(words)s")
        order = work_order_dispatch_system(complaint=complaint, department=rule.difficult_department,
                                           request=_request_text(policy, template, complaint, visit), now=now)
        visit.work_order = order
        visit.save(update_fields=["work_order"])


def _to_dealer(complaint: Complaint, policy: Policy, visit: ReturnVisit, *, now: datetime) -> None:
    """The unsatisfied customer goes back to the dealer as a work order; the dealer's answer
    brings the return visit back to customer service."""
    rule = visit_rule(policy)
    if rule.dealer_department is None:
        raise Conflict(gettext_lazy("The policy names no dealer department for unsatisfied customers."))
    with translation.override(policy.language):
        template = _("Return visit of complaint %(number)s: %(point)s. The customer said: %(words)s. Contact the "
                     "customer, settle it to the customer's satisfaction and report the result to customer service.")
    order = work_order_dispatch_system(complaint=complaint, department=rule.dealer_department,
                                       request=_request_text(policy, template, complaint, visit), now=now)
    visit.work_order = order
    visit.save(update_fields=["work_order"])


def _callback_failed(actor: Any, complaint: Complaint, policy: Policy, now: datetime) -> None:
    """Where the policy has an unreachable-customer path whose clock closes the complaint (SMS, then
    close without contact), send its SMS; otherwise close now."""
    path = policy.unreachable
    template = policy.messages.unreachable_sms
    closes_later = any(clock.starts == ClockEvent.UNREACHABLE_SMS_SENT
                       and any(action.do == ActionKind.CLOSE for action in clock.on_breach) for clock in policy.clocks)
    phone = complaint.customer.phone
    if path is None or template is None or not closes_later or not phone or complaint.status != S.RESOLVED:
        _close(complaint, policy, reason=CALLBACK_FAILED, now=now)
        return
    unreachable_sms_send(actor=actor, complaint=complaint, policy=policy, now=now, why={"via": "return_visit"})
