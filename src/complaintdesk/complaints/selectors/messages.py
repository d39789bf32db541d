"""The customer messages of a complaint that a person may send again."""

from __future__ import annotations

from typing import Any

from complaintdesk.complaints.selectors.masking import mask_email, mask_phone
from complaintdesk.notify.models import Message

# the worker stopped while handing the message over (uncertain), or every attempt failed
RESENDABLE = (Message.Status.UNCERTAIN, Message.Status.FAILED)


def resendable_messages(complaint: Any) -> list[Message]:
    """The complaint's customer messages in doubt, oldest first (the caller has the complaint
    through ``access_complaint``)."""
    return list(Message.objects.filter(complaint=complaint, status__in=RESENDABLE)
                .exclude(channel=Message.Channel.INTERNAL).order_by("id"))


def mask_recipient(value: str) -> str:
    return mask_email(value) if "@" in value else mask_phone(value)
