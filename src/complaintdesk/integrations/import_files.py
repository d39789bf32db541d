"""Reading a register for the import (integrations/importer.py): the heading row and the data rows of
the first sheet of an .xlsx workbook (integrations/xlsx_rows.py) or of a CSV file (UTF-8, or GB18030
as Chinese Excel saves it), read as they are used; and why a file cannot be imported at all, in the
importing user's words."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _

from complaintdesk.integrations.xlsx_rows import Sheet, XlsxError


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, no heading row, unknown columns)."""


class UnknownColumns(ImportFileError):
    """Headings that are neither a field path, a usual heading nor mapped: the command says how to map
    them with ``--map``, the import page with its mapping field (``columns`` names them)."""

    def __init__(self, columns: list[str]) -> None:
        super().__init__(_("Unknown columns: %(columns)s. Map each to a field (e.g. --map \"Tel=customer.phone\") "
                           "or remove it.") % {"columns": ", ".join(columns)})
        self.columns = columns


class BadMapping(ImportFileError):
    """A column mapping that names no field of a complaint, or a heading the file does not have."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _not_excel(path: Path, exc: Exception) -> ImportFileError:
    """Why a workbook cannot be read, in the reader's words (not the zip or XML library's)."""
    if isinstance(exc, zipfile.BadZipFile) or isinstance(exc.__cause__, zipfile.BadZipFile):
        reason = _("it is not an .xlsx workbook (an old .xls workbook, or another kind of file renamed?).")
    else:
        reason = _("the workbook is damaged or holds no worksheet.")
    return ImportFileError(_("%(file)s is not a readable Excel file: %(reason)s") % {"file": path.name,
                                                                                       "reason": reason})


def read_rows(path: Path, content: bytes | None = None) -> tuple[list[str], Iterator[list[Any]], int]:
    """Headings, the data rows and their count, from .xlsx or .csv (UTF-8, or GB18030 as Excel in
    China saves it)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        try:
            sheet = Sheet(content if content is not None else path.read_bytes())
            rows = sheet.rows()
            header = next(rows, None)
        except (XlsxError, ParseError, zipfile.BadZipFile, KeyError) as exc:
            raise _not_excel(path, exc) from exc
        if header is None:
            raise ImportFileError(_("%(file)s has no heading row.") % {"file": path.name})
        return [str(h or "").strip() for h in header], _guarded(rows, path), max(0, sheet.size - 1)
    if suffix == ".csv":
        def source() -> IO[bytes]:
            return io.BytesIO(content) if content is not None else path.open("rb")

        encoding = _csv_encoding(source, path)
        heading: list[str] | None = None
        total = 0
        for record in _csv_records(source, encoding, path):  # counted (and checked) before a row is imported
            if heading is None:
                heading = record
            else:
                total += 1
        if heading is None:
            raise ImportFileError(_("%(file)s has no heading row.") % {"file": path.name})
        return [h.strip() for h in heading], itertools.islice(_csv_records(source, encoding, path), 1, None), total
    raise ImportFileError(_("Import .xlsx or .csv files, not %(suffix)s.") % {"suffix": suffix or path.name})


def _csv_encoding(source: Callable[[], IO[bytes]], path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else GB18030 (as Chinese
    Excel saves CSV), read a block at a time; a file that is neither, or holds NUL bytes (a workbook,
    a PDF or a picture named .csv), is refused before any row is read."""
    for encoding in ("utf-8-sig", "gb18030"):  # the second pass only for a file that is not UTF-8
        decoder = codecs.getincrementaldecoder(encoding)()
        with source() as raw:
            try:
                while block := raw.read(1 << 20):
                    if b"\0" in block:
                        raise ImportFileError(_("%(file)s is not a readable CSV file: it holds binary data, not "
                                                "text (save the sheet from Excel as CSV).") % {"file": path.name})
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
        return encoding
    raise ImportFileError(_("%(file)s is not a readable CSV file: it is neither UTF-8 nor GB18030 text (save the "
                            "sheet from Excel as CSV).") % {"file": path.name})


def _csv_records(source: Callable[[], IO[bytes]], encoding: str, path: Path) -> Iterator[list[str]]:
    """The file's records, read as they are used: a register of a million rows is not held whole."""
    with source() as raw, io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="") as text:
        try:
            yield from csv.reader(text)
        except csv.Error as exc:  # in the reader's words, not the csv module's
            if "field limit" in str(exc):  # what a reader that is not strict raises: a field over its limit
                reason = _("a field is longer than %(limit)d characters (a quotation mark left open?).") % {
                    "limit": csv.field_size_limit()}
            else:
                reason = _("a line cannot be read as CSV.")
            raise ImportFileError(_("%(file)s is not a readable CSV file: %(reason)s")
                                  % {"file": path.name, "reason": reason}) from exc


def _guarded(rows: Iterator[list[Any]], path: Path) -> Iterator[list[Any]]:
    """The rows; a workbook damaged after its first row stops the import with the same message."""
    try:
        yield from rows
    except (XlsxError, ParseError, zipfile.BadZipFile) as exc:
        raise _not_excel(path, exc) from exc
