"""Judging complaints about staff (valid or invalid, the category, the company's responsibility,
the staff member concerned, the policy's consequence) and the staff member's appeal: the
supervisor's review and, when it differs, the second reviewers' answers. The final result
replaces the judgement; the original and every step stay on the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.errors import (
    Conflict,
    FieldProblem,
    NotFound,
    PermissionDenied,
    Problems,
)
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.followup.display import result_text
from complaintdesk.followup.models import Appeal, AppealAnswer, Judgement
from complaintdesk.followup.services.common import judgement_rule
from complaintdesk.notify.notices import local_moment, notice_send
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent, Policy
from complaintdesk.policy.schema import Judgement as JudgementRule
from complaintdesk.units.scope import reaches, scope_q

V = Judgement.Validity


@dataclass
class ResultInput:
    """A judgement's result: validity, the policy's category for it, the company's responsibility."""

    validity: str = ""
    category: str = ""
    company_at_fault: bool | None = None


@dataclass
class JudgementInput(ResultInput):
    staff: str = ""  # username of the staff member concerned
    responsibility: str = ""  # instead of company_at_fault: company / no_fault or a policy responsibility code
    note: str = ""
    compensation: str = ""  # borne by the staff member where the policy says so


def check_result(rule: JudgementRule, data: ResultInput, problems: Problems) -> dict[str, Any]:
    language = translation.get_language() or "en"
    if not data.validity:
        # the category names the validity: the policy's valid and invalid codes never overlap
        if data.category in {option.code for option in rule.valid}:
            data.validity = V.VALID
        elif data.category in {option.code for option in rule.invalid}:
            data.validity = V.INVALID
    if not data.validity and data.category:
        problems.add("category", _("%(code)s is not a judgement category of the policy; one of: %(all)s.") % {
            "code": data.category, "all": ", ".join(f"{o.code} ({o.label.get(language)})"
                                                    for o in (*rule.valid, *rule.invalid))})
    elif data.validity not in V.values:
        problems.add("validity", _("Judge the complaint valid or invalid."))
    else:
        options = rule.valid if data.validity == V.VALID else rule.invalid
        if data.category not in {option.code for option in options}:
            kind = _("valid") if data.validity == V.VALID else _("invalid")
            problems.add("category", _("%(code)s is not a category of %(kind)s complaints in the policy; one of: "
                                       "%(all)s.") % {"code": data.category or "—", "kind": kind, "all": ", ".join(
                                           f"{o.code} ({o.label.get(language)})" for o in options)})
    if data.company_at_fault is None and not problems.has("responsibility"):
        problems.add("company_at_fault", _("Say whether the company is at fault."))
    return {"validity": data.validity, "category": data.category, "company_at_fault": bool(data.company_at_fault)}


def _at_fault(policy: Policy, code: str, problems: Problems) -> bool | None:
    """The company's responsibility given by name: company (at fault) or no_fault, or a code of the
    policy's responsibility list."""
    known = {item.code: item.company_at_fault for item in policy.responsibility}
    if code in known:
        return known[code]
    words = {"company": True, "company_at_fault": True, "at_fault": True, "no_fault": False,
             "not_at_fault": False, "company_not_at_fault": False}
    if code in words:
        return words[code]
    problems.add("responsibility", _("Give the responsibility as company or no_fault%(codes)s.") % {
        "codes": "".join(f", {c}" for c in known)})
    return None


def _consequence(rule: JudgementRule, result: dict[str, Any]) -> tuple[dict[str, str], bool]:
    """The consequence text to store and whether the staff member pays (policy/rules/followup.py)."""
    text = rules.judgement_consequence(rule, str(result["category"]))
    pays = rules.staff_pays(rule, validity=str(result["validity"]), category=str(result["category"]))
    return (text.model_dump() if text else {}), pays


def _snapshot(judgement: Judgement) -> dict[str, Any]:
    return {**judgement.result(), "staff": judgement.staff.username, "staff_pays": judgement.staff_pays,
            "compensation": str(judgement.compensation) if judgement.compensation is not None else None,
            "consequence": judgement.consequence, "note": judgement.note}


@transaction.atomic
def judgement_record(*, actor: Any, number: str, data: JudgementInput, now: datetime | None = None) -> Judgement:
    """Judge a complaint about a member of staff. Before any appeal the judgement may be revised."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    policy = policy_of(complaint.policy_version)
    rule = judgement_rule(policy)
    if not has_role(actor, *rule.judge_roles, at=complaint):
        raise PermissionDenied(_("Only %(roles)s judge complaints about staff.")
                               % {"roles": ", ".join(role.value for role in rule.judge_roles)})
    try:
        about_staff = policy.category(complaint.category).about_staff
    except KeyError:
        about_staff = False
    if not about_staff:
        raise Conflict(_("Only complaints about a member of staff are judged; this complaint's category is not."))
    if complaint.status in {Complaint.Status.REJECTED, Complaint.Status.WITHDRAWN}:
        raise Conflict(_("A %(status)s complaint is not judged.") % {"status": complaint.get_status_display()})
    existing = Judgement.objects.select_for_update().filter(complaint=complaint).first()
    if existing is not None and existing.appeal_state:
        raise Conflict(_("The staff member has appealed; the appeal decides the judgement now."))
    problems = Problems()
    if data.company_at_fault is None and data.responsibility.strip():
        data.company_at_fault = _at_fault(policy, data.responsibility.strip(), problems)
    result = check_result(rule, data, problems)
    staff = User.objects.filter(username=data.staff.strip(), is_active=True).first() if data.staff.strip() else None
    if staff is None:
        problems.add("staff", _("Name the member of staff the complaint is about."))
    elif staff.pk == actor.pk:
        problems.add("staff", _("You cannot judge a complaint about yourself."))
    elif not reaches(staff, complaint):
        problems.add("staff", _("%(name)s does not work in the unit that received this complaint.")
                     % {"name": staff.display_name()})
    compensation: Decimal | None = None
    if data.compensation.strip():
        try:
            compensation = check.amount(data.compensation)
        except check.FieldInvalid as exc:
            problems.add("compensation", exc.message)
        else:
            if not rules.staff_pays(rule, validity=str(result["validity"]), category=str(result["category"])):
                problems.add("compensation", _("Only %(codes)s judgements make the staff member bear the "
                                               "compensation.") % {"codes": ", ".join(rule.staff_pays) or "—"})
    problems.raise_if_any()
    staff = cast(User, staff)
    consequence, staff_pays = _consequence(rule, result)
    deadline = add_duration(policy, now, rule.appeal_within)
    before = _snapshot(existing) if existing is not None else {}
    judgement = existing or Judgement(complaint=complaint)
    judgement.staff = staff
    judgement.validity = result["validity"]
    judgement.category = result["category"]
    judgement.company_at_fault = result["company_at_fault"]
    judgement.note = data.note.strip()
    judgement.consequence = consequence
    judgement.staff_pays = staff_pays
    judgement.compensation = compensation if staff_pays else None
    judgement.currency = policy.currency if compensation is not None else ""
    judgement.judged_by = actor
    judgement.judged_at = now
    judgement.appeal_deadline = deadline.due_at
    judgement.appeal_deadline_provisional = deadline.provisional
    judgement.version = (existing.version + 1) if existing is not None else 1
    judgement.save()
    record(actor=actor, action="judgement.revise" if existing else "judgement.record", obj=judgement,
           complaint=complaint, before=before, after=_snapshot(judgement),
           timeline=on_timeline("judged", staff=staff.display_name(), revised=existing is not None, **result,
                                compensation=str(judgement.compensation) if judgement.compensation is not None else "",
                                currency=judgement.currency, note=judgement.note,
                                appeal_deadline=deadline.due_at.isoformat()), at=now)
    clock_event(complaint=complaint, event=ClockEvent.JUDGED, at=now, subject=f"judgement:{judgement.pk}")
    notice_send(users=[staff], complaint=complaint, kind="judged",
                result=lambda language: result_text(rule, result, language),
                deadline=local_moment(deadline.due_at, policy.timezone))
    return judgement


def _locked(actor: Any, judgement_id: int) -> Judgement:
    """The judgement, locked, if it is about a complaint of the actor's units or about the actor;
    any other answers as one that does not exist."""
    judgement = (Judgement.objects.filter(scope_q(actor, "complaint__unit") | Q(staff=actor))
                 .select_for_update(of=("self",))
                 .select_related("complaint", "complaint__policy_version", "staff", "judged_by")
                 .filter(pk=judgement_id).first())
    if judgement is None:
        raise NotFound(_("There is no judgement %(id)s.") % {"id": judgement_id})
    return judgement


@transaction.atomic
def appeal_file(*, actor: Any, judgement_id: int, grounds: str, now: datetime | None = None) -> Judgement:
    """The judged staff member appeals, within the policy's time after the judgement."""
    now = now or timezone.now()
    judgement = _locked(actor, judgement_id)
    complaint = judgement.complaint
    policy = policy_of(complaint.policy_version)
    rule = judgement_rule(policy)
    if actor.pk != judgement.staff_id:
        message = _("Only the member of staff judged (%(name)s) may appeal.") % {"name": judgement.staff.display_name()}
        raise PermissionDenied(message, problems=[FieldProblem("appellant", message)])
    if Appeal.objects.filter(judgement=judgement).exists():
        raise Conflict(_("This judgement has already been appealed."))
    problems = Problems()
    if now >= judgement.appeal_deadline:
        tz = ZoneInfo(policy.timezone)
        problems.add("appeal_deadline", _("The appeal period ended at %(deadline)s (%(within)s after the judgement); "
                                          "appeals are no longer accepted.") % {
            "deadline": rules.format_moment(judgement.appeal_deadline.astimezone(tz),
                                            translation.get_language() or "en"),
            "within": str(rule.appeal_within)})
    if not grounds.strip():
        problems.add("grounds", _("Say why you disagree with the judgement."))
    problems.raise_if_any()
    appeal = Appeal.objects.create(judgement=judgement, appellant=actor, filed_at=now, grounds=grounds.strip(),
                                   original=_snapshot(judgement))
    judgement.appeal_state = Judgement.AppealState.FILED
    judgement.save(update_fields=["appeal_state"])
    record(actor=actor, action="judgement.appeal", obj=appeal, complaint=complaint,
           after={"judgement": judgement.pk, "grounds": appeal.grounds},
           timeline=on_timeline("appeal_filed", staff=actor.display_name(), grounds=appeal.grounds), at=now)
    clock_event(complaint=complaint, event=ClockEvent.APPEAL_FILED, at=now, subject=f"judgement:{judgement.pk}")
    reviewers = [u for u in role_holders(rule.review_role, at=complaint) if u.pk != actor.pk]
    notice_send(users=reviewers, complaint=complaint, kind="appeal_filed", name=actor.display_name())
    return judgement


def _decision(rule: JudgementRule, decision: str, data: ResultInput, original: dict[str, Any],
              problems: Problems) -> dict[str, Any]:
    """The result a reviewer stands for: the original (upheld) or the one given (changed)."""
    if decision not in Appeal.Decision.values:
        problems.add("decision", _("Decide: the judgement is upheld, or it changes."))
        return {}
    if decision == Appeal.Decision.UPHELD:
        return {key: original[key] for key in ("validity", "category", "company_at_fault")}
    result = check_result(rule, data, problems)
    if not problems and result == {key: original[key] for key in ("validity", "category", "company_at_fault")}:
        problems.add("decision", _("This is the judgement as it stands; choose “upheld”."))
    return result


@transaction.atomic
def appeal_review(*, actor: Any, judgement_id: int, decision: str, result: ResultInput | None = None,
                  note: str = "", now: datetime | None = None) -> Judgement:
    """The supervisor re-checks the judgement. Upheld: the appeal ends. Changed: the department
    manager and the branch contact answer (the policy's second reviewers), or it is final."""
    now = now or timezone.now()
    judgement = _locked(actor, judgement_id)
    complaint = judgement.complaint
    policy = policy_of(complaint.policy_version)
    rule = judgement_rule(policy)
    appeal = Appeal.objects.select_for_update().filter(judgement=judgement).first()
    if appeal is None or judgement.appeal_state != Judgement.AppealState.FILED:
        raise Conflict(_("There is no appeal awaiting review on this judgement."))
    if not has_role(actor, rule.review_role, at=complaint) or actor.pk == appeal.appellant_id:
        raise PermissionDenied(_("The %(role)s reviews appeals.") % {"role": rule.review_role.value})
    problems = Problems()
    outcome = _decision(rule, decision, result or ResultInput(), appeal.original, problems)
    if decision == Appeal.Decision.CHANGED and not note.strip():
        problems.add("note", _("Say why the judgement should change."))
    problems.raise_if_any()
    appeal.reviewer = actor
    appeal.reviewed_at = now
    appeal.review_decision = decision
    appeal.review_result = outcome
    appeal.review_note = note.strip()
    subject = f"judgement:{judgement.pk}"
    reviewed = on_timeline("appeal_reviewed", decision=decision, note=appeal.review_note, **outcome)
    clock_event(complaint=complaint, event=ClockEvent.APPEAL_REVIEWED, at=now, subject=subject)
    if decision == Appeal.Decision.CHANGED and rule.second_review_roles:
        clock = (Clock.objects.filter(complaint=complaint, subject=subject, status=Clock.Status.RUNNING)
                 .order_by("-started_at").first())
        if clock is not None:
            appeal.second_review_due_at, appeal.second_review_provisional = clock.due_at, clock.provisional
        else:
            deadline = add_duration(policy, now, rule.second_review_within)
            appeal.second_review_due_at, appeal.second_review_provisional = deadline.due_at, deadline.provisional
        appeal.save()
        judgement.appeal_state = Judgement.AppealState.SECOND_REVIEW
        judgement.save(update_fields=["appeal_state"])
        record(actor=actor, action="judgement.appeal_review", obj=appeal, complaint=complaint,
               after={"decision": decision, "result": outcome, "note": appeal.review_note,
                      "second_review_due_at": appeal.second_review_due_at}, timeline=reviewed, at=now)
        notice_send(users=role_holders(*rule.second_review_roles, at=complaint), complaint=complaint,
                    kind="appeal_second_review", due=local_moment(appeal.second_review_due_at, policy.timezone))
    else:
        appeal.save()
        record(actor=actor, action="judgement.appeal_review", obj=appeal, complaint=complaint,
               after={"decision": decision, "result": outcome, "note": appeal.review_note}, timeline=reviewed, at=now)
        _finalise(actor, judgement, appeal, policy, rule, outcome, now)
    return judgement


@transaction.atomic
def appeal_answer(*, actor: Any, judgement_id: int, decision: str, result: ResultInput | None = None,
                  note: str = "", now: datetime | None = None) -> Judgement:
    """A second reviewer (one per role of the policy's second_review_roles) answers. When every
    role has answered, the final result replaces the judgement: the result they agree on, or, if
    they differ, the answer of the first role listed."""
    now = now or timezone.now()
    judgement = _locked(actor, judgement_id)
    complaint = judgement.complaint
    policy = policy_of(complaint.policy_version)
    rule = judgement_rule(policy)
    appeal = Appeal.objects.select_for_update().filter(judgement=judgement).first()
    if appeal is None or judgement.appeal_state != Judgement.AppealState.SECOND_REVIEW:
        raise Conflict(_("There is no appeal awaiting a second review on this judgement."))
    answered = set(appeal.answers.values_list("role", flat=True))
    mine = [role for role in rule.second_review_roles if has_role(actor, role, at=complaint)]
    role = next((r for r in mine if r.value not in answered), None)
    if not mine or actor.pk == appeal.appellant_id:
        raise PermissionDenied(_("The appeal's second review is answered by: %(roles)s.")
                               % {"roles": ", ".join(r.value for r in rule.second_review_roles)})
    if role is None:
        raise Conflict(_("Your role has already answered this appeal."))
    problems = Problems()
    outcome = _decision(rule, decision, result or ResultInput(), appeal.original, problems)
    problems.raise_if_any()
    answer = AppealAnswer.objects.create(appeal=appeal, role=role.value, by=actor, at=now, decision=decision,
                                         result=outcome, note=note.strip())
    record(actor=actor, action="judgement.appeal_answer", obj=answer, complaint=complaint,
           after={"role": role.value, "decision": decision, "result": outcome, "note": answer.note,
                  "late": appeal.second_review_due_at is not None and now > appeal.second_review_due_at},
           timeline=on_timeline("appeal_answer", role=role.value, decision=decision, note=answer.note, **outcome),
           at=now)
    answers = {a.role: a for a in appeal.answers.all()}
    if all(r.value in answers for r in rule.second_review_roles):
        results = [answers[r.value].result for r in rule.second_review_roles]
        casting = answers[rule.second_review_roles[0].value].result
        final = results[0] if all(r == results[0] for r in results) else casting
        _finalise(actor, judgement, appeal, policy, rule, final, now)
    return judgement


def _finalise(actor: Any, judgement: Judgement, appeal: Appeal, policy: Policy, rule: JudgementRule,
              final: dict[str, Any], now: datetime) -> None:
    complaint = judgement.complaint
    original = {key: appeal.original[key] for key in ("validity", "category", "company_at_fault")}
    changed = final != original
    appeal.final = final
    appeal.changed = changed
    appeal.answered_at = now
    appeal.save(update_fields=["final", "changed", "answered_at"])
    before = _snapshot(judgement)
    if changed:
        consequence, staff_pays = _consequence(rule, final)
        judgement.validity = final["validity"]
        judgement.category = final["category"]
        judgement.company_at_fault = final["company_at_fault"]
        judgement.consequence = consequence
        judgement.staff_pays = staff_pays
        if not staff_pays:
            judgement.compensation = None
            judgement.currency = ""
        judgement.revised_at = now
        judgement.version += 1
    judgement.appeal_state = Judgement.AppealState.ANSWERED
    judgement.save()
    record(actor=actor, action="judgement.appeal_answered", obj=judgement, complaint=complaint, before=before,
           after={**_snapshot(judgement), "changed": changed},
           timeline=on_timeline("appeal_answered", changed=changed, **final), at=now)
    clock_event(complaint=complaint, event=ClockEvent.APPEAL_ANSWERED, at=now, subject=f"judgement:{judgement.pk}")
    notice_send(users=[judgement.staff, judgement.judged_by], complaint=complaint, kind="appeal_answered",
                result=lambda language: result_text(rule, final, language))
