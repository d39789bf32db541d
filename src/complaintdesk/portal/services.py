"""Writes made from the public portal. The customer is no member of staff: every act is recorded as
the system's (``actor=None``) with the portal as the door, and goes through the same services and
validation as staff input."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import User
from complaintdesk.accounts.roles import OWNING_ROLES
from complaintdesk.clocks.actions import least_loaded
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.inputs import RegistrationInput
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.intake import complaint_register_public
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import Conflict, FieldProblem, Problems, ValidationFailed
from complaintdesk.core.record import on_timeline, record, record_entry
from complaintdesk.notify.services import message_queue
from complaintdesk.policy.schema import ChannelKind, Policy
from complaintdesk.portal.models import AccessCode, CustomerFile
from complaintdesk.portal.uploads import Upload, check_uploads, remove_file, write_file
from complaintdesk.resolutions.models import Plan
from complaintdesk.resolutions.services.plans import plan_customer_decision
from complaintdesk.units.models import Unit, root_unit
from complaintdesk.units.policies import unit_policy

LANGUAGES = ("zh-hans", "en")


class PortalClosed(Conflict):
    """The policy offers no web door, or nobody can take a complaint yet."""

    code = "portal_closed"
    status = 503


def web_channel(policy: Policy) -> str | None:
    """The policy's web-form door: the first channel of kind ``web`` that asks for no case origin. A
    web channel that does (a community post, recorded with its link) is a door staff register from;
    a customer filing on the portal has no post to name."""
    return next((c.code for c in policy.channels if c.kind == ChannelKind.WEB and not c.requires_origin), None)


def portal_owner(unit: Unit | None = None) -> User:
    """The member of staff who takes a complaint filed on the portal for ``unit`` (head office by
    default): the least-loaded front-line agent of the nearest unit up its chain that has one (then
    specialist, supervisor …)."""
    for role in OWNING_ROLES:  # agents first, then specialists, supervisors …
        user = least_loaded(role.value, at=unit or root_unit())
        if user is not None:
            return user
    raise PortalClosed(_("Nobody can take complaints on the portal yet; please call us instead."))


@dataclass
class Submission:
    """What the customer typed on the portal's form."""

    data: RegistrationInput
    consent: bool
    files: list[Any] = field(default_factory=list)


def _write_attachments(complaint: Complaint, uploads: list[Upload], source: str, now: datetime,
                       written: list[str]) -> list[CustomerFile]:
    out = []
    for upload in uploads:
        relative = write_file(upload, now)
        written.append(relative)
        out.append(CustomerFile.objects.create(
            complaint=complaint, name=upload.name, kind=upload.kind, size=upload.size, sha256=upload.sha256,
            path=relative, source=source, uploaded_at=now))
    return out


def _customer_worded(problems: list[FieldProblem], data: RegistrationInput) -> list[FieldProblem]:
    """The registration's problems as the customer who typed the form reads them: those worded for
    staff ("record the customer's name …") are said to the customer, and the missing contact is left to
    the portal's own, stricter rule (phone or e-mail), which names what the customer must give."""
    no_contact = not (data.customer.phone.strip() or data.customer.email.strip())
    out = []
    for problem in problems:
        if problem.field == "customer.phone" and no_contact:
            continue  # an empty phone has no other problem: this is the registration's contact rule
        if problem.field == "customer.name_note":
            named = data.customer.first_name.strip() or data.customer.last_name.strip()
            wanted = _("Give your first and last name.") if named else _("Give your name.")
            problem = FieldProblem(problem.field, wanted)
        elif problem.field == "reason_codes" and not data.reason_codes:
            problem = FieldProblem(problem.field, _("Choose what kind of problem it is."))
        elif problem.field == "description" and not data.description.strip():
            problem = FieldProblem(problem.field, _("Tell us what happened."))
        elif problem.field == "reason" and not data.reason.strip():
            problem = FieldProblem(problem.field, _("Say in one sentence what is wrong."))
        elif problem.field == "customer_request" and not data.customer_request.strip():
            problem = FieldProblem(problem.field, _("Tell us what you would like us to do, and by when."))
        out.append(problem)
    return out


def portal_submit(*, submission: Submission, now: datetime | None = None, unit: Unit | None = None) -> Complaint:
    """Register the customer's complaint with its files; every problem of the form (the registration's
    own and the portal's: consent, contact for tracking, files) is reported at once, and nothing is
    written (no record, no file) unless everything is right. The complaint belongs to ``unit`` (the
    filing page's ``?unit=``), head office by default, and follows that unit's policy."""
    _version, policy = unit_policy(unit)
    now = now or timezone.now()
    channel = web_channel(policy)
    if channel is None:
        raise PortalClosed(_("This organisation does not take complaints on the web; please call us instead."))
    data = replace(submission.data, channel=channel)
    problems = Problems()
    if not submission.consent:
        problems.add("consent", _("Please agree to the privacy notice so that we can handle your complaint."))
    if not (data.customer.phone.strip() or data.customer.email.strip()):
        problems.add("customer.phone", _("Give your mobile phone or your e-mail address: we send the "
                                         "acknowledgement and your tracking codes there."))
    uploads = check_uploads(submission.files, problems)
    owner = portal_owner(unit)
    written: list[str] = []
    try:
        with transaction.atomic():
            try:
                complaint = complaint_register_public(owner=owner, data=data, door="portal", now=now,
                                                      unit=unit)
            except ValidationFailed as exc:
                raise ValidationFailed([*_customer_worded(exc.problems, data), *problems.items]) from exc
            problems.raise_if_any()
            attachments = _write_attachments(complaint, uploads, CustomerFile.Source.SUBMISSION, now, written)
            if attachments:
                record_entry(complaint, on_timeline("attachments_added", names=[a.name for a in attachments],
                                                    source="submission"), actor=None, at=now)
    except BaseException:
        for relative in written:
            remove_file(relative)
        raise
    return complaint


# --- one-time codes -------------------------------------------------------------------------------


def _hash(code_id: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{code_id}:{code}".encode(), hashlib.sha256).hexdigest()


def find_complaint(number: str, contact: str) -> tuple[Complaint, str, str] | None:
    """The complaint whose number and customer phone (or e-mail) match, with the channel and address to
    send a code to; None when they do not match (the caller never says which part was wrong)."""
    complaint = Complaint.objects.select_related("customer").filter(number=number.strip().upper()).first()
    if complaint is None:
        complaint = Complaint.objects.select_related("customer").filter(number=number.strip()).first()
    if complaint is None:
        return None
    customer = complaint.customer
    text = contact.strip()
    if "@" in text:
        if customer.email and customer.email.lower() == text.lower():
            return complaint, "email", customer.email
        return None
    try:
        phone = check.phone(text)
    except check.FieldInvalid:
        return None
    if customer.phone and customer.phone == phone:
        return complaint, "sms", customer.phone
    return None


@transaction.atomic
def access_code_send(*, complaint: Complaint, channel: str, recipient: str, now: datetime | None = None) -> AccessCode:
    """Create a code for the complaint and queue it to the customer; earlier unused codes stop working."""
    now = now or timezone.now()
    minutes = int(settings.COMPLAINTDESK_PORTAL["code_valid_minutes"])
    AccessCode.objects.filter(complaint=complaint, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = AccessCode.objects.create(complaint=complaint, channel=channel, code_hash="", created_at=now,
                                    expires_at=now + timedelta(minutes=minutes))
    AccessCode.objects.filter(pk=row.pk).update(code_hash=_hash(row.pk, code))
    language = complaint.language if complaint.language in LANGUAGES else "zh-hans"
    with translation.override(language):
        body = gettext("Your code to follow complaint %(number)s is %(code)s. It is valid for %(minutes)d "
                           "minutes. Do not share it.") % {"number": complaint.number, "code": code,
                                                            "minutes": minutes}
        subject = gettext("Your code for complaint %(number)s") % {"number": complaint.number} \
            if channel == "email" else ""
    message_queue(actor=None, kind="portal_code", channel=channel, recipient=recipient, body=body,
                  language=language, subject=subject)
    audit(actor=None, action="portal.code_sent", obj=row, complaint_number=complaint.number,
          after={"channel": channel, "expires_at": row.expires_at})
    return row


class CodeRefused(ValidationFailed):
    """A wrong, used, expired or exhausted code (reported under the field ``code``)."""


def access_code_check(*, complaint_id: int, code: str, now: datetime | None = None) -> Complaint:
    """Check the code the customer typed against the complaint's latest code. A wrong code counts
    against the code's attempts (the count is kept although the answer is a refusal); a right one is
    used up."""
    now = now or timezone.now()
    attempts = int(settings.COMPLAINTDESK_PORTAL["code_attempts"])
    refusal: Any = None
    with transaction.atomic():
        row = (AccessCode.objects.select_for_update().filter(complaint_id=complaint_id)
               .order_by("-created_at", "-id").first())
        typed = "".join(ch for ch in code if ch.isdigit())
        if row is None or row.used_at is not None:
            refusal = _("This code is no longer valid; ask for a new one.")
        elif row.expires_at <= now:
            refusal = _("The code has expired; ask for a new one.")
        elif row.attempts >= attempts:
            refusal = _("Too many wrong codes; ask for a new one.")
        elif not hmac.compare_digest(_hash(row.pk, typed), row.code_hash):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = attempts - row.attempts
            refusal = (_("Too many wrong codes; ask for a new one.") if left <= 0
                       else _("The code is wrong; %(left)d attempt(s) left.") % {"left": left})
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            complaint = Complaint.objects.select_related("customer").get(pk=complaint_id)
            audit(actor=None, action="portal.code_used", obj=row, complaint_number=complaint.number, after={})
            return complaint
    raise CodeRefused([FieldProblem("code", refusal)])


# --- the customer adds to the complaint -----------------------------------------------------------


def _notify_owner(complaint: Complaint, kind: str) -> None:
    owner = complaint.owner
    language = owner.language if owner.language in LANGUAGES else "zh-hans"
    with translation.override(language):
        if kind == "information":
            subject = gettext("The customer added information")
            body = gettext("The customer added information or files to complaint %(number)s on the portal.")
        else:
            subject = gettext("The customer answered on the portal")
            body = gettext("The customer answered the proposed solution of complaint %(number)s.")
    message_queue(actor=None, kind=f"portal_{kind}", channel="internal", recipient=owner.username,
                  body=body % {"number": complaint.number}, language=language, subject=subject,
                  complaint=complaint, recipient_user=owner)


def portal_add_information(*, complaint_id: int, text: str, files: list[Any], now: datetime | None = None) -> Complaint:
    """The customer adds words or files to their complaint; the owner is told."""
    now = now or timezone.now()
    problems = Problems()
    text = text.strip()
    if len(text) > 4000:
        problems.add("text", _("At most %(limit)d characters.") % {"limit": 4000})
    uploads = check_uploads(files, problems)
    if not text and not uploads and not problems:
        problems.add("text", _("Write something or attach a file."))
    problems.raise_if_any()
    written: list[str] = []
    try:
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update(of=("self",)).select_related("owner").get(
                pk=complaint_id)
            if not complaint.is_open:
                raise Conflict(_("Complaint %(number)s is %(status)s; please call us if you need to add "
                                 "something.") % {"number": complaint.number,
                                                  "status": complaint.get_status_display()})
            attachments = _write_attachments(complaint, uploads, CustomerFile.Source.TRACKING, now, written)
            record(actor=None, action="portal.information", obj=complaint, complaint=complaint,
                   after={"text": text, "files": [a.name for a in attachments]},
                   timeline=on_timeline("customer_information", text=text, names=[a.name for a in attachments]),
                   at=now)
            _notify_owner(complaint, "information")
    except BaseException:
        for relative in written:
            remove_file(relative)
        raise
    return complaint


def portal_decide(*, complaint_id: int, plan_id: int, decision: str, words: str, now: datetime | None = None) -> Any:
    """The customer accepts or refuses the proposed solution through the resolutions service."""

    if decision == Plan.Decision.REFUSED and not words.strip():
        # the resolutions service words this for staff ("record the customer's own words")
        raise ValidationFailed([FieldProblem("words", _("Tell us why you refuse this solution."))])
    with transaction.atomic():
        if not Plan.objects.filter(pk=plan_id, complaint_id=complaint_id).exists():
            raise ValidationFailed([FieldProblem("plan", _("This solution does not belong to your complaint."))])
        plan = plan_customer_decision(actor=None, plan_id=plan_id, decision=decision, words=words, channel="portal",
                                      now=now)
        complaint = Complaint.objects.select_related("owner").get(pk=complaint_id)
        if decision == Plan.Decision.ACCEPTED:
            _notify_owner(complaint, "decision")
    return plan
