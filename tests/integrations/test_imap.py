"""The IMAP mailbox, read from a real Dovecot server on loopback (Debian package dovecot-imapd):
mails appended to the mailbox become complaints, are flagged seen and are not read twice; a mail
the intake cannot take stays unseen for the next poll."""

from __future__ import annotations

import imaplib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.complaints.models import Complaint
from complaintdesk.integrations.imap import poll_once

DOVECOT = "/usr/sbin/dovecot"
CONFIG = """base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
first_valid_uid = 1
first_valid_gid = 1
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={d}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@pytest.fixture
def dovecot(settings: Any) -> Iterator[int]:
    if not Path(DOVECOT).exists() or os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the IMAP test needs Dovecot (apt-get install dovecot-imapd) and root to start it")
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd), or not running as root")
    directory = Path(tempfile.mkdtemp(prefix="cd-dovecot-"))
    directory.chmod(0o755)
    (directory / "home").mkdir()
    shutil.chown(directory / "home", "dovecot", "dovecot")
    (directory / "users").write_text("complaints:{PLAIN}mailbox-pass\n")
    # the settings set a private umask (var/ is 0700, its files 0600): Dovecot's auth process runs as
    # its own user and must read the password file
    (directory / "users").chmod(0o644)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (directory / "dovecot.conf").write_text(CONFIG.format(d=directory, port=port))
    (directory / "dovecot.conf").chmod(0o644)
    subprocess.run([DOVECOT, "-c", str(directory / "dovecot.conf")], check=True)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    settings.COMPLAINTDESK_IMAP = {"HOST": "127.0.0.1", "PORT": str(port), "USER": "complaints",
                                   "PASSWORD": "mailbox-pass", "MAILBOX": "INBOX", "SSL": "0", "STARTTLS": "0"}
    settings.COMPLAINTDESK_MAIL_OWNER = "agent"
    settings.COMPLAINTDESK_MAIL_CLASSIFICATION = json.dumps(
        {"category": "product", "targets": ["product"], "reason_codes": ["product_quality", "software"]})
    try:
        yield port
    finally:
        subprocess.run([DOVECOT, "-c", str(directory / "dovecot.conf"), "stop"], check=False)
        shutil.rmtree(directory, ignore_errors=True)


def append(port: int, raw: bytes) -> None:
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login("complaints", "mailbox-pass")
    client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
    client.logout()


def raw_mail(message_id: str, subject: str, body: str, *extra: str) -> bytes:
    headers = ["From: Emily Carter <emily@example.com>", "To: complaints@example.com", f"Subject: {subject}",
               f"Message-ID: {message_id}", *extra, "Content-Type: text/plain; charset=utf-8"]
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()


@pytest.mark.django_db
def test_unseen_mail_becomes_complaints_once(org: Any, dovecot: int) -> None:
    append(dovecot, raw_mail("<i1@example.com>", "Charger gets hot", "The charger gets very hot."))
    append(dovecot, raw_mail("<i2@example.com>", "Away", "I am on holiday.", "Auto-Submitted: auto-replied"))
    first = poll_once()
    assert first.read == 2 and first.failed == 0
    assert sorted(line.split()[0] for line in first.outcomes) == ["auto_reply", "created"]
    assert Complaint.objects.get().reason == "Charger gets hot"
    assert poll_once().read == 0  # flagged seen: never read twice


@pytest.mark.django_db
def test_a_mail_the_intake_cannot_take_stays_unseen(org: Any, dovecot: int, settings: Any) -> None:
    from complaintdesk.integrations.mailin import MailSetupError

    append(dovecot, raw_mail("<i3@example.com>", "Screen cracked", "It cracked by itself."))
    settings.COMPLAINTDESK_MAIL_OWNER = ""
    with pytest.raises(MailSetupError):
        poll_once()
    settings.COMPLAINTDESK_MAIL_OWNER = "agent"
    assert poll_once().read == 1
    assert Complaint.objects.count() == 1
