"""The ``complaintdesk mail`` and ``complaintdesk import`` commands (registered in cli.py). Django
is set up by the handler, so building the parser imports no model."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def add_commands(sub: argparse._SubParsersAction, setup: Callable[[], None]) -> None:  # type: ignore[type-arg]
    mail = sub.add_parser("mail", help="the complaint mail address: SMTP server, IMAP mailbox")
    mail_sub = mail.add_subparsers(dest="mail_command", required=True)
    serve = mail_sub.add_parser("serve", help="receive mail with an SMTP server (aiosmtpd)")
    serve.add_argument("--listen", default="", help="HOST:PORT (default COMPLAINTDESK_MAIL_LISTEN or 127.0.0.1:2525)")
    receive = mail_sub.add_parser("receive", help="take one mail from a file (or standard input)")
    receive.add_argument("file", nargs="?", default="-")

    def run_mail(args: argparse.Namespace) -> int:
        setup()
        from django.conf import settings

        from complaintdesk.integrations.mailin import MailSetupError, mail_receive

        try:
            if args.mail_command == "serve":
                from complaintdesk.integrations.mailserver import serve as serve_mail

                return serve_mail(args.listen or settings.COMPLAINTDESK_MAIL_LISTEN or "127.0.0.1:2525")
            raw = sys.stdin.buffer.read() if args.file == "-" else open(args.file, "rb").read()  # noqa: SIM115
            result = mail_receive(raw)
        except (MailSetupError, ValueError) as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(f"{result.outcome} {result.number}".strip())
        for problem in result.problems:
            print(f"{problem['field']}: {problem['message']}", file=sys.stderr)
        return 0 if result.outcome != "refused" else 1

    mail.set_defaults(func=run_mail)
