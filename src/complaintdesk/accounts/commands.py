"""``complaintdesk token create|list|revoke``: API tokens from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_token_parser(sub: Any, run: Any) -> None:
    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create a token for USER and print it")
    create.add_argument("user")
    create.add_argument("--name", default="")
    create.add_argument("--days", type=int, default=None, help="lifetime in days (default COMPLAINTDESK_TOKEN_DAYS)")
    listing = token_sub.add_parser("list", help="list tokens: prefix, user, name, created, expires, last used, state")
    listing.add_argument("--user", default=None)
    revoke = token_sub.add_parser("revoke", help="revoke the token with this prefix (as shown by list)")
    revoke.add_argument("prefix")
    token.set_defaults(func=run)


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def token_command(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from complaintdesk.accounts.services import token_create, token_list, token_revoke  # after django.setup()
    from complaintdesk.core.errors import DomainError, ValidationFailed  # after django.setup()

    action = str(args.token_command)
    try:
        if action == "create":
            _token, clear = token_create(actor=None, username=args.user, name=args.name, days=args.days)
            print(clear)
            return 0
        if action == "list":
            now = timezone.now()
            print("prefix\tuser\tname\tcreated\texpires\tlast used\tstate")
            for t in token_list(args.user):
                state = ("revoked" if t.revoked else
                         "expired" if t.expires_at is not None and t.expires_at <= now else "active")
                print(f"{t.prefix}\t{t.user.username}\t{t.name or '-'}\t{_when(t.created_at)}\t"
                      f"{_when(t.expires_at)}\t{_when(t.last_used_at)}\t{state}")
            return 0
        if action == "revoke":
            token = token_revoke(actor=None, prefix=args.prefix)
            print(f"revoked {token.prefix} ({token.user.username})")
            return 0
    except ValidationFailed as exc:
        for problem in exc.problems:
            print(f"{problem.field}: {problem.message}", file=sys.stderr)
        return 1
    except DomainError as exc:
        print(str(exc.message), file=sys.stderr)
        return 1
    return 2
