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
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from email.utils import parseaddr
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import sanitize_address
from django.utils import translation
from django.utils.translation import gettext as _

from complaintdesk.notify.models import Message


def idempotency_key(message: Message) -> str:
    """The key a transport hands to the far side so that a repeated call is recognised as the same
    message (a worker that died after the gateway accepted the message retries with the same key)."""
    return f"complaintdesk-message-{message.pk}"


class TransportError(Exception):
    """The far side refused or could not be reached; the delivery service decides whether to retry.
    The text is the raw detail (logs, administrators); ``reason`` is a code of notify.failures and
    ``params`` its parameters, from which people read the failure in their language."""

    def __init__(self, detail: str, *, reason: str = "error", **params: Any) -> None:
        super().__init__(detail)
        self.reason = reason
        self.params = params

    def failure(self) -> dict[str, Any]:
        return {"reason": self.reason, **self.params}


class DeliveryUncertain(TransportError):
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
    """Sends e-mail through Django's SMTP connection settings (EMAIL_HOST / EMAIL_PORT …).

    SMTP has no idempotency key a server honours (a Message-ID is not deduplicated on the way), so
    the window in which the far side may hold the message without our knowing is made as small as
    SMTP allows: the connection is opened, the envelope given and the whole content sent first — a
    server keeps nothing of a transaction whose end-of-data line never came, so a failure up to
    there is a plain retry — and only then is the message marked in flight and the end-of-data line
    sent. A server's refusal (an SMTP reply code) is a TransportError; a connection lost after the
    end-of-data line is DeliveryUncertain."""

    name = "smtp"
    idempotent = False

    def send(self, message: Message, in_flight: InFlight) -> None:
        connection = get_connection(fail_silently=False)
        email = EmailMessage(
            subject=message.subject or _no_subject(message),
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id_header(message), **auto_submitted(message)},
            connection=connection,
        )
        try:
            connection.open()
        except OSError as exc:  # smtplib's errors are OSErrors too
            raise TransportError(f"SMTP server unreachable: {exc}", reason="smtp_unreachable") from exc
        in_data = False
        smtp = getattr(connection, "connection", None)
        try:
            if smtp is None:  # a backend without an SMTP session (tests' in-memory outbox): one step
                in_flight()
                email.send(fail_silently=False)
                return
            encoding = email.encoding or settings.DEFAULT_CHARSET
            sender = sanitize_address(email.from_email, encoding)
            recipients = [sanitize_address(address, encoding) for address in email.recipients()]
            content = _dot_stuffed(email.message().as_bytes(linesep="\r\n"))
            try:
                smtp.ehlo_or_helo_if_needed()
                _expect(smtp.mail(sender), {250}, "sender")
                for recipient in recipients:
                    _expect(smtp.rcpt(recipient), {250, 251}, "recipient")
                _expect(smtp.docmd("DATA"), {354}, "data")
                in_data = True
                smtp.send(content)  # everything but the end-of-data line: the server keeps nothing yet
            except OSError as exc:  # smtplib's disconnects are OSErrors: nothing was handed over
                raise TransportError(f"SMTP connection lost before the hand-over: {exc}",
                                     reason="smtp_lost") from exc
            in_flight()
            try:
                smtp.send(b".\r\n")
                code, reply = smtp.getreply()
                in_data = False
            except OSError as exc:  # the end-of-data line may have arrived: the answer never came
                raise DeliveryUncertain(f"SMTP connection lost after the hand-over: {exc}",
                                        reason="smtp_lost_after_handover") from exc
            if code != 250:  # the server answered no: it keeps nothing
                raise TransportError(f"SMTP server refused: {code} {reply!r}", reason="smtp_refused", code=code)
        finally:
            if in_data and smtp is not None:
                # Left in the middle of the content (lost, or taken over by another worker): a QUIT now
                # would be read as content and wait for the server's timeout; dropping the connection
                # without the end-of-data line is what tells the server to keep nothing.
                smtp.close()
                connection.connection = None
            connection.close()


def _no_subject(message: Message) -> str:
    """The subject of an e-mail queued without one (the extension notice and the survey invitation
    by e-mail are): a plain title in the message's language, never its internal kind."""
    with translation.override(message.language or None):
        return str(_("A message about your complaint"))


def auto_submitted(message: Message) -> dict[str, str]:
    """RFC 3834's mark on the mail a person did not write, so that vacation responders and other
    automatic answers stay silent: the acknowledgement is an automatic answer to the customer's
    complaint, a staff notice is generated; a text the staff sends the customer has no mark."""
    if message.kind == "acknowledgement":
        return {"Auto-Submitted": "auto-replied"}
    if message.recipient_user_id is not None:
        return {"Auto-Submitted": "auto-generated"}
    return {}


def _expect(answer: tuple[int, bytes], codes: set[int], step: str) -> None:
    code, reply = answer
    if code not in codes:
        raise TransportError(f"SMTP server refused the {step}: {code} {reply!r}", reason="smtp_refused", code=code)


def _dot_stuffed(content: bytes) -> bytes:
    """The message as the DATA command carries it (RFC 5321 4.5.2): a line starting with a dot gets
    a second one, and the content ends with a line break (the end-of-data line follows it)."""
    stuffed = re.sub(rb"(?m)^\.", b"..", content)
    return stuffed if stuffed.endswith(b"\r\n") else stuffed + b"\r\n"


def message_id_header(message: Message) -> str:
    """The Message-ID of an e-mail we send: keyed by the message id, so that a resent copy carries
    the same id (receivers drop duplicates) and a customer's reply threads back to the complaint."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]  # the sender may carry a name: "投诉中心 <ts@example.com>"
    return f"<{idempotency_key(message)}@{address.rpartition('@')[2] or 'localhost'}>"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """urllib follows a 301/302/303 answer to a POST with a GET without the body, so a gateway or
    webhook receiver that moved made an undelivered message look delivered by the 2xx of that GET.
    A redirect is an answer like any other than 2xx: it raises HTTPError with its status."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> None:
        return None


_POST = urllib.request.build_opener(_NoRedirect())


def http_post(request: urllib.request.Request, timeout: float) -> Any:
    """Open ``request`` (a POST) without following redirects; the caller reads the response."""
    return _POST.open(request, timeout=timeout)


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
            raise TransportError("COMPLAINTDESK_SMS_GATEWAY_URL is not set", reason="not_configured")
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
            with http_post(request, timeout=float(gateway["TIMEOUT"])) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise TransportError(f"SMS gateway answered {exc.code}: {detail}", reason="gateway_refused",
                                 code=exc.code) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransportError(f"SMS gateway unreachable: {exc}", reason="gateway_unreachable") from exc


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
