"""``complaintdesk report monthly --month YYYY-MM [--unit CODE] [--xlsx FILE] [--language zh-hans|en]``:
the monthly statistics (of one organisation unit and the units below it, with ``--unit``) printed
as text tables, and optionally written as an Excel workbook."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO


def add_parser(sub: Any) -> None:
    report = sub.add_parser("report", help="statistics and reports")
    report_sub = report.add_subparsers(dest="report_command", required=True)
    monthly = report_sub.add_parser("monthly", help="monthly classification statistics")
    monthly.add_argument("--month", required=True, help="YYYY-MM, in the policy's time zone")
    monthly.add_argument("--unit", default="", metavar="CODE", help="only this unit and the units below it")
    monthly.add_argument("--xlsx", metavar="FILE", help="also write the Excel workbook to FILE")
    monthly.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
    report.set_defaults(func=run)


def _print_table(out: TextIO, title: str, header: list[str], rows: list[list[Any]]) -> None:
    out.write(f"\n{title}\n")
    table = [header, *[[("" if v is None else str(v)) for v in row] for row in rows]]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for index, row in enumerate(table):
        out.write("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip() + "\n")
        if index == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def write_text(stats: dict[str, Any], out: TextIO) -> None:
    from django.utils.translation import gettext as _

    head = stats["totals"]
    out.write(_("Monthly statistics %(month)s") % {"month": stats["month"]} + f" ({stats['timezone']})\n")
    _print_table(out, _("Summary"), [_("Figure"), _("Value")], [
        [_("Registered in the month"), head["opened"]], [_("Closed in the month"), head["closed"]],
        [_("Rejected in the month"), head["rejected"]], [_("Withdrawn in the month"), head["withdrawn"]],
        [_("Still open at the end of the month"), head["open_at_end"]], [_("Repeat complaints"), head["repeats"]],
    ])
    for dimension in stats["dimensions"]:
        _print_table(out, dimension["label"], [dimension["label"], _("Complaints"), _("Share")],
                     [[row["label"], row["count"], "" if row["share"] is None else f"{row['share']} %"]
                      for row in dimension["rows"]])
    _print_table(out, _("Deadlines due in the month"),
                 [_("Clock"), _("Due"), _("Met"), _("Breached"), _("Still running"), _("On-time rate")],
                 [[r["label"], r["due"], r["met"], r["breached"], r["running"],
                   "" if r["on_time_rate"] is None else f"{r['on_time_rate']} %"] for r in stats["clocks"]])
    _print_table(out, _("Satisfaction"), [_("Satisfaction"), _("Return visits answered"), _("Share")],
                 [[r["label"], r["count"], "" if r["share"] is None else f"{r['share']} %"]
                  for r in stats["satisfaction"]["rows"]])
    cost = stats["cost"]
    rows = [[r["label"], r["currency"], r["amount"]] for r in cost["by_kind"]]
    if cost["budget"] is not None:
        rows += [[_("Spent against the budget"), cost["currency"], cost["spent"]],
                 [_("Monthly budget"), cost["currency"], cost["budget"]]]
    _print_table(out, _("Cost by kind against the budget"), [_("Cost kind"), _("Currency"), _("Amount")], rows)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")
    import django

    django.setup()
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from complaintdesk.core.errors import ValidationFailed, error_text  # after django.setup()
    from complaintdesk.core.policies import active_policy  # after django.setup()
    from complaintdesk.reports.excel import monthly_workbook  # after django.setup()
    from complaintdesk.reports.periods import parse_month  # after django.setup()
    from complaintdesk.reports.scope import report_scope  # after django.setup()
    from complaintdesk.reports.selectors.monthly import monthly_statistics  # after django.setup()

    with translation.override(args.language):
        _version, policy = active_policy()
        try:
            month = parse_month(args.month, ZoneInfo(policy.timezone), field="--month")
        except ValidationFailed as exc:
            print(f"--month: {error_text(exc)}", file=sys.stderr)
            return 2
        try:
            scope = report_scope(None, args.unit, field="--unit")
        except ValidationFailed as exc:
            print(f"--unit: {error_text(exc)}", file=sys.stderr)
            return 2
        stats = monthly_statistics(policy, month, language=args.language, scope=scope)
        write_text(stats, sys.stdout)
        if args.xlsx:
            target = Path(args.xlsx)
            body = monthly_workbook(stats, organisation=policy.organisation.get(args.language))
            partial = target.with_name(target.name + ".part")
            try:
                partial.write_bytes(body)
                partial.replace(target)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                print(f"--xlsx: {exc}", file=sys.stderr)
                return 1
            print(f"\n{target}", file=sys.stdout)
    return 0
