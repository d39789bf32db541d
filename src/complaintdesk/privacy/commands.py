"""``complaintdesk privacy …``: answer a privacy request from the command line, as a named user
(administrator or legal department), and run the retention report by hand."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_parser(sub: Any, setup: Callable[[], None]) -> None:
    privacy = sub.add_parser("privacy", help="privacy requests: export, erase, legal holds, retention")
    psub = privacy.add_subparsers(dest="privacy_command", required=True)
    for name, text in (("find", "list the person's complaints"), ("export", "export everything held"),
                       ("erase", "erase the person's personal data")):
        command = psub.add_parser(name, help=text)
        command.add_argument("--as", dest="user", required=True, help="the administrator or legal user acting")
        command.add_argument("--contact", default="", help="exact phone, e-mail, IMEI or social-media account")
        command.add_argument("--number", default="", help="one of the person's complaint numbers")
        if name == "export":
            command.add_argument("--json", metavar="FILE", help="write the JSON document to FILE (default: stdout)")
            command.add_argument("--xlsx", metavar="FILE", help="also write an Excel workbook")
        if name == "erase":
            command.add_argument("--reason", required=True, help="the request: date and how the person was identified")
    hold = psub.add_parser("hold", help="place a legal hold on a complaint")
    hold.add_argument("--as", dest="user", required=True)
    hold.add_argument("--number", required=True)
    hold.add_argument("--reason", required=True)
    release = psub.add_parser("release", help="release a legal hold")
    release.add_argument("--as", dest="user", required=True)
    release.add_argument("--hold", type=int, required=True)
    release.add_argument("--reason", required=True)
    retention = psub.add_parser("retention", help="write the retention dry-run report, or execute the pending one")
    retention.add_argument("--execute", action="store_true",
                           help="erase the complaints of the pending report now (without waiting for the grace days)")
    privacy.set_defaults(func=lambda args: run(args, setup))


def run(args: argparse.Namespace, setup: Callable[[], None]) -> int:
    setup()
    from django.contrib.auth import get_user_model

    from complaintdesk.core.errors import DomainError, ValidationFailed  # after django.setup()
    from complaintdesk.privacy import services  # after django.setup()
    from complaintdesk.privacy.export import export_workbook, person_export  # after django.setup()
    from complaintdesk.privacy.models import RetentionRun  # after django.setup()
    from complaintdesk.privacy.retention import retention_execute, retention_report  # after django.setup()

    try:
        if args.privacy_command == "retention":
            if args.execute:
                pending = RetentionRun.objects.filter(state=RetentionRun.State.PROPOSED).order_by("-created_at").first()
                if pending is None:
                    print("no pending retention report: run `complaintdesk privacy retention` first", file=sys.stderr)
                    return 1
                print(f"erased {retention_execute(run=pending)} complaint(s)")
                return 0
            report = retention_report()
            print(f"retention report {report.pk}: {report.due} complaint(s) due")
            for item in report.items:
                print(f"  {item['number']}  {item['rule']} ({item['keep']})  due {item['due']}")
            return 0
        actor = get_user_model().objects.filter(username=args.user, is_active=True).first()
        if actor is None:
            print(f"user: there is no active user {args.user}", file=sys.stderr)
            return 1
        if args.privacy_command == "hold":
            hold = services.hold_place(actor=actor, number=args.number, reason=args.reason)
            print(f"hold {hold.pk} placed on {hold.complaint.number}")
        elif args.privacy_command == "release":
            hold = services.hold_release(actor=actor, hold_id=args.hold, reason=args.reason)
            print(f"hold {hold.pk} released")
        elif args.privacy_command == "erase":
            erasures = services.person_erase(actor=actor, contact=args.contact, number=args.number,
                                             reason=args.reason)
            print("erased: " + ", ".join(e.complaint.number for e in erasures))
        else:
            complaints = services.person_complaints(actor=actor, contact=args.contact, number=args.number)
            if args.privacy_command == "find":
                for complaint in complaints:
                    print(f"{complaint.number}  {complaint.status}  {complaint.unit.code}")
                return 0
            document = person_export(actor=actor, complaints=complaints)
            text = json.dumps(document, ensure_ascii=False, indent=2)
            if args.json:
                Path(args.json).write_text(text, encoding="utf-8")
            else:
                print(text)
            if args.xlsx:
                Path(args.xlsx).write_bytes(export_workbook(document))
    except ValidationFailed as exc:
        for problem in exc.problems:
            print(f"{problem.field}: {problem.message}", file=sys.stderr)
        return 1
    except DomainError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0
