"""``complaintdesk unit create|list|move|delete|assign|members``: the unit tree from the command
line. The operator acts as the system (``actor=None``), like ``user create``; every change goes
through the services and is audited."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO

KINDS = ["region", "branch", "store", "dealer"]


def add_unit_parser(sub: Any, run: Callable[[argparse.Namespace], int]) -> None:
    unit = sub.add_parser("unit", help="organisation units: head office, regions, branches, stores, dealers")
    unit_sub = unit.add_subparsers(dest="unit_command", required=True)
    create = unit_sub.add_parser("create", help="create a unit (under head office unless --parent)")
    create.add_argument("code")
    create.add_argument("--name-zh", required=True)
    create.add_argument("--name-en", required=True)
    create.add_argument("--parent", default=None, metavar="CODE")
    create.add_argument("--kind", default="branch", help=f"one of: {', '.join(KINDS)} (default branch)")
    create.add_argument("--prefix", default="", help="complaint number prefix (capital letters, digits)")
    unit_sub.add_parser("list", help="the tree: kind, prefix, own policy version, members, open complaints")
    move = unit_sub.add_parser("move", help="move a unit and everything below it under another unit")
    move.add_argument("code")
    move.add_argument("--parent", required=True, metavar="CODE")
    delete = unit_sub.add_parser("delete", help="delete a unit (kept inactive if it has closed complaints)")
    delete.add_argument("code")
    assign = unit_sub.add_parser("assign", help="give a user exactly these roles at a unit (empty removes)")
    assign.add_argument("username")
    assign.add_argument("--unit", required=True, metavar="CODE")
    assign.add_argument("--roles", required=True, help="comma-separated roles, e.g. agent,supervisor; '' removes")
    members = unit_sub.add_parser("members", help="who holds which roles at a unit")
    members.add_argument("code")
    unit.set_defaults(func=run)


def print_tree(out: TextIO) -> None:
    from complaintdesk.units.selectors import unit_tree  # after django.setup()

    rows = unit_tree()
    width = max((len("  " * row.depth + row.unit.code) for row in rows), default=4)
    print(f"{'code':<{width}}  {'kind':<11}  {'prefix':<8}  {'policy':<10}  {'members':>7}  {'open':>5}  name",
          file=out)
    for row in rows:
        label = "  " * row.depth + row.unit.code
        policy = row.own_version or ("active" if row.parent_code is None else "inherited")
        print(f"{label:<{width}}  {row.unit.kind:<11}  {row.unit.number_prefix or '-':<8}  "
              f"{policy:<10}  {row.members:>7}  {row.open_complaints:>5}  "
              f"{row.unit.name_zh} / {row.unit.name_en}", file=out)


def _act(args: argparse.Namespace, out: TextIO) -> int:
    from complaintdesk.units import services  # after django.setup()
    from complaintdesk.units.selectors import unit_for, unit_members  # after django.setup()

    action = str(args.unit_command)
    if action == "create":
        unit = services.unit_create(actor=None, code=args.code, name_zh=args.name_zh, name_en=args.name_en,
                                    parent=args.parent, kind=args.kind, number_prefix=args.prefix)
        print(f"created {unit.code} under {unit.parent.code if unit.parent else '-'} ({unit.path})", file=out)
    elif action == "list":
        print_tree(out)
    elif action == "move":
        unit = services.unit_move(actor=None, code=args.code, parent=args.parent)
        print(f"moved {unit.code} under {args.parent} ({unit.path})", file=out)
    elif action == "delete":
        services.unit_delete(actor=None, code=args.code)
        print(f"deleted {args.code}", file=out)
    elif action == "assign":
        roles = [role.strip() for role in str(args.roles).split(",") if role.strip()]
        held = services.membership_set(actor=None, username=args.username, unit=args.unit, roles=roles)
        if held:
            print(f"{args.username} at {args.unit}: {', '.join(m.role for m in held)}", file=out)
        else:
            print(f"{args.username} no longer belongs to {args.unit}", file=out)
    elif action == "members":
        row = unit_for(None, args.code)
        members = unit_members(row.unit)
        for member in members:
            print(f"{member.username}\t{member.name or '-'}\t{', '.join(member.roles)}", file=out)
        print(f"{len(members)} member(s) at {row.unit.code}", file=out)
    else:
        return 2
    return 0


def unit_command(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one ``unit`` subcommand; a refusal prints each field and its message and exits 1."""
    from complaintdesk.core.errors import DomainError, ValidationFailed  # after django.setup()

    out = out or sys.stdout
    err = err or sys.stderr

    try:
        return _act(args, out)
    except ValidationFailed as exc:
        for problem in exc.problems:
            print(f"{problem.field}: {problem.message}", file=err)
        return 1
    except DomainError as exc:
        print(str(exc.message), file=err)
        return 1
