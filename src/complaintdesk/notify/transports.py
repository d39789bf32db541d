"""One transport per channel. A transport delivers a message or raises; it never touches the
database (the service records the outcome).

Each transport calls ``in_flight()`` just before the step after which the far side may hold the
message (the service commits the attempt as "in flight" there), and says whether it is
``idempotent``: whether the far side recognises a repeated call as the same message. A message
found in flight after its worker died is sent again only through an idempotent transport
(notify.services.message_deliver)."""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from smtplib import SMTPRecipientsRefused, SMTPResponseException
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from complaintdesk.notify.models import Message


def idempotency_key(message: Message) -> str:
    """The key a transport hands to the far side so that a repeated call is recognised as the same
    message (a worker that died after the gateway accepted the message retries with the same key)."""
    return f"complaintdesk-message-{message.pk}"


class TransportError(Exception):
    """The far side refused or could not be reached; the delivery service decides whether to retry."""


class DeliveryUncertain(Exception):
    """The connection broke after the message was handed over, before the far side answered: it may
    have been delivered. A non-idempotent transport raises this instead of TransportError."""


InFlight = Callable[[], None]


class Transport(Protocol):
    name: str
    idempotent: bool

    def send(self, message: Message, in_flight: InFlight) -> None: ...


class ConsoleTransport:
    """Writes the message to standard output (the demo's SMS gateway)."""

    name = "console"
    idempotent = False  # a line printed twice is printed twice

    def send(self, message: Message, in_flight: InFlight) -> None:
        in_flight()
        line = f"[{message.channel} → {message.recipient}] {message.subject + ': ' if message.subject else ''}"
        sys.stdout.write(line + message.body.replace("\n", " ") + "\n")
        sys.stdout.flush()


class SmtpTransport:
    """Sends e-mail through Django's SMTP backend (EMAIL_HOST / EMAIL_PORT).

    SMTP has no idempotency key a server honours (a Message-ID is not deduplicated on the way), so
    the connection is opened and greeted first — a failure there is a plain retry — and only then is
    the message marked in flight and handed over. A server's refusal (an SMTP reply code) is a
    TransportError; a connection lost after the hand-over is DeliveryUncertain."""

    name = "smtp"
    idempotent = False

    def send(self, message: Message, in_flight: InFlight) -> None:
        connection = get_connection(fail_silently=False)
        email = EmailMessage(
            subject=message.subject or message.kind,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id_header(message)},
            connection=connection,
        )
        try:
            connection.open()
        except OSError as exc:  # smtplib's errors are OSErrors too
            raise TransportError(f"SMTP server unreachable: {exc}") from exc
        try:
            in_flight()
            try:
                email.send(fail_silently=False)
            except (SMTPResponseException, SMTPRecipientsRefused) as exc:  # the server answered no: nothing left
                raise TransportError(f"SMTP server refused: {exc}") from exc
            except OSError as exc:  # smtplib's disconnects are OSErrors: the answer never came
                raise DeliveryUncertain(f"SMTP connection lost after the hand-over: {exc}") from exc
        finally:
            connection.close()


def message_id_header(message: Message) -> str:
    """The Message-ID of an e-mail we send: keyed by the message id, so that a resent copy carries
    the same id (receivers drop duplicates) and a customer's reply threads back to the complaint."""
    return f"<{idempotency_key(message)}@{settings.DEFAULT_FROM_EMAIL.split('@')[-1]}>"


def _fill(template: Any, values: dict[str, str]) -> Any:
    """Replace ``{to}``, ``{text}``, ``{id}``, ``{sender}`` in every string of a JSON template; the
    values are inserted as data, so a quote in the text never breaks the request."""
    if isinstance(template, str):
        out = template
        for key, value in values.items():
            out = out.replace("{" + key + "}", value)
        return out
    if isinstance(template, list):
        return [_fill(item, values) for item in template]
    if isinstance(template, dict):
        return {key: _fill(item, values) for key, item in template.items()}
    return template


class HttpSmsTransport:
    """SMS through an HTTP gateway: one JSON POST per message to ``COMPLAINTDESK_SMS_GATEWAY_URL``
    with a body built from ``COMPLAINTDESK_SMS_GATEWAY_TEMPLATE``; HTTP basic credentials
    (``…_USER``/``…_PASSWORD``) or a bearer token (``…_TOKEN``); the message's idempotency key in the
    ``Idempotency-Key`` header and in the body's ``{id}``. Any answer but 2xx raises."""

    name = "http_sms"
    idempotent = True  # the gateway drops a repeat of the same Idempotency-Key

    def send(self, message: Message, in_flight: InFlight) -> None:
        url = settings.COMPLAINTDESK_SMS_GATEWAY["URL"]
        if not url:
            raise TransportError("COMPLAINTDESK_SMS_GATEWAY_URL is not set")
        gateway = settings.COMPLAINTDESK_SMS_GATEWAY
        template = json.loads(gateway["TEMPLATE"])
        key = idempotency_key(message)
        body = _fill(template, {"to": message.recipient, "text": message.body, "id": key,
                                "sender": gateway["SENDER"]})
        request = urllib.request.Request(  # noqa: S310 (the administrator configures an http(s) URL)
            url, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key})
        if gateway["TOKEN"]:
            request.add_header("Authorization", f"Bearer {gateway['TOKEN']}")
        elif gateway["USER"]:
            basic = base64.b64encode(f"{gateway['USER']}:{gateway['PASSWORD']}".encode()).decode()
            request.add_header("Authorization", f"Basic {basic}")
        in_flight()
        try:
            with urllib.request.urlopen(request, timeout=float(gateway["TIMEOUT"])) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise TransportError(f"SMS gateway answered {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransportError(f"SMS gateway unreachable: {exc}") from exc


class InternalTransport:
    """Staff notices: stored with the message and read in the notices page; nothing leaves."""

    name = "internal"
    idempotent = True  # nothing leaves: the notice is the row itself

    def send(self, message: Message, in_flight: InFlight) -> None:
        in_flight()


TRANSPORTS: dict[str, type[ConsoleTransport] | type[SmtpTransport] | type[InternalTransport]
                 | type[HttpSmsTransport]] = {
    "console": ConsoleTransport,
    "smtp": SmtpTransport,
    "internal": InternalTransport,
    "http_sms": HttpSmsTransport,
}


def transport_for(channel: str) -> Transport:
    if channel == "internal":
        return InternalTransport()
    name = settings.COMPLAINTDESK_TRANSPORTS.get(channel, "console")
    try:
        return TRANSPORTS[name]()
    except KeyError as exc:
        raise ValueError(f"unknown transport {name!r} for channel {channel!r}") from exc
