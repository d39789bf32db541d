"""Recording outbound messages on the complaint's timeline."""

from __future__ import annotations

from django.utils import timezone

from complaintdesk.complaints.services.common import timeline_add
from complaintdesk.complaints.services.notices import notify_staff
from complaintdesk.core.audit import audit
from complaintdesk.notify.models import Message


def message_delivered(*, message: Message, ok: bool) -> None:
    """Called by the delivery service inside its transaction once the transport has answered."""
    complaint = message.complaint
    if complaint is None or message.channel == "internal":
        return
    kind = "message_sent" if ok else "message_failed"
    timeline_add(complaint, kind, None, at=timezone.now(), message=message.pk, message_kind=message.kind,
                 channel=message.channel, recipient=message.recipient, transport=message.transport,
                 error=message.error if not ok else "")
    audit(actor=None, action=f"message.{'sent' if ok else 'failed'}", obj=message,
          complaint_number=complaint.number,
          after={"kind": message.kind, "channel": message.channel, "transport": message.transport})
    if not ok and complaint.owner_id:
        notify_staff(users=[complaint.owner], complaint=complaint, kind="message_failed",
                     recipient=message.recipient, attempts=message.attempts, error=message.error[:200])
    if ok and message.kind == "acknowledgement":
        from complaintdesk.clocks.services import clock_event
        from complaintdesk.policy.schema import ClockEvent

        clock_event(complaint=complaint, event=ClockEvent.ACKNOWLEDGED, at=message.sent_at)
