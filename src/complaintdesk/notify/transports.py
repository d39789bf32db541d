"""One transport per channel. A transport delivers a message or raises; it never touches the
database (the service records the outcome)."""

from __future__ import annotations

import sys
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from complaintdesk.notify.models import Message


class Transport(Protocol):
    name: str

    def send(self, message: Message) -> None: ...


class ConsoleTransport:
    """Writes the message to standard output (the demo's SMS gateway)."""

    name = "console"

    def send(self, message: Message) -> None:
        line = f"[{message.channel} → {message.recipient}] {message.subject + ': ' if message.subject else ''}"
        sys.stdout.write(line + message.body.replace("\n", " ") + "\n")
        sys.stdout.flush()


class SmtpTransport:
    """Sends e-mail through Django's SMTP backend (EMAIL_HOST / EMAIL_PORT)."""

    name = "smtp"

    def send(self, message: Message) -> None:
        email = EmailMessage(
            subject=message.subject or message.kind,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": f"<complaintdesk-{message.pk}@{settings.DEFAULT_FROM_EMAIL.split('@')[-1]}>"},
        )
        email.send(fail_silently=False)


class InternalTransport:
    """Staff notices: stored with the message and read in the notices page; nothing leaves."""

    name = "internal"

    def send(self, message: Message) -> None:
        return None


TRANSPORTS: dict[str, type[ConsoleTransport] | type[SmtpTransport] | type[InternalTransport]] = {
    "console": ConsoleTransport,
    "smtp": SmtpTransport,
    "internal": InternalTransport,
}


def transport_for(channel: str) -> Transport:
    if channel == "internal":
        return InternalTransport()
    name = settings.COMPLAINTDESK_TRANSPORTS.get(channel, "console")
    try:
        return TRANSPORTS[name]()
    except KeyError as exc:
        raise ValueError(f"unknown transport {name!r} for channel {channel!r}") from exc
