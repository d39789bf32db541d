"""Exports of the complaint list and the work queues, with their filters, as CSV or Excel.

Both stream: the rows are read with a server-side iterator in chunks (never the whole result in
memory); CSV goes out as it is written, Excel is written row by row by openpyxl's write-only
workbook into a temporary file that is then streamed. The rows are the complaints the user may see
(the list's own selector, so a department handler exports only its work orders' complaints).
Customer contact details and typed text are not exported."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.listing import QUEUE_NAMES, ComplaintFilter, complaint_list, filters_from
from complaintdesk.core.i18n import listed
from complaintdesk.core.names import full_name
from complaintdesk.policy.schema import Policy
from complaintdesk.reports.labels import label_of

CHUNK = 2000
FIELDS = ("number", "received_at", "registered_at", "status", "level", "category", "channel", "targets",
          "owner__first_name", "owner__last_name", "owner__username", "product__model", "reply_due_at",
          "resolved_at", "closed_at", "unit__name_zh", "unit__name_en", "source_number")
QUEUE_FILTERS = {
    "new": ComplaintFilter(status="registered"),
    "mine": ComplaintFilter(owner="me", status="open"),
    "soon": ComplaintFilter(due="soon", status="open"),
    "overdue": ComplaintFilter(due="overdue", status="open"),
}


# characters an Excel sheet name may not hold, each replaced by its full-width form, which it may
SHEET_NAME_SAFE = str.maketrans({"/": "／", "\\": "＼", "*": "＊", "?": "？", ":": "：", "[": "［", "]": "］"})


def export_title(source: str, policy: Policy, language: str) -> str:
    """The Excel sheet's name for an export's source (``complaints``, ``queue-<kind>``), in the
    reader's language, without the characters a sheet name may not hold."""
    kind = source.removeprefix("queue-")
    if kind in QUEUE_NAMES:  # named as the console names the queue
        title = str(QUEUE_NAMES[kind])
    elif kind.startswith("level-"):
        title = label_of(policy.levels, kind.removeprefix("level-"), language)
    else:
        title = _("Complaints")
    return title.translate(SHEET_NAME_SAFE)[:31]


def list_filters(params: Mapping[str, str]) -> ComplaintFilter:
    """The complaint list's filters from its query string (the same parameters and reading as the
    list page; a date that cannot be read is left out there with a message, and here)."""
    query = QueryDict(mutable=True)
    query.update(params)
    return filters_from(query)[0]


def queue_filters(kind: str, policy: Policy) -> ComplaintFilter | None:
    """The filters of a work queue (``mine``, ``soon``, ``overdue``, ``level-<code>``); None if unknown."""
    if kind in QUEUE_FILTERS:
        return QUEUE_FILTERS[kind]
    if kind.startswith("level-") and kind.removeprefix("level-") in {lvl.code for lvl in policy.levels}:
        return ComplaintFilter(level=kind.removeprefix("level-"), status="open")
    return None


def export_rows(user: Any, filters: ComplaintFilter) -> QuerySet[Any]:
    return complaint_list(user, filters).values_list(*FIELDS)


def headers() -> list[str]:
    return [_("Number"), _("Received at"), _("Registered at"), _("Status"), _("Level"), _("Category"),
            _("Channel"), _("Targets"), _("Owner"), _("Product model"), _("Promised reply"), _("Resolved at"),
            _("Closed at"), _("Unit"), _("Number in the earlier system")]


class Formatter:
    """Turns a row of codes into readable cells in the reader's language and the policy's zone."""

    def __init__(self, policy: Policy, language: str) -> None:
        self.tz = ZoneInfo(policy.timezone)
        self.status = {code: str(label) for code, label in Complaint.Status.choices}
        self.level = {item.code: item.label.get(language) for item in policy.levels}
        self.category = {item.code: item.label.get(language) for item in policy.categories}
        self.channel = {item.code: item.label.get(language) for item in policy.channels}
        self.targets = policy.targets
        self.language = language

    def moment(self, value: datetime | None) -> datetime | None:
        return value.astimezone(self.tz).replace(tzinfo=None) if value else None

    def row(self, values: tuple[Any, ...]) -> list[Any]:
        (number, received, registered, status, level, category, channel, targets, first, last, username, model,
         reply_due, resolved, closed, unit_zh, unit_en, source_number) = values
        return [number, self.moment(received), self.moment(registered), self.status.get(status, status),
                self.level.get(level, level), self.category.get(category, category),
                self.channel.get(channel, channel),
                listed((label_of(self.targets, t, self.language) for t in (targets or [])), self.language),
                full_name(first or "", last or "") or username or "", model or "", self.moment(reply_due),
                self.moment(resolved), self.moment(closed),
                unit_zh if self.language.startswith("zh") else unit_en, source_number]


class _Echo:
    """A file-like object whose write returns the text, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[tuple[Any, ...]], formatter: Formatter) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # byte-order mark: Excel then reads the UTF-8 Chinese correctly
    yield writer.writerow(headers())
    for values in rows:
        cells = formatter.row(values)
        yield writer.writerow([f"{c:%Y-%m-%d %H:%M}" if isinstance(c, datetime) else c for c in cells])


def xlsx_file(rows: Iterable[tuple[Any, ...]], formatter: Formatter, title: str) -> IO[bytes]:
    """A write-only workbook written row by row into a temporary file, rewound for streaming."""
    from openpyxl import Workbook  # lazy: memory (openpyxl is 18 MB; the web workers seldom write a workbook)
    from openpyxl.cell import WriteOnlyCell  # lazy: memory
    from openpyxl.styles import Font, PatternFill  # lazy: memory

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    widths = [22, 17, 17, 12, 14, 22, 16, 22, 14, 18, 17, 17, 17, 18, 18]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="305496")
    header_cells = []
    for text in headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = bold, fill
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in rows:
        # plain values: openpyxl gives datetimes a date format by itself, and cells per value are slow
        sheet.append(formatter.row(values))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the streaming response)
    workbook.save(handle)
    handle.seek(0)
    return handle
