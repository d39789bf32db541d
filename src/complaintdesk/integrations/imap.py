"""Reading the complaint mailbox over IMAP (when ``COMPLAINTDESK_IMAP_HOST`` is set): each unseen
mail is handed to :func:`mailin.mail_receive` and then flagged \\Seen; a mail the intake could not
take (intake not configured, database down) stays unseen and is read again at the next poll. Run
by the worker every ``COMPLAINTDESK_IMAP_INTERVAL`` seconds, or once with ``complaintdesk mail poll``."""

from __future__ import annotations

import imaplib
import logging
from dataclasses import dataclass, field

from django.conf import settings

from complaintdesk.integrations.mailin import MailSetupError, mail_receive

logger = logging.getLogger("complaintdesk.mail")


@dataclass
class PollResult:
    read: int = 0
    outcomes: list[str] = field(default_factory=list)
    failed: int = 0


def configured() -> bool:
    return bool(settings.COMPLAINTDESK_IMAP["HOST"])


def _connect() -> imaplib.IMAP4:
    config = settings.COMPLAINTDESK_IMAP
    port = int(config["PORT"])
    client: imaplib.IMAP4
    if config["SSL"] not in {"", "0", "false", "no"}:
        client = imaplib.IMAP4_SSL(config["HOST"], port, timeout=30)
    else:
        client = imaplib.IMAP4(config["HOST"], port, timeout=30)
        if config.get("STARTTLS", "") not in {"", "0", "false", "no"}:
            client.starttls()
    client.login(config["USER"], config["PASSWORD"])
    return client


def poll_once(limit: int = 200) -> PollResult:
    """Read up to ``limit`` unseen mails of the configured mailbox."""
    result = PollResult()
    client = _connect()
    try:
        status, _data = client.select(settings.COMPLAINTDESK_IMAP["MAILBOX"])
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open mailbox {settings.COMPLAINTDESK_IMAP['MAILBOX']!r}")
        status, found = client.uid("SEARCH", None, "UNSEEN")  # type: ignore[arg-type]
        uids = found[0].split() if status == "OK" and found and found[0] else []
        for uid in uids[:limit]:
            status, parts = client.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple) and isinstance(part[1], bytes)), None)
            if status != "OK" or raw is None:
                result.failed += 1
                continue
            try:
                outcome = mail_receive(raw)
            except MailSetupError:
                raise
            except Exception:  # this mail stays unseen and is tried again at the next poll
                logger.exception("IMAP mail %s could not be taken", uid)
                result.failed += 1
                continue
            client.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen)")
            result.read += 1
            result.outcomes.append(f"{outcome.outcome} {outcome.number}".strip())
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            logger.debug("IMAP logout failed", exc_info=True)
    return result
