"""The complaint address: a real SMTP server (aiosmtpd) on the given address, each mail handed to
:func:`mailin.mail_receive`. Run it alone (``complaintdesk mail serve``) or inside the worker
(``COMPLAINTDESK_MAIL_LISTEN``); put it behind the organisation's MTA, which relays the complaint
address to it. A mail the intake cannot take now (database down, intake not configured) is answered
451, so the sending MTA keeps it and retries; nothing is lost."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection

from complaintdesk.integrations.mailin import MAX_MAIL, MailSetupError, check_setup, mail_receive

logger = logging.getLogger("complaintdesk.mail")


def _receive(raw: bytes, envelope_from: str) -> str:
    """One mail, in a thread of asgiref's executor, on a database session of its own: closed when
    the mail is handled, as those threads outlive the server (``stop()``) and would otherwise hold
    their sessions until the process ends."""
    close_old_connections()
    try:
        result = mail_receive(raw, envelope_from=envelope_from)
    finally:
        connection.close()
    return f"{result.outcome} {result.number}".strip()


class IntakeHandler:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes):
            raw = str(raw).encode("utf-8", "replace")
        if len(raw) > MAX_MAIL:
            return "552 5.3.4 Message too big"
        try:
            outcome = await sync_to_async(_receive, thread_sensitive=False)(raw, str(envelope.mail_from or ""))
        except MailSetupError as exc:
            logger.error("mail intake not configured: %s", exc)
            return "451 4.3.0 Mail intake not configured, try again later"
        except Exception:  # the sender's MTA keeps the mail and retries
            logger.exception("mail intake failed")
            return "451 4.3.0 Temporary failure, try again later"
        logger.info("mail from %s: %s", envelope.mail_from, outcome)
        return "250 2.0.0 OK"


def parse_listen(listen: str) -> tuple[str, int]:
    host, _sep, port = listen.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"listen address must be HOST:PORT, not {listen!r}")
    return host, int(port)


def start(listen: str) -> Controller:
    """Start the SMTP server in a background thread; the caller stops it with ``.stop()``."""
    check_setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    host, port = parse_listen(listen)
    controller = Controller(IntakeHandler(), hostname=host, port=port, data_size_limit=MAX_MAIL,
                            server_hostname="complaintdesk")
    controller.start()
    logger.info("mail intake listening on %s:%s", host, port)
    return controller


def serve(listen: str) -> int:
    """Serve until SIGINT or SIGTERM."""
    controller = start(listen)
    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(f"mail intake listening on {listen}", flush=True)
    try:
        stopped.wait()
    finally:
        controller.stop()
    return 0
