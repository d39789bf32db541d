"""One transport per channel. A transport delivers a message or raises; it never touches the
database (the service records the outcome)."""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from complaintdesk.notify.models import Message


def idempotency_key(message: Message) -> str:
    """The key a transport hands to the far side so that a repeated call is recognised as the same
    message (a worker that died after the gateway accepted the message retries with the same key)."""
    return f"complaintdesk-message-{message.pk}"


class TransportError(Exception):
    """The far side refused or could not be reached; the delivery service decides whether to retry."""


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
            headers={"Message-ID": message_id_header(message)},
        )
        email.send(fail_silently=False)


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

    def send(self, message: Message) -> None:
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

    def send(self, message: Message) -> None:
        return None


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
