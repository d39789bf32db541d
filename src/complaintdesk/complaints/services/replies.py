"""Written replies to the customer in the customer's language: the result notice (处理结果告知书,
``messages.result_notice``) sent when a complaint is resolved, and the one way a reply reaches the
customer (SMS to the phone, else e-mail, else a note on the timeline for the case origin)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.common import timeline_add
from complaintdesk.notify.models import Message
from complaintdesk.notify.services import message_queue
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy


def message_values(policy: Policy, complaint: Complaint) -> dict[str, str]:
    """The placeholders of a customer message known for this complaint, in its language."""
    tz = ZoneInfo(policy.timezone)
    language = complaint.language
    reply_by = complaint.reply_due_at
    return {
        "number": complaint.number,
        "received_at": rules.format_moment(complaint.received_at.astimezone(tz), language),
        "reply_by": rules.format_moment(reply_by.astimezone(tz), language) if reply_by else "-",
        "organisation": policy.organisation.get(language),
    }


def reply_channel(complaint: Complaint) -> tuple[str, str] | None:
    """Where a written reply goes: SMS to the phone, else e-mail; None without either."""
    customer = complaint.customer
    if customer.phone:
        return "sms", customer.phone
    if customer.email:
        return "email", customer.email
    return None


def reply_send(*, actor: Any, complaint: Complaint, kind: str, body: str, subject: str) -> Message | None:
    """Queue ``body`` to the customer (delivery after commit, idempotent); None when the customer
    left neither phone nor e-mail (the caller records the text for the case origin)."""
    where = reply_channel(complaint)
    if where is None:
        return None
    channel, recipient = where
    return message_queue(actor=actor, kind=kind, channel=channel, recipient=recipient, body=body,
                         language=complaint.language, subject=subject if channel == "email" else "",
                         complaint=complaint)


def result_notice_send(*, actor: Any, policy: Policy, complaint: Complaint, result: str,
                       at: datetime) -> Message | None:
    """Send the policy's result notice with ``result`` (the resolution note) in the customer's
    language and put it on the timeline; nothing when the policy has no ``messages.result_notice``."""
    language = complaint.language
    body = rules.result_notice(policy, result=result, language=language, **message_values(policy, complaint))
    if body is None:
        return None
    with translation.override(language):
        subject = _("Result of your complaint %(number)s") % {"number": complaint.number}
    message = reply_send(actor=actor, complaint=complaint, kind="result_notice", body=body, subject=subject)
    timeline_add(complaint, "result_notice", actor, at=at, message=message.pk if message else None,
                 channel=message.channel if message else "", text=body)
    return message


def on_resolved(complaint: Complaint, policy: Policy, change: Any) -> None:
    """lifecycle.after("resolve"): the result given to the customer goes out as the result notice."""
    result_notice_send(actor=change.actor, policy=policy, complaint=complaint, result=change.note, at=change.at)


def reply_script_text(policy: Policy, *, user: Any, language: str, number: str = "") -> str | None:
    """``messages.reply_script`` as the agent reads it: their own name for ``{duty_manager}`` and the
    complaint's number (before registration, a note that the number comes then)."""
    return rules.reply_script(
        policy, language=language, duty_manager=user.display_name() if user is not None else "",
        number=number or str(_("(the number given on registration)")), organisation=policy.organisation.get(language))
