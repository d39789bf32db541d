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
    mail_sub.add_parser("poll", help="read the unseen mail of the IMAP mailbox once (COMPLAINTDESK_IMAP_*)")
    receive = mail_sub.add_parser("receive", help="take one mail from a file (or standard input)")
    receive.add_argument("file", nargs="?", default="-")

    def run_mail(args: argparse.Namespace) -> int:
        setup()
        from django.conf import settings

        from complaintdesk.integrations.mailin import MailSetupError, mail_receive  # after django.setup()

        try:
            if args.mail_command == "serve":
                from complaintdesk.integrations.mailserver import serve as serve_mail  # after django.setup()

                return serve_mail(args.listen or settings.COMPLAINTDESK_MAIL_LISTEN or "127.0.0.1:2525")
            if args.mail_command == "poll":
                import imaplib

                from complaintdesk.integrations.imap import configured, poll_once  # after django.setup()

                if not configured():
                    print("set COMPLAINTDESK_IMAP_HOST (and _USER, _PASSWORD) to read a mailbox", file=sys.stderr)
                    return 1
                try:
                    polled = poll_once()
                except (OSError, imaplib.IMAP4.error) as exc:
                    print(f"IMAP: {exc}", file=sys.stderr)
                    return 1
                for line in polled.outcomes:
                    print(line)
                print(f"{polled.read} mail(s) read, {polled.failed} left for the next poll")
                return 0 if not polled.failed else 1
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


def add_import(sub: argparse._SubParsersAction, setup: Callable[[], None]) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("import", help="import a complaint register from .xlsx or .csv")
    parser.add_argument("file")
    parser.add_argument("--as", dest="user", required=True, help="the user who registers and owns the complaints")
    parser.add_argument("--map", action="append", default=[], metavar="HEADING=FIELD",
                        help="map a column heading to a field path (customer.phone, facts.imei …)")
    parser.add_argument("--report", default="", help="where to write the Excel report of refused rows "
                                                     "(default FILE-refused.xlsx next to the file)")
    parser.add_argument("--batch", type=int, default=1000, help="rows per transaction")
    parser.add_argument("--dry-run", action="store_true", help="validate every row, write nothing")
    parser.add_argument("--again", action="store_true",
                        help="import the file even though the same file was imported before (its complaints "
                             "would be registered a second time)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="processes validating rows beside this one, which writes them (default: one fewer "
                             "than the processors, at least one, or one per processor with --dry-run; 0: this one "
                             "validates them)")
    parser.set_defaults(func=lambda args: _run_import(args, setup))


def _progress_bar(done: int, total: int, started: float) -> None:
    import time

    from django.utils.translation import gettext as _

    width = 30
    share = done / total if total else 1.0
    rate = done / max(time.monotonic() - started, 1e-6)
    bar = "#" * round(share * width)
    counts = _("%(done)s/%(total)s rows, %(rate)s rows/s") % {"done": done, "total": total, "rate": f"{rate:,.0f}"}
    sys.stderr.write(f"\r[{bar:<{width}}] {share:4.0%} {counts}")
    sys.stderr.flush()


def _run_import(args: argparse.Namespace, setup: Callable[[], None]) -> int:
    import time
    from pathlib import Path

    setup()
    from django.utils import translation
    from django.utils.translation import gettext as _

    from complaintdesk.accounts.models import User  # after django.setup()
    from complaintdesk.core.errors import DomainError  # after django.setup()
    from complaintdesk.integrations.import_once import ImportedBefore  # after django.setup()
    from complaintdesk.integrations.import_pool import validating_jobs  # after django.setup()
    from complaintdesk.integrations.importer import (  # after django.setup()
        ImportFileError,
        complaints_import,
        error_report,
    )

    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None:  # in the installation's language: the user's own is not known
        print(_("--as: there is no active user %(user)s.") % {"user": repr(args.user)}, file=sys.stderr)
        return 2
    translation.activate(user.language)  # everything from here on in the importing user's language
    if args.jobs is not None and args.jobs < 0:
        print(_("--jobs %(jobs)s: write 0 or more.") % {"jobs": args.jobs}, file=sys.stderr)
        return 2
    mapping = {}
    for item in args.map:
        heading, sep, path = item.partition("=")
        if not sep:
            print(_("--map %(item)s: write HEADING=FIELD.") % {"item": repr(item)}, file=sys.stderr)
            return 2
        mapping[heading.strip()] = path.strip()
    file = Path(args.file)
    if not file.is_file():
        print(_("%(file)s: there is no such file.") % {"file": file}, file=sys.stderr)
        return 2
    jobs = validating_jobs(writing=not args.dry_run) if args.jobs is None else args.jobs
    started = time.monotonic()
    try:
        result = complaints_import(actor=user, path=file, mapping=mapping, batch=max(1, args.batch),
                                   dry_run=args.dry_run, jobs=jobs, again=args.again,
                                   progress=lambda done, total: _progress_bar(done, total, started))
    except (ImportFileError, DomainError) as exc:
        print(str(getattr(exc, "message", exc)), file=sys.stderr)
        if isinstance(exc, ImportedBefore):
            print(_("To import it all the same, add --again."), file=sys.stderr)
        for problem in getattr(exc, "problems", None) or []:  # what is wrong, not only how many things
            option = {"owner": "--as"}.get(problem.field, problem.field)
            print(f"{option}: {problem.message}", file=sys.stderr)
        return 1
    sys.stderr.write("\n")
    counts = {"total": result.total, "imported": result.imported, "refused": len(result.refused),
              "seconds": f"{result.seconds:.1f}", "rate": f"{result.rate:,.0f}"}
    if args.dry_run:
        print(_("%(total)s rows read, %(imported)s valid (dry run, nothing written), %(refused)s refused in "
                "%(seconds)s s (%(rate)s rows/s)") % counts)
    else:
        print(_("%(total)s rows read, %(imported)s imported, %(refused)s refused in %(seconds)s s "
                "(%(rate)s rows/s)") % counts)
    if result.refused:
        report = Path(args.report) if args.report else file.with_name(f"{file.stem}-refused.xlsx")
        report.write_bytes(error_report(result))
        print(_("The refused rows and their reasons: %(report)s") % {"report": report})
        return 1
    return 0
