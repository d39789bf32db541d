"""The ``complaintdesk`` command.

    complaintdesk demo [--preset NAME] [--port N]     migrate, load a demo organisation, serve web + worker
    complaintdesk serve [--bind ADDR] [--workers N]   gunicorn with production settings
    complaintdesk worker [--sweep-interval S]         task worker and clock sweep (imports and large
                         [--only default|bulk]        exports in a bulk process it starts)
    complaintdesk migrate                             create or update the database tables
    complaintdesk policy check FILE|PRESET ...        exit 1 with file:line: message lines
    complaintdesk policy show FILE|PRESET             a readable summary
    complaintdesk policy show --unit CODE             the policy in force at a unit (own or inherited)
    complaintdesk policy install FILE|PRESET          install and activate a policy version
    complaintdesk policy install FILE --unit CODE     a unit's own version, within the inherited fixed rules
    complaintdesk policy remove --unit CODE           the unit returns to its parent's policy
    complaintdesk policy replay FILE|PRESET --since DAY [--xlsx OUT]  what a candidate would change, nothing written
    complaintdesk calendar status|check FILE|load FILE  official holiday schedules (calendar files)
    complaintdesk token create USER [--name N] [--days D]  print a new API token (expires)
    complaintdesk token list [--user U] | revoke PREFIX   list or revoke API tokens
    complaintdesk user create NAME --role R ...       create a user
    complaintdesk unit create|list|move|delete|assign|members   organisation units and who belongs where
    complaintdesk report monthly --month YYYY-MM [--xlsx FILE]   monthly statistics (text, Excel)
    complaintdesk audit verify                        check the hash chain of the audit trail
    complaintdesk backup FILE [--check] | restore FILE    database, uploads, keys; verified
    complaintdesk keys rotate search|audit|data       replace a key, recompute what depends on it
    complaintdesk mail serve|receive                  the complaint mail address (docs/integrations.md)
    complaintdesk import FILE --as USER [--map H=F]   import a complaint register (.xlsx/.csv)
    complaintdesk privacy find|export|erase|hold|release|retention   privacy requests (docs/security.md)
    complaintdesk manage ARGS...                      any Django management command
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from complaintdesk.accounts.commands import add_token_parser
from complaintdesk.core.lean import ninja_without_the_test_package
from complaintdesk.security.commands import add_backup_parsers, add_keys_parser
from complaintdesk.units.commands import add_unit_parser

if TYPE_CHECKING:
    from complaintdesk.policy.load import LoadedPolicy


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")
    import django

    ninja_without_the_test_package()  # before django.setup(): the server and the worker 6 MB lighter
    django.setup()


def _policy(args: argparse.Namespace) -> int:
    from complaintdesk.policy.check import check  # after django.setup()
    from complaintdesk.policy_show import show, show_unit  # after django.setup()

    if args.policy_command == "check":
        return check(args.targets, sys.stdout)
    if args.policy_command == "show":
        if args.unit:
            _django()
            return show_unit(args.unit, sys.stdout, args.language)
        if not args.target:
            print("policy show needs FILE|PRESET or --unit CODE", file=sys.stderr)
            return 2
        return show(args.target, sys.stdout, args.language)
    if args.policy_command == "replay":
        _django()
        from django.conf import settings

        from complaintdesk.policy_replay import replay_command  # after django.setup()

        return replay_command(args.target, args.since, sys.stdout, sys.stderr,
                              language=args.language or settings.LANGUAGE_CODE, xlsx=args.xlsx or "")
    if args.policy_command == "remove":
        _django()
        return _unit_policy_remove(args.unit)
    if args.policy_command == "install":
        _django()
        from complaintdesk.core.policies import policy_install  # after django.setup()
        from complaintdesk.policy.load import PolicyError, load_policy, resolve  # after django.setup()

        try:
            loaded = load_policy(resolve(args.target))
        except PolicyError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            return 1
        if args.unit:
            return _unit_policy_install(args.unit, loaded)
        version = policy_install(actor=None, loaded=loaded)
        print(f"installed and active: {version}")
        return 0
    return 2


def _unit_policy_install(code: str, loaded: LoadedPolicy) -> int:
    from complaintdesk.core.errors import DomainError  # after django.setup()
    from complaintdesk.units.services import unit_policy_install  # after django.setup()

    try:
        version = unit_policy_install(actor=None, unit=code, loaded=loaded)
    except DomainError as exc:
        return _refused(exc)
    print(f"installed for unit {code}: {version}")
    return 0


def _refused(exc: Any) -> int:
    """A service's refusal on standard error: its message, then each field's problem."""
    print(str(exc.message), file=sys.stderr)
    for problem in exc.problems:
        print(f"{problem.field}: {problem.message}", file=sys.stderr)
    return 1


def _unit_policy_remove(code: str) -> int:
    from complaintdesk.core.errors import DomainError  # after django.setup()
    from complaintdesk.units.services import unit_policy_remove  # after django.setup()

    try:
        version = unit_policy_remove(actor=None, unit=code)
    except DomainError as exc:
        return _refused(exc)
    print(f"unit {code} follows {version}")
    return 0


def _token(args: argparse.Namespace) -> int:
    _django()
    from complaintdesk.accounts.commands import token_command  # after django.setup()

    return token_command(args)


def _user(args: argparse.Namespace) -> int:
    _django()
    import getpass

    from complaintdesk.accounts.services import user_create  # after django.setup()
    from complaintdesk.core.errors import DomainError, ValidationFailed  # after django.setup()
    from complaintdesk.policy.schema import Role  # after django.setup()

    password = os.environ.get("COMPLAINTDESK_PASSWORD") or getpass.getpass(f"password for {args.username}: ")
    try:
        roles = [Role(role) for role in args.role]
    except ValueError as exc:
        print(f"unknown role: {exc}; roles: {', '.join(r.value for r in Role)}", file=sys.stderr)
        return 1
    try:
        user_create(actor=None, username=args.username, password=password, roles=roles,
                    department_code=args.department, language=args.language)
    except ValidationFailed as exc:
        for problem in exc.problems:
            print(f"{problem.field}: {problem.message}", file=sys.stderr)
        return 1
    except DomainError as exc:
        print(str(exc.message), file=sys.stderr)
        return 1
    print(f"created {args.username}")
    return 0


def _unit(args: argparse.Namespace) -> int:
    _django()
    from complaintdesk.units.commands import unit_command  # after django.setup()

    return unit_command(args)


def _backup(args: argparse.Namespace) -> int:
    _django()
    from complaintdesk.security.commands import backup_command  # after django.setup()

    return backup_command(args)


def _restore(args: argparse.Namespace) -> int:
    _django()
    from complaintdesk.security.commands import restore_command  # after django.setup()

    return restore_command(args)


def _keys(args: argparse.Namespace) -> int:
    _django()
    from complaintdesk.security.commands import keys_command  # after django.setup()

    return keys_command(args)


def _audit(args: argparse.Namespace) -> int:
    _django()
    from complaintdesk.core.audit import verify_chain, verify_checkpoint  # after django.setup()
    from complaintdesk.core.models import AuditEvent  # after django.setup()

    problems = [*verify_chain(), *verify_checkpoint()]
    for problem in problems:
        print(f"event {problem.event_id}: {problem.message}")
    total = AuditEvent.objects.count()
    print(f"{total} events, {len(problems)} problem(s)")
    return 1 if problems else 0


def _capabilities(args: argparse.Namespace) -> int:
    _django()
    from complaintdesk.accounts.capabilities import markdown  # after django.setup()

    sys.stdout.write(markdown())
    return 0


def _calendar(args: argparse.Namespace) -> int:
    """Check or load an official yearly holiday schedule (calendar file)."""
    import shutil
    from datetime import UTC, datetime
    from pathlib import Path

    from complaintdesk.worktime import CalendarFileError, ChinaCalendar, load_calendar_file  # after django.setup()

    _django()
    from django.conf import settings

    directory = Path(settings.COMPLAINTDESK_CALENDAR_DIR)
    if args.calendar_command == "status":
        calendar = ChinaCalendar(directory)
        today = datetime.now(UTC).date()
        known = sorted(calendar.known_years())
        print(f"calendar directory: {directory}")
        print(f"official years: {known[0]}–{known[-1]}" if known else "official years: none")
        for year in (today.year, today.year + 1):
            state = "official" if year in known else "PROVISIONAL (weekdays minus statutory holidays)"
            print(f"  {year}: {state}")
        return 0
    try:
        schedule = load_calendar_file(Path(args.file))
    except CalendarFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    if args.calendar_command == "check":
        print(f"{args.file}: ok ({schedule.country} {schedule.year}, {len(schedule.holidays)} holidays, "
              f"{len(schedule.workdays)} adjusted working days)")
        return 0
    target = directory / f"{schedule.country.lower()}-{schedule.year}.yaml"
    for existing in directory.glob("*.y*ml"):
        if existing.resolve() != target.resolve():
            try:
                other = load_calendar_file(existing)
            except CalendarFileError:
                continue
            if (other.country, other.year) == (schedule.country, schedule.year):
                existing.unlink()
    shutil.copyfile(args.file, target)
    from django.db import DatabaseError

    from complaintdesk.clocks.recompute import clocks_recompute_provisional  # after django.setup()

    try:
        recomputed = f"{clocks_recompute_provisional()} provisional deadline(s) recomputed"
    except DatabaseError:
        recomputed = "the database is not migrated yet, nothing to recompute"
    print(f"loaded {schedule.country} {schedule.year} into {target}; {recomputed}; running processes pick "
          "the file up at once")
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    return 0


def _manage(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["complaintdesk", *args.rest])
    return 0


def _serve(args: argparse.Namespace) -> int:
    from complaintdesk.server import serve  # after django.setup()

    return serve(bind=args.bind, workers=args.workers)


def _worker(args: argparse.Namespace) -> int:
    _django()
    from complaintdesk.worker import run_worker  # after django.setup()

    return run_worker(sweep_interval=args.sweep_interval, once=args.once, only=args.only)


def _demo(args: argparse.Namespace) -> int:
    from complaintdesk.demo import run_demo  # after django.setup()

    return run_demo(preset=args.preset, port=args.port, serve=not args.no_serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="complaintdesk", description="Formal complaint handling.")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="migrate, load a demo organisation and serve web + worker")
    demo.add_argument("--preset", default="phone_maker")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="prepare the demo data and exit")
    demo.set_defaults(func=_demo)

    serve = sub.add_parser("serve", help="serve the web application with gunicorn")
    serve.add_argument("--bind", default="127.0.0.1:8000")
    serve.add_argument("--workers", type=int, default=2)
    serve.set_defaults(func=_serve)

    worker = sub.add_parser("worker", help="run background tasks and the clock sweep")
    worker.add_argument("--sweep-interval", type=float, default=15.0)
    worker.add_argument("--once", action="store_true", help="run due tasks and one sweep, then exit")
    worker.add_argument("--only", choices=["default", "bulk"], default=None,
                        help="one queue: default (messages, webhooks, the sweep; no bulk process) or bulk "
                             "(imports and large exports only); by default the bulk queue runs in a process "
                             "this worker starts")
    worker.set_defaults(func=_worker)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    migrate.set_defaults(func=_migrate)

    policy = sub.add_parser("policy", help="check, show or install policy files")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True)
    check = policy_sub.add_parser("check", help="check policy files or presets")
    check.add_argument("targets", nargs="+", metavar="FILE|PRESET")
    show = policy_sub.add_parser("show", help="summarise a policy")
    show.add_argument("target", metavar="FILE|PRESET", nargs="?")
    show.add_argument("--language", default="en", choices=["en", "zh-hans"])
    show.add_argument("--unit", metavar="CODE", help="the policy in force at this organisation unit")
    install = policy_sub.add_parser("install", help="install and activate a policy")
    install.add_argument("target", metavar="FILE|PRESET")
    install.add_argument("--unit", metavar="CODE", help="install as this unit's own policy (not activated)")
    replay = policy_sub.add_parser("replay", help="re-evaluate recorded complaints under a candidate policy")
    replay.add_argument("target", metavar="FILE|PRESET")
    replay.add_argument("--since", required=True, metavar="YYYY-MM-DD", help="complaints registered from this day")
    replay.add_argument("--xlsx", metavar="OUT", help="also write one row per difference to this Excel file")
    replay.add_argument("--language", choices=["en", "zh-hans"], help="default: the LANGUAGE setting")
    remove = policy_sub.add_parser("remove", help="a unit returns to its parent's policy")
    remove.add_argument("--unit", metavar="CODE", required=True)
    policy.set_defaults(func=_policy)

    calendar = sub.add_parser("calendar", help="official holiday schedules (calendar files)")
    calendar_sub = calendar.add_subparsers(dest="calendar_command", required=True)
    calendar_sub.add_parser("status", help="which years are official and which provisional")
    cal_check = calendar_sub.add_parser("check", help="check a calendar file")
    cal_check.add_argument("file")
    cal_load = calendar_sub.add_parser("load", help="check a calendar file and add it to the calendar directory")
    cal_load.add_argument("file")
    calendar.set_defaults(func=_calendar)

    add_token_parser(sub, _token)
    add_backup_parsers(sub, _backup, _restore)
    add_keys_parser(sub, _keys)

    user = sub.add_parser("user", help="users")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    user_new = user_sub.add_parser("create", help="create a user (password from COMPLAINTDESK_PASSWORD or a prompt)")
    user_new.add_argument("username")
    user_new.add_argument("--role", action="append", default=[], required=True)
    user_new.add_argument("--department")
    user_new.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
    user.set_defaults(func=_user)
    add_unit_parser(sub, _unit)

    audit = sub.add_parser("audit", help="audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="verify the hash chain")
    audit.set_defaults(func=_audit)

    capabilities = sub.add_parser("capabilities", help="the capability table: every endpoint and page × role")
    capabilities.add_argument("--markdown", action="store_true", required=True,
                              help="as the Markdown tables of docs/security.md")
    capabilities.set_defaults(func=_capabilities)

    from complaintdesk.reports.cli import add_parser as add_report_parser  # after django.setup()

    add_report_parser(sub)
    from complaintdesk.integrations.commands import add_commands, add_import  # after django.setup()

    add_commands(sub, _django)
    add_import(sub, _django)

    from complaintdesk.privacy.commands import add_parser as add_privacy_parser  # after django.setup()

    add_privacy_parser(sub, _django)
    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
