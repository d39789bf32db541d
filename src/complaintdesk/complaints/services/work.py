"""Work on a complaint: work orders to departments and their replies, daily progress entries with
proof, contact attempts with the customer, and the unreachable-customer path."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import Department
from complaintdesk.accounts.roles import SUPERVISING_ROLES, can, has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.models import Attachment, Complaint, ContactAttempt, ProgressEntry, WorkOrder
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.selectors.work_orders import work_order_of
from complaintdesk.complaints.services.actions import complaint_reopen
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.errors import Conflict, PermissionDenied, Problems, ValidationFailed
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.notices import local_moment, notice_send
from complaintdesk.notify.services import message_queue
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent, Policy, Role

MAX_UPLOAD = 10 * 1024 * 1024
# Work other apps do in the same transaction once a department answered a work order (e.g. a
# dealer's answer brings the return visit back): f(order, now).
REPLY_HOOKS: list[Any] = []
# the types an upload may have, recognised from its content by the filetype library
ALLOWED_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf", "image/gif", "image/webp"})


def upload_type(upload: UploadedFile) -> str | None:
    """The upload's MIME type read from its content (magic numbers), or None if it is not one of
    ALLOWED_TYPES; the name and type the browser sent are never trusted."""
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind is not None and kind.mime in ALLOWED_TYPES else None


def _require_owner(actor: Any, complaint: Complaint) -> None:
    if not can(actor, "complaint.work", at=complaint):
        raise PermissionDenied(_("Only the owner or a supervisor may do this."))


def _require_open(complaint: Complaint) -> None:
    if not complaint.is_open:
        raise Conflict(_("Complaint %(number)s is %(status)s; no further work can be recorded on it.")
                       % {"number": complaint.number, "status": complaint.get_status_display()})


def check_upload(upload: UploadedFile, field: str, problems: Problems) -> None:
    """Size and type by content (magic bytes), never by the name the browser sent."""
    if upload.size is None or upload.size > MAX_UPLOAD:
        problems.add(field, _("%(name)s is larger than 10 MB.") % {"name": upload.name})
        return
    if upload_type(upload) is None:
        problems.add(field, _("%(name)s is not a JPEG, PNG, GIF, WebP image or a PDF.") % {"name": upload.name})


def _content_type(upload: UploadedFile) -> str:
    return upload_type(upload) or "application/octet-stream"


def _store(upload: UploadedFile, *, complaint: Complaint, actor: Any, now: datetime,
           progress: ProgressEntry | None = None, work_order: WorkOrder | None = None,
           content_type: str = "") -> Attachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Attachment.objects.create(
        complaint=complaint, progress=progress, work_order=work_order, file=upload,
        name=(upload.name or "file")[:255], content_type=content_type or _content_type(upload), size=upload.size or 0,
        sha256=digest.hexdigest(), uploaded_by=actor, uploaded_at=now)


def store_upload(upload: UploadedFile, *, complaint: Complaint, actor: Any, now: datetime,
                 content_type: str = "") -> Attachment:
    """Keep a checked file on the complaint (other doors: mail, portal). ``content_type`` is for a
    file the system writes itself (the full text of a long mail); an upload's type is read from its
    content."""
    return _store(upload, complaint=complaint, actor=actor, now=now, content_type=content_type)


# --- work orders -----------------------------------------------------------------------------


@transaction.atomic
def work_order_dispatch(*, actor: Any, number: str, department: str, request: str, urgent: bool = False,
                        kind: str = WorkOrder.Kind.COMPLAINT, now: datetime | None = None) -> WorkOrder:
    """The owner sends a work order to a department of the policy, due by the department's deadline."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    _require_owner(actor, complaint)
    return dispatch(complaint=complaint, actor=actor, department=department, request=request, urgent=urgent,
                    kind=kind, now=now)


@transaction.atomic
def work_order_dispatch_system(*, complaint: Complaint, department: str, request: str, now: datetime,
                               urgent: bool = False) -> WorkOrder:
    """A work order the system sends on the owner's behalf (e.g. an unsatisfied dealer customer goes
    back to the dealer): the same rules, deadline, clock and notices as the owner's own, recorded as
    the system's act (no actor) with the owner as the work order's sender."""
    return dispatch(complaint=complaint, actor=None, department=department, request=request, urgent=urgent,
                    kind=WorkOrder.Kind.COMPLAINT, now=now)


def dispatch(*, complaint: Complaint, actor: Any | None, department: str, request: str, urgent: bool,
             kind: str, now: datetime) -> WorkOrder:
    """Write a work order of ``complaint`` (locked by the caller): the one path of the owner's and
    the system's dispatches. ``actor`` None is the system, acting for the complaint's owner."""
    _require_open(complaint)
    policy = policy_of(complaint.policy_version)
    problems = Problems()
    definition = None
    try:
        definition = policy.department(department)
    except KeyError:
        problems.add("department", _("Unknown department %(code)s; one of: %(all)s.")
                     % {"code": department, "all": ", ".join(d.code for d in policy.departments)})
    target = Department.objects.filter(code=department, active=True).first() if definition else None
    if definition is not None and target is None:
        problems.add("department", _("Department %(code)s is not set up.") % {"code": department})
    if not request.strip():
        problems.add("request", _("Say what the department is asked to do."))
    if kind not in WorkOrder.Kind.values:
        problems.add("kind", _("Unknown kind of work order."))
    problems.raise_if_any()
    if definition is None or target is None:  # reported above
        raise ValidationFailed(problems.items)
    duration = definition.urgent_due if urgent and definition.urgent_due else definition.work_order_due
    deadline = add_duration(policy, now, duration)
    sequence = complaint.work_orders.count() + 1
    order = WorkOrder.objects.create(
        complaint=complaint, number=f"{complaint.number}-W{sequence}", department=target, kind=kind, urgent=urgent,
        request=request.strip(), created_by=actor or complaint.owner, created_at=now, due_at=deadline.due_at,
        due_provisional=deadline.provisional)
    record(actor=actor, action="work_order.dispatch", obj=order, complaint=complaint,
           after={"department": department, "due_at": order.due_at, "urgent": urgent, "request": order.request},
           timeline=on_timeline("work_order_dispatched", order=order.number, department=department,
                                due=order.due_at.isoformat(), request=order.request), at=now)
    clock_event(complaint=complaint, event=ClockEvent.WORK_ORDER_DISPATCHED, at=now,
                subject=f"work_order:{order.pk}", duration=duration, urgent=urgent)
    notice_send(users=role_holders(Role.HANDLER, department=target.pk, at=complaint), complaint=complaint,
                kind="work_order", order=order.number, due=local_moment(order.due_at, policy.timezone))
    return order


@transaction.atomic
def work_order_reply(*, actor: Any, order_id: int, reply: str,
                     files: list[UploadedFile] | None = None, now: datetime | None = None) -> WorkOrder:
    """The department answers its work order."""
    now = now or timezone.now()
    order = work_order_of(actor, order_id, for_update=True)
    in_department = (actor.department_id == order.department_id
                     and has_role(actor, Role.HANDLER, at=order.complaint))
    if not (in_department or has_role(actor, *SUPERVISING_ROLES, at=order.complaint)):
        raise PermissionDenied(_("Only the department %(department)s answers this work order.")
                               % {"department": order.department.name})
    if order.status == WorkOrder.Status.CANCELLED:
        raise Conflict(_("Work order %(number)s was cancelled: its complaint is finished.") % {"number": order.number})
    if order.status != WorkOrder.Status.OPEN:
        raise Conflict(_("Work order %(number)s was already answered.") % {"number": order.number})
    problems = Problems()
    if not reply.strip():
        problems.add("reply", _("Write the department's answer."))
    for index, upload in enumerate(files or []):
        check_upload(upload, f"files[{index}]", problems)
    problems.raise_if_any()
    order.reply = reply.strip()
    order.replied_by = actor
    order.replied_at = now
    order.status = WorkOrder.Status.ANSWERED
    order.save()
    for upload in files or []:
        _store(upload, complaint=order.complaint, actor=actor, now=now, work_order=order)
    record(actor=actor, action="work_order.reply", obj=order, complaint=order.complaint,
           before={"status": WorkOrder.Status.OPEN}, after={"status": order.status, "reply": order.reply,
                                                           "late": now > order.due_at},
           timeline=on_timeline("work_order_replied", order=order.number, department=order.department.code,
                                reply=order.reply, late=now > order.due_at), at=now)
    clock_event(complaint=order.complaint, event=ClockEvent.WORK_ORDER_REPLIED, at=now,
                subject=f"work_order:{order.pk}")
    notice_send(users=[order.complaint.owner], complaint=order.complaint, kind="work_order_reply",
                 order=order.number, department=order.department.name)
    for hook in REPLY_HOOKS:
        hook(order, now)
    return order


@transaction.atomic
def work_order_follow_up(*, actor: Any, order_id: int, note: str, now: datetime | None = None) -> WorkOrder:
    """The owner's follow-up on an answered work order."""
    now = now or timezone.now()
    order = work_order_of(actor, order_id, for_update=True)
    _require_owner(actor, order.complaint)
    if order.status != WorkOrder.Status.ANSWERED:
        raise Conflict(_("Only an answered work order can be followed up."))
    if not note.strip():
        problems = Problems()
        problems.add("note", _("Write the follow-up."))
        problems.raise_if_any()
    order.follow_up = note.strip()
    order.followed_up_at = now
    order.status = WorkOrder.Status.FOLLOWED_UP
    order.save()
    record(actor=actor, action="work_order.follow_up", obj=order, complaint=order.complaint,
           after={"note": order.follow_up},
           timeline=on_timeline("work_order_followed_up", order=order.number, note=order.follow_up), at=now)
    return order


# --- daily progress --------------------------------------------------------------------------


@dataclass
class ProgressInput:
    day: str = ""
    verified: str = ""
    description_true: bool | None = None
    done: str = ""
    next_step: str = ""
    no_update_reason: str = ""
    files: list[UploadedFile] = field(default_factory=list)


@transaction.atomic
def progress_add(*, actor: Any, number: str, data: ProgressInput, now: datetime | None = None) -> ProgressEntry:
    """A dated entry: what was verified, what was done, the next step — or the reason for none."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    _require_owner(actor, complaint)
    _require_open(complaint)
    policy = policy_of(complaint.policy_version)
    tz = ZoneInfo(policy.timezone)
    problems = Problems()
    today = now.astimezone(tz).date()
    day = today
    if data.day.strip():
        try:
            day = date.fromisoformat(data.day.strip())
        except ValueError:
            problems.add("day", _("%(value)s is not a date; write it as YYYY-MM-DD.") % {"value": data.day})
        else:
            if day > today:
                problems.add("day", _("%(value)s is in the future.") % {"value": day.isoformat()})
            elif day < complaint.registered_at.astimezone(tz).date():
                problems.add("day", _("The day is before the complaint was registered."))
    has_update = any(text.strip() for text in (data.verified, data.done, data.next_step))
    if not has_update and not data.no_update_reason.strip():
        problems.add("done", _("Record what was verified, what was done and the next step — or the reason why "
                               "there is no update today."))
    if has_update and not data.next_step.strip():
        problems.add("next_step", _("Record the next step."))
    if data.description_true is False and not data.verified.strip():
        problems.add("verified", _("The recorded description is not true: record what really happened."))
    for index, upload in enumerate(data.files):
        check_upload(upload, f"files[{index}]", problems)
    problems.raise_if_any()
    entry = ProgressEntry.objects.create(
        complaint=complaint, day=day, verified=data.verified.strip(), description_true=data.description_true,
        done=data.done.strip(), next_step=data.next_step.strip(), no_update_reason=data.no_update_reason.strip(),
        author=actor, created_at=now)
    for upload in data.files:
        _store(upload, complaint=complaint, actor=actor, now=now, progress=entry)
    record(actor=actor, action="complaint.progress", obj=entry, complaint=complaint,
           after={"day": day, "verified": entry.verified, "description_true": entry.description_true,
                  "done": entry.done, "next_step": entry.next_step, "no_update_reason": entry.no_update_reason,
                  "files": len(data.files)},
           timeline=on_timeline("progress", day=day.isoformat(), verified=entry.verified,
                                description_true=entry.description_true, done=entry.done, next_step=entry.next_step,
                                no_update_reason=entry.no_update_reason, files=[f.name for f in data.files]), at=now)
    if entry.description_true is not None or entry.verified:
        clock_event(complaint=complaint, event=ClockEvent.INVESTIGATED, at=now)
    clock_event(complaint=complaint, event=ClockEvent.PROGRESS_LOGGED, at=now)
    return entry


# --- contact with the customer and the unreachable path ---------------------------------------


@transaction.atomic
def contact_record(*, actor: Any, number: str, outcome: str, note: str = "", at: str = "",
                   purpose: str = ContactAttempt.Purpose.HANDLING, now: datetime | None = None) -> ContactAttempt:
    """One attempt to reach the customer, recorded by the complaint's owner or a supervisor
    (capability ``complaint.work``): reaching the customer counts as the reply and stops its clock;
    reaching a customer whose complaint was closed as unreachable reopens it."""
    complaint = access_complaint(actor, number, for_update=True)
    _require_owner(actor, complaint)
    return contact_write(actor=actor, complaint=complaint, outcome=outcome, note=note, at=at, purpose=purpose, now=now)


@transaction.atomic
def contact_write(*, actor: Any, complaint: Complaint, outcome: str, note: str = "", at: str = "",
                  purpose: str = ContactAttempt.Purpose.HANDLING, now: datetime | None = None) -> ContactAttempt:
    """The contact itself, for a service that has checked who may record it (a return visit's call:
    followup.services.visits, open to the return-visit agents)."""
    now = now or timezone.now()
    policy = policy_of(complaint.policy_version)
    tz = ZoneInfo(policy.timezone)
    problems = Problems()
    if outcome not in ContactAttempt.Outcome.values:
        problems.add("outcome", _("Choose the outcome: %(all)s.") % {"all": ", ".join(ContactAttempt.Outcome.values)})
    if purpose not in ContactAttempt.Purpose.values:
        problems.add("purpose", _("Unknown purpose."))
    moment = now
    if at.strip():
        try:
            moment = check.not_future_moment(check.parse_datetime(at, tz), now, tz)
        except check.FieldInvalid as exc:
            problems.add("at", exc.message)
    problems.raise_if_any()
    reopened = complaint.status == Complaint.Status.CLOSED and policy.unreachable is not None and (
        policy.unreachable.reopen_on_contact and complaint.outcome_reason == policy.unreachable.close_reason)
    if not complaint.is_open and not (reopened and outcome == ContactAttempt.Outcome.REACHED):
        _require_open(complaint)
    attempt = ContactAttempt.objects.create(complaint=complaint, purpose=purpose, at=moment, outcome=outcome,
                                            note=note.strip(), by=actor)
    record(actor=actor, action="complaint.contact", obj=attempt, complaint=complaint,
           after={"outcome": outcome, "at": moment, "purpose": purpose, "note": attempt.note},
           timeline=on_timeline("contact", outcome=outcome, purpose=purpose, note=attempt.note,
                                when=moment.isoformat()), at=now)
    if outcome == ContactAttempt.Outcome.REACHED:
        if reopened:
            # the system reopens: the policy says contact after an unreachable close reopens
            complaint_reopen(actor=None, number=complaint.number, now=now,
                             note=str(_("The customer made contact again.")))
            complaint.refresh_from_db()
        clock_event(complaint=complaint, event=ClockEvent.CUSTOMER_CONTACTED, at=now)
        if purpose == ContactAttempt.Purpose.HANDLING:
            clock_event(complaint=complaint, event=ClockEvent.CUSTOMER_REPLIED, at=now)
    return attempt


@transaction.atomic
def unreachable_sms(*, actor: Any, number: str, now: datetime | None = None) -> Any:
    """After the policy's failed contact attempts, send its SMS; the close-after clock starts."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    _require_owner(actor, complaint)
    _require_open(complaint)
    policy = policy_of(complaint.policy_version)
    rule = policy.unreachable
    template = policy.messages.unreachable_sms
    if rule is None or template is None:
        raise Conflict(_("The policy has no unreachable-customer path."))
    failed = complaint.contact_attempts.filter(purpose=ContactAttempt.Purpose.HANDLING).exclude(
        outcome=ContactAttempt.Outcome.REACHED).count()
    if failed < rule.attempts_before_sms:
        raise Conflict(_("Record %(n)d failed attempt(s) to reach the customer before sending the SMS "
                         "(%(done)d so far).") % {"n": rule.attempts_before_sms, "done": failed})
    if complaint.timeline.filter(kind="unreachable_sms").exists() and complaint.clocks.filter(
            status__in=["running", "paused"], code__in=[c.code for c in policy.clocks
                                                        if c.starts == ClockEvent.UNREACHABLE_SMS_SENT]).exists():
        raise Conflict(_("The SMS was already sent; the complaint closes if the customer does not get in touch."))
    if not complaint.customer.phone:
        raise Conflict(_("The customer has no mobile number for the SMS."))
    return unreachable_sms_send(actor=actor, complaint=complaint, policy=policy, now=now,
                                why={"failed_attempts": failed})


def unreachable_sms_send(*, actor: Any, complaint: Complaint, policy: Policy, now: datetime,
                         why: dict[str, Any]) -> Any:
    """Send the policy's unreachable-customer SMS to the customer's mobile and start the clock that
    closes the complaint without contact. The caller checked that the policy has the path, the
    complaint is open and the customer has a mobile number; ``why`` goes into the audit event."""
    template = policy.messages.unreachable_sms
    rule = policy.unreachable
    if template is None or rule is None:
        raise Conflict(_("The policy has no unreachable-customer path."))
    body = rules.render_message(template.get(complaint.language), number=complaint.number,
                                organisation=policy.organisation.get(complaint.language))
    message = message_queue(actor=actor, kind="unreachable_sms", channel="sms", recipient=complaint.customer.phone,
                            body=body, language=complaint.language, complaint=complaint)
    record(actor=actor, action="complaint.unreachable_sms", obj=complaint, complaint=complaint,
           after={"message": message.pk, **why},
           timeline=on_timeline("unreachable_sms", message=message.pk, text=body, close_after=str(rule.close_after)),
           at=now)
    clock_event(complaint=complaint, event=ClockEvent.UNREACHABLE_SMS_SENT, at=now)
    return message
