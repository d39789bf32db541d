"""Recording outbound messages on the complaint's timeline."""

from __future__ import annotations

from django.utils import timezone

from complaintdesk.clocks.services import clock_event
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.models import Message
from complaintdesk.notify.notices import notice_send
from complaintdesk.policy.schema import ClockEvent


def message_delivered(*, message: Message, ok: bool) -> None:
    """Called by the delivery service inside its transaction once the transport has answered."""
    complaint = message.complaint
    if complaint is None or message.channel == "internal":
        return
    kind = "message_sent" if ok else "message_failed"
    record(actor=None, action=f"message.{'sent' if ok else 'failed'}", obj=message, complaint=complaint,
           after={"kind": message.kind, "channel": message.channel, "transport": message.transport},
           timeline=on_timeline(kind, message=message.pk, message_kind=message.kind, channel=message.channel,
                                recipient=message.recipient, transport=message.transport,
                                error=message.error if not ok else ""), at=timezone.now())
    if not ok and complaint.owner_id:
        notice_send(users=[complaint.owner], complaint=complaint, kind="message_failed",
                    recipient=message.recipient, attempts=message.attempts, error=message.error[:200])
    if ok and message.kind == "acknowledgement":
        clock_event(complaint=complaint, event=ClockEvent.ACKNOWLEDGED, at=message.sent_at)
