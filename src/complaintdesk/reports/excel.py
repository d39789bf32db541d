"""The monthly statistics as an Excel workbook: a summary sheet, one sheet per dimension, the
clocks, satisfaction and cost; headers in the active language, bold on a tinted row, frozen,
filterable, with widths fitted to the content and percentages formatted as such."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

PERCENT = "0.0%"
MONEY = "#,##0.00"
_BAD_TITLE = re.compile(r"[\[\]\*\?/\\:]")


def _title(name: str, used: set[str]) -> str:
    """A valid, unique sheet title (at most 31 characters, none of []*?/\\:)."""
    base = _BAD_TITLE.sub(" ", name).strip()[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _width(value: Any) -> int:
    text = str(value if value is not None else "")
    # CJK characters take about two columns
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet(workbook: Workbook, used: set[str], name: str, heading: str, headers: Sequence[str],
           rows: Sequence[Sequence[Any]], formats: dict[int, str] | None = None) -> Worksheet:
    # lazy: memory (openpyxl is 18 MB; only a workbook needs it)
    from openpyxl.styles import Alignment, Font, PatternFill  # lazy: memory
    from openpyxl.utils import get_column_letter  # lazy: memory

    sheet: Worksheet = workbook.create_sheet(_title(name, used))
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(headers))
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="305496")
    for cell in sheet[2]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(list(row))
    formats = formats or {}
    for column, number_format in formats.items():
        for (cell,) in sheet.iter_rows(min_row=3, min_col=column, max_col=column):
            cell.number_format = number_format
    for index, header in enumerate(headers, start=1):
        values = [header, *(row[index - 1] for row in rows)]
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, max(map(_width, values)) + 2))
    sheet.freeze_panes = "A3"
    if rows:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{len(rows) + 2}"
    return sheet


def _fraction(percent: float | None) -> float | None:
    return None if percent is None else percent / 100


def monthly_workbook(stats: dict[str, Any], *, organisation: str, parts: set[str] | None = None) -> bytes:
    """The workbook of :func:`complaintdesk.reports.selectors.monthly.monthly_statistics`; ``parts``
    limits it to some dimensions (codes), ``clocks``, ``satisfaction`` and ``cost`` (the summary is
    always there)."""

    def wanted(code: str) -> bool:
        return parts is None or code in parts

    from openpyxl import Workbook  # lazy: memory (openpyxl is 18 MB; the web workers seldom write a workbook)

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    month = stats["month"]
    heading = _("%(organisation)s — complaint statistics %(month)s") % {"organisation": organisation, "month": month}
    head = stats["totals"]
    summary = [
        (_("Registered in the month"), head["opened"]),
        (_("Closed in the month"), head["closed"]),
        (_("Rejected in the month"), head["rejected"]),
        (_("Withdrawn in the month"), head["withdrawn"]),
        (_("Still open at the end of the month"), head["open_at_end"]),
        (_("Repeat complaints"), head["repeats"]),
        (_("Time zone"), stats["timezone"]),
    ]
    if stats.get("unit"):
        summary.insert(0, (_("Unit"), stats["unit"]["label"]))
    _sheet(workbook, used, _("Summary"), heading, [_("Figure"), _("Value")], summary)
    count, percent = _("Complaints"), _("Share")
    for dimension in stats["dimensions"]:
        if not wanted(dimension["code"]) or dimension["code"] == "unit":  # the "By unit" sheet has it
            continue
        if dimension["code"] in {"reason", "root_cause"}:
            rows = [(row["depth"] or "", row["label"], row["count"], _fraction(row["share"]))
                    for row in dimension["rows"]]
            _sheet(workbook, used, dimension["label"], f"{dimension['label']} · {month}",
                   [_("Reason level"), dimension["label"], count, percent], rows, {4: PERCENT})
            continue
        plain = [(row["label"], row["count"], _fraction(row["share"])) for row in dimension["rows"]]
        _sheet(workbook, used, dimension["label"], f"{dimension['label']} · {month}",
               [dimension["label"], count, percent], plain, {3: PERCENT})
    if wanted("clocks"):
        _clock_sheet(workbook, used, stats, month)
    if wanted("satisfaction"):
        _satisfaction_sheet(workbook, used, stats, month)
    if wanted("cost"):
        _cost_sheet(workbook, used, stats, month)
    if wanted("unit") and stats.get("units") is not None:
        _unit_sheet(workbook, used, stats, month)
    # computed only for a scheduled report whose dimensions name them (reports/services/scheduled.py)
    if wanted("staff") and stats.get("staff") is not None:
        _staff_sheet(workbook, used, stats, month)
    if wanted("customer_files") and stats.get("customer_files") is not None:
        _files_sheet(workbook, used, stats, month)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unit_sheet(workbook: Workbook, used: set[str], stats: dict[str, Any], month: str) -> None:
    """The "By unit" sheet: each unit of the reader's (or the filtered) part of the tree, indented
    under its parent."""
    rows = [("\u3000" * max(0, row["depth"]) + row["label"], row["opened"], row["finished"], row["open_at_end"])
            for row in stats["units"]]
    _sheet(workbook, used, _("By unit"), f"{_('By unit')} · {month}",
           [_("Unit"), _("Registered in the month"), _("Finished in the month"),
            _("Still open at the end of the month")], rows)


def _clock_sheet(workbook: Workbook, used: set[str], stats: dict[str, Any], month: str) -> None:
    clock_rows = [(row["label"], row["due"], row["met"], row["breached"], row["running"], row["paused"],
                   row["extended"], _fraction(row["on_time_rate"])) for row in stats["clocks"]]
    _sheet(workbook, used, _("Deadlines"), f"{_('Deadlines due in the month')} · {month}",
           [_("Clock"), _("Due"), _("Met"), _("Breached"), _("Still running"), _("Paused"), _("Extended"),
            _("On-time rate")], clock_rows, {8: PERCENT})


def _satisfaction_sheet(workbook: Workbook, used: set[str], stats: dict[str, Any], month: str) -> None:
    percent = _("Share")
    visits = stats["satisfaction"]
    sat_rows = [(row["label"], row["count"], _fraction(row["share"])) for row in visits["rows"]]
    _sheet(workbook, used, _("Satisfaction"), f"{_('Satisfaction')} · {month}",
           [_("Satisfaction"), _("Return visits answered"), percent], sat_rows, {3: PERCENT})


def _cost_sheet(workbook: Workbook, used: set[str], stats: dict[str, Any], month: str) -> None:
    money = stats["cost"]
    cost_rows: list[tuple[Any, ...]] = [
        (row["label"], row["currency"], _("yes") if row["counts_against_budget"] else _("no"), row["amount"])
        for row in money["by_kind"]]
    if money["budget"] is not None:
        cost_rows += [(_("Spent against the budget"), money["currency"], "", money["spent"]),
                      (_("Monthly budget"), money["currency"], "", money["budget"]),
                      (_("Left"), money["currency"], "", money["left"])]
    _sheet(workbook, used, _("Cost"), f"{_('Cost by kind against the budget')} · {month}",
           [_("Cost kind"), _("Currency"), _("Counts against the budget"), _("Amount")],
           [tuple(float(v) if isinstance(v, Decimal) else v for v in row) for row in cost_rows], {4: MONEY})


def _staff_sheet(workbook: Workbook, used: set[str], stats: dict[str, Any], month: str) -> None:
    """The judgements of complaints about staff made in the period, per staff member (docs/reports.md,
    "Staff accountability")."""
    rows = [(row["name"], row["team"], row["judged"], row["valid"], row["invalid"], row["company_at_fault"],
             row["appeals"], row["upheld"], row["changed"], _fraction(row["valid_share"])) for row in stats["staff"]]
    heading = _("Judgements of complaints about staff")  # apart: gettext's extraction skips f-strings
    _sheet(workbook, used, _("By staff member"), f"{heading} · {month}",
           [_("Staff member"), _("Team"), _("Judged"), _("Valid"), _("Invalid"), _("Company at fault"),
            _("Appeals"), _("Judgement upheld"), _("Judgement changed"), _("Valid share")], rows, {10: PERCENT})


def _files_sheet(workbook: Workbook, used: set[str], stats: dict[str, Any], month: str) -> None:
    """One customer file per unit and customer whose complaint was registered in the period."""
    files = stats["customer_files"]
    rows = [(row["unit"], row["customer"], row["numbers"], *row["values"], row["missing"]) for row in files["rows"]]
    heading = _("Customer files of the period")
    _sheet(workbook, used, _("Customer files"), f"{heading} · {month}",
           [_("Unit"), _("Customer"), _("Complaints"), *files["fields"], _("Missing from the file")], rows)
