"""Recording outbound messages on the complaint's timeline, and sending again a message whose
delivery is uncertain or failed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.accounts.roles import can
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.selectors.messages import RESENDABLE
from complaintdesk.core.errors import Conflict, NotFound, PermissionDenied
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.failures import failure_in
from complaintdesk.notify.models import Message
from complaintdesk.notify.notices import notice_send
from complaintdesk.notify.services import message_requeue
from complaintdesk.policy.schema import ClockEvent

OUTCOMES = {Message.Status.SENT: "message_sent", Message.Status.FAILED: "message_failed",
            Message.Status.UNCERTAIN: "message_uncertain"}


def message_delivered(*, message: Message) -> None:
    """Called by the delivery service inside its transaction once the transport has answered (or a
    worker died handing the message over: uncertain)."""
    complaint = message.complaint
    kind = OUTCOMES.get(Message.Status(message.status))
    if complaint is None or message.channel == "internal" or kind is None:
        return
    ok = message.status == Message.Status.SENT
    record(actor=None, action=f"message.{kind.removeprefix('message_')}", obj=message, complaint=complaint,
           after={"kind": message.kind, "channel": message.channel, "transport": message.transport},
           timeline=on_timeline(kind, message=message.pk, message_kind=message.kind, channel=message.channel,
                                recipient=message.recipient, transport=message.transport,
                                error=message.error if not ok else "", failure=message.failure if not ok else {}),
           at=timezone.now())
    if message.status == Message.Status.FAILED and complaint.owner_id:
        # the reader's sentence, rendered in their language; the raw detail stays on the message
        notice_send(users=[complaint.owner], complaint=complaint, kind="message_failed",
                    recipient=message.recipient, attempts=message.attempts, error=failure_in(message.failure))
    if message.status == Message.Status.UNCERTAIN and complaint.owner_id:
        notice_send(users=[complaint.owner], complaint=complaint, kind="message_uncertain",
                    recipient=message.recipient, channel=message.channel)
    if ok and message.kind == "acknowledgement":
        clock_event(complaint=complaint, event=ClockEvent.ACKNOWLEDGED, at=message.sent_at)


@transaction.atomic
def message_resend(*, actor: Any, number: str, message_id: int) -> Message:
    """Send again, once, a customer message whose delivery is uncertain or failed: the owner of the
    complaint or a supervisor decides (capability ``message.resend``); the decision is audited and
    on the timeline."""
    complaint = access_complaint(actor, number, for_update=True)
    message = (Message.objects.select_for_update().filter(pk=message_id, complaint=complaint)
               .exclude(channel=Message.Channel.INTERNAL).first())
    if message is None:
        raise NotFound(_("There is no such message on complaint %(number)s.") % {"number": complaint.number})
    if not can(actor, "message.resend", at=complaint):
        raise PermissionDenied(_("Only the owner or a supervisor may do this."))
    if message.status not in RESENDABLE:
        raise Conflict(_("This message is not waiting to be sent again."))
    before = {"status": message.status, "attempts": message.attempts}
    message = message_requeue(message=message)
    record(actor=actor, action="message.resend", obj=message, complaint=complaint, before=before,
           after={"status": message.status, "kind": message.kind, "channel": message.channel},
           timeline=on_timeline("message_resent", message=message.pk, message_kind=message.kind,
                                channel=message.channel, recipient=message.recipient), at=timezone.now())
    return message
