"""The survey by link: a signed, expiring, single-use link sent to the customer by the message
transport; the answer lands on the same return visit as a call would."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.errors import Conflict, DomainError, FieldProblem, PermissionDenied, Problems
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.followup.models import ReturnVisit, SurveyLink
from complaintdesk.followup.services.common import may_work, visit_rule
from complaintdesk.followup.services.visits import check_satisfaction, complete, open_visit
from complaintdesk.notify.services import message_queue
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy, SatisfactionOutcome, ScalePoint

SALT = "complaintdesk.followup.survey"


class SurveyLinkRefused(DomainError):
    """A survey link that cannot be used: ``reason`` is invalid (tampered or unknown), expired or used."""

    def __init__(self, reason: str, message: Any) -> None:
        super().__init__(message, problems=[FieldProblem("token", message)])
        self.reason = reason
        self.code = f"survey_link_{reason}"
        self.status = {"invalid": 400, "expired": 410, "used": 409}[reason]


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def survey_token(link: SurveyLink) -> str:
    return _signer().sign(f"{link.pk}.{link.nonce}")


@transaction.atomic
def survey_link_send(*, actor: Any, number: str, base_url: str, now: datetime | None = None) -> tuple[SurveyLink, str]:
    """Send the customer a link to the one-page survey (SMS to the phone, else e-mail), valid for
    the policy's time. Returns the link and its URL."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    policy = policy_of(complaint.policy_version)
    rule = visit_rule(policy)
    visit = open_visit(complaint, for_update=True)
    if visit is None:
        raise Conflict(_("No return visit is due for complaint %(number)s.") % {"number": complaint.number})
    if not may_work(actor, visit, rule):
        raise PermissionDenied(_("This return visit is assigned to %(name)s.")
                               % {"name": visit.assigned_to.display_name() if visit.assigned_to else "-"})
    template = policy.messages.survey_invitation
    if template is None:
        raise Conflict(_("The policy has no survey invitation message; make the return visit by phone."))
    customer = complaint.customer
    if not (customer.phone or customer.email):
        raise Conflict(_("The customer has no mobile number or e-mail address for the survey link."))
    expires = add_duration(policy, now, rule.survey_link_valid).due_at
    link = SurveyLink.objects.create(visit=visit, nonce=secrets.token_urlsafe(12), created_at=now, expires_at=expires,
                                     created_by=actor, channel="sms" if customer.phone else "email")
    url = base_url.rstrip("/") + reverse("survey", args=[survey_token(link)])
    body = rules.render_message(template.get(complaint.language), number=complaint.number, link=url,
                                organisation=policy.organisation.get(complaint.language))
    message = message_queue(actor=actor, kind="survey_invitation", channel=link.channel,
                            recipient=customer.phone or customer.email, body=body, language=complaint.language,
                            complaint=complaint)
    link.message = message
    link.save(update_fields=["message"])
    record(actor=actor, action="return_visit.survey_link", obj=link, complaint=complaint,
           after={"visit": visit.pk, "channel": link.channel, "expires_at": expires, "message": message.pk},
           timeline=on_timeline("survey_link_sent", cycle=visit.cycle, channel=link.channel,
                                expires=expires.isoformat()), at=now)
    return link, url


@dataclass(frozen=True)
class Survey:
    """What the survey page shows."""

    link: SurveyLink
    visit: ReturnVisit
    complaint: Complaint
    policy: Policy
    points: list[ScalePoint]


def _find(token: str) -> SurveyLink:
    try:
        value = _signer().unsign(token)
        link_id, nonce = value.split(".", 1)
        link = (SurveyLink.objects.select_related("visit", "visit__complaint", "visit__complaint__policy_version")
                .filter(pk=int(link_id), nonce=nonce).first())
    except (signing.BadSignature, ValueError):
        link = None
    if link is None:
        raise SurveyLinkRefused("invalid", _("This survey link is not valid. Please use the link exactly as you "
                                             "received it."))
    return link


def _check(token: str, link: SurveyLink, now: datetime) -> None:
    try:
        _signer().unsign(token, max_age=link.expires_at - link.created_at)
        expired = now >= link.expires_at
    except signing.SignatureExpired:
        expired = True
    if link.used_at is not None or link.visit.state == ReturnVisit.State.DONE:
        raise SurveyLinkRefused("used", _("This survey has already been answered. Thank you!"))
    if expired or link.visit.state != ReturnVisit.State.OPEN:
        raise SurveyLinkRefused("expired", _("This survey link has expired. If you wish to tell us more, please "
                                             "contact us again."))


def survey_open(*, token: str, now: datetime | None = None) -> Survey:
    """The survey behind a link, or SurveyLinkRefused (tampered, expired or used)."""
    now = now or timezone.now()
    link = _find(token)
    _check(token, link, now)
    visit = link.visit
    policy = policy_of(visit.complaint.policy_version)
    rule = visit_rule(policy)
    points = [p for p in rule.scale if p.outcome != SatisfactionOutcome.DIFFICULT]
    return Survey(link=link, visit=visit, complaint=visit.complaint, policy=policy, points=points)


@transaction.atomic
def survey_answer(*, token: str, satisfaction: str, reason: str = "", now: datetime | None = None) -> ReturnVisit:
    """The customer's answer through the link: recorded on the return visit, whose outcome then
    applies (close, reopen, back to the dealer). A link answers once."""
    now = now or timezone.now()
    found = _find(token)
    complaint = Complaint.objects.select_for_update().select_related("policy_version", "customer", "owner").get(
        pk=found.visit.complaint_id)
    link = SurveyLink.objects.select_for_update().select_related("visit").get(pk=found.pk)
    visit = ReturnVisit.objects.select_for_update().get(pk=link.visit_id)
    link.visit = visit
    _check(token, link, now)
    policy = policy_of(complaint.policy_version)
    rule = visit_rule(policy)
    problems = Problems()
    point = check_satisfaction(policy, rule, complaint, satisfaction.strip(), reason, problems, survey=True)
    problems.raise_if_any()
    point = cast(ScalePoint, point)
    link.used_at = now
    link.save(update_fields=["used_at"])
    complete(actor=None, complaint=complaint, policy=policy, visit=visit, result=ReturnVisit.Result.ANSWERED,
             point=point, reason=reason, note="", channel=ReturnVisit.Channel.SURVEY, now=now)
    visit.refresh_from_db()
    return visit
