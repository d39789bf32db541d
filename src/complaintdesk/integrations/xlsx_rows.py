"""Reading the first sheet of an .xlsx workbook row by row, straight from the zip, for the import.

openpyxl builds a cell object per cell even in read-only mode (≈ 0.4 ms per 17-column row); the
import needs only the values. Here the sheet's XML is read a block at a time with
``xml.etree.ElementTree.XMLPullParser`` (iterparse's incremental form) and each ``<row>`` becomes a
list of values, as ``iter_rows(values_only=True)`` of a read-only, ``data_only`` openpyxl workbook
gives them: shared strings resolved (phonetic runs left out, as openpyxl does), inline strings,
numbers as ``int`` or ``float``, booleans, formula results, and numbers whose cell style has a date
or time format turned into ``datetime`` / ``time`` / ``timedelta`` by openpyxl's own
``from_excel`` (1900 or 1904 date system); missing rows come as empty rows and a row is at least as
wide as the sheet's dimension says (a cell beyond a wrong dimension is kept, not dropped). The
styles part is parsed once by openpyxl's ``Stylesheet`` so that "is this a date format" has one
answer. openpyxl still writes the error report (integrations/importer.py).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any, cast
from xml.etree.ElementTree import Element, XMLPullParser, fromstring

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ROW, CELL, VALUE, INLINE, TEXT, RUN, SI = (f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}is", f"{MAIN}t", f"{MAIN}r",
                                          f"{MAIN}si")
READ = 1 << 16
_DIGITS = "0123456789"
# a row's start tag (<row r="2"> or <x:row …>), counted without parsing the sheet
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?\"")


class XlsxError(ValueError):
    """Not a workbook this reader understands (not a zip, no sheet, malformed XML)."""


def _column(reference: str) -> int:
    number = 0
    for letter in reference:
        number = number * 26 + ord(letter) - 64
    return number


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of ``part``."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", f"{name}.rels")
    if path not in archive.namelist():
        return {}
    out = {}
    for rel in fromstring(_no_entities(archive.read(path))).iter(f"{REL}Relationship"):  # noqa: S314
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), target)
    return out


def _no_entities(xml: bytes) -> bytes:
    """Refuse a document type declaration: a workbook has none, and entities are how XML bombs work."""
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:4096]:
        raise XlsxError("XML with a document type declaration")
    return xml


def _text(node: Element) -> str:
    """The text of a shared or inline string: its own ``t`` and the ``t`` of each run (openpyxl's
    ``Text.content``; phonetic runs are not part of it)."""
    parts = []
    for child in node:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            parts.append(child.findtext(TEXT) or "")
    return parts[0] if len(parts) == 1 else "".join(parts)


def _elements(source: IO[bytes], tag: str) -> Iterator[Element]:
    """Each complete ``tag`` element of the XML stream, read a block at a time and emptied once the
    caller has it (what openpyxl's reader does too)."""
    parser = XMLPullParser(events=("end",))
    first = True
    while block := source.read(READ):
        if first:
            _no_entities(block)
            first = False
        parser.feed(block)
        for _event, node in cast(Iterator[tuple[str, Element]], parser.read_events()):  # "end" events only
            if node.tag == tag:
                yield node
                node.clear()
    parser.close()


def _shared_strings(archive: zipfile.ZipFile, part: str | None) -> list[str]:
    if part is None:
        return []
    with archive.open(part) as source:
        return [_text(node).replace("x005F_", "") for node in _elements(source, SI)]


def _date_styles(archive: zipfile.ZipFile, part: str | None) -> tuple[set[int], set[int]]:
    if part is None:
        return set(), set()
    # lazy: memory (openpyxl is 18 MB; only an import reads a workbook)
    from openpyxl.styles.stylesheet import Stylesheet  # lazy: memory

    sheet = Stylesheet.from_tree(fromstring(_no_entities(archive.read(part))))  # noqa: S314
    return set(sheet.date_formats), set(sheet.timedelta_formats)


class Sheet:
    """The first worksheet of a workbook: ``rows()`` yields each row's values; ``size`` is the
    number of rows the sheet's dimension declares (0 when it declares none)."""

    def __init__(self, content: bytes | IO[bytes]) -> None:
        from openpyxl.utils import datetime as excel_dates  # lazy: memory (openpyxl is 18 MB; see _date_styles)

        self.from_excel, self.from_iso = excel_dates.from_excel, excel_dates.from_ISO8601
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(content) if isinstance(content, bytes) else content)
            book_part = next(target for kind, target in _rels(self.archive, "").values()
                             if kind.endswith("/officeDocument"))
            book = fromstring(_no_entities(self.archive.read(book_part)))  # noqa: S314
        except (zipfile.BadZipFile, KeyError, StopIteration, SyntaxError) as exc:
            raise XlsxError(str(exc) or "no workbook part") from exc
        parts = _rels(self.archive, book_part)
        by_kind = {kind.rsplit("/", 1)[-1]: target for kind, target in parts.values()}
        properties = book.find(f"{MAIN}workbookPr")
        date1904 = properties is not None and properties.get("date1904", "") in {"1", "true"}
        self.epoch = excel_dates.CALENDAR_MAC_1904 if date1904 else excel_dates.CALENDAR_WINDOWS_1900
        sheets = [parts.get(sheet.get(f"{DOC_REL}id", ""), ("", ""))
                  for sheet in book.iterfind(f"{MAIN}sheets/{MAIN}sheet")]
        worksheet = next((target for kind, target in sheets if kind.endswith("/worksheet")), None)
        if worksheet is None:
            raise XlsxError("the workbook has no worksheet")
        self.part = worksheet
        self.strings = _shared_strings(self.archive, by_kind.get("sharedStrings"))
        self.dates, self.durations = _date_styles(self.archive, by_kind.get("styles"))
        self.width, self.size = self._dimension()

    def _dimension(self) -> tuple[int, int]:
        with self.archive.open(self.part) as source:
            found = _DIMENSION.search(source.read(4096))
        if found is None:
            return 0, 0
        last_col, last_row = (found.group(3), found.group(4)) if found.group(3) else (found.group(1), found.group(2))
        return _column((last_col or b"").decode()), int(last_row or 0)

    def count_rows(self, block: int = 1 << 20) -> int:
        """How many rows the sheet's XML holds, read a block at a time without parsing it: what a
        sheet that declares no dimension is counted by (a progress bar's total, not the import)."""
        count, tail = 0, b""
        with self.archive.open(self.part) as source:
            while data := source.read(block):
                text = tail + data
                count += len(_ROW_TAG.findall(text))
                # a tag cut at the block's end is counted in the next block; one counted already is not
                cut = text.rfind(b"<", max(0, len(text) - 16))
                tail = text[cut:] if cut >= 0 and not _ROW_TAG.match(text, cut) else b""
        return count

    def _value(self, cell: Element, kind: str) -> Any:
        raw = None
        for child in cell:
            if child.tag == VALUE:
                raw = child.text or None
            elif child.tag == INLINE and kind == "inlineStr":
                return _text(child)
        if raw is None or kind == "inlineStr":
            return None
        if kind == "n":
            number: int | float = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
            style = cell.get("s")
            if style and int(style) in self.dates:
                try:
                    return self.from_excel(number, self.epoch, timedelta=int(style) in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # as openpyxl: a date serial out of range reads as an error
            return number
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return self.from_iso(raw)
        return raw  # "str" (a formula's text), "e" (an error such as #N/A)

    def rows(self) -> Iterator[list[Any]]:
        expected = 1
        empty: list[Any] = [None] * self.width
        columns: dict[str, int] = {}
        with self.archive.open(self.part) as source:
            for node in _elements(source, ROW):
                number = int(float(node.get("r") or expected))
                while expected < number:
                    yield list(empty)
                    expected += 1
                values: list[Any] = list(empty)
                column = 0
                for cell in node:
                    if cell.tag != CELL:
                        continue
                    reference = cell.get("r")
                    if reference:
                        letters = reference.rstrip(_DIGITS)
                        column = columns.get(letters) or columns.setdefault(letters, _column(letters))
                    else:
                        column += 1
                    while len(values) < column:
                        values.append(None)
                    values[column - 1] = self._value(cell, cell.get("t", "n"))
                expected = number + 1
                yield values
