"""The streaming .xlsx reader of the import (integrations/xlsx_rows.py) reads what openpyxl's read-only
reader reads: shared and inline strings, numbers, booleans, empty cells, missing rows, dates and times
in both date systems, formula results; and the test register row for row."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from complaintdesk.integrations.importer import ImportFileError, read_rows
from complaintdesk.integrations.xlsx_rows import Sheet
from registerkit import HEADINGS, good_row, register_rows, write_xlsx


def _openpyxl(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _saved(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _mixed(book: Workbook) -> None:
    sheet = book.active
    sheet.append(["姓名", "Phone", "Received at", "Day", "Hour", "Units", "Ratio", "Paid", " padded  "])
    sheet.append(["张伟", 13912345678, datetime(2026, 11, 2, 10, 15), date(2026, 3, 1), time(9, 30), 3, 0.25,
                  True, "x005F_y"])
    sheet.append(["", None, None, None, None, None, None, False, None])  # an empty row but for a boolean
    sheet["A6"] = "after two missing rows"
    sheet["D6"] = "=1+1"  # a formula without a cached result reads as nothing (data only)
    sheet["C7"] = timedelta(hours=30)
    sheet["C7"].number_format = "[h]:mm:ss"
    sheet["B8"] = 1.5e-7
    sheet["E8"] = "line one\nline two"


def test_shared_strings_numbers_dates_and_gaps_read_as_openpyxl_reads_them() -> None:
    book = Workbook()
    _mixed(book)
    content = _saved(book)
    rows = list(Sheet(content).rows())
    assert rows == _openpyxl(content)
    assert rows[1][:5] == ["张伟", 13912345678, datetime(2026, 11, 2, 10, 15), datetime(2026, 3, 1), time(9, 30)]
    assert rows[3] == [None] * 9 and rows[5][0] == "after two missing rows"
    assert Sheet(content).size == 8


def test_the_1904_date_system() -> None:
    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    _mixed(book)
    content = _saved(book)
    assert list(Sheet(content).rows()) == _openpyxl(content)


def test_inline_strings_of_a_write_only_workbook_and_the_test_register(tmp_path: Path) -> None:
    rows, _bad = register_rows(300)
    rows[5][3] = None  # an empty cell inside a row
    source = tmp_path / "register.xlsx"
    write_xlsx(source, HEADINGS, rows)
    content = source.read_bytes()
    assert list(Sheet(content).rows()) == _openpyxl(content)
    headings, data, _total = read_rows(source)
    assert headings == HEADINGS and next(data) == rows[0]


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04 broken"])
def test_a_file_that_is_no_workbook_is_refused(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "bad.xlsx"
    source.write_bytes(content)
    with pytest.raises(ImportFileError, match=r"bad\.xlsx is not a readable Excel file"):
        read_rows(source)


@pytest.mark.parametrize("block", [7, 64, 1 << 20])
def test_rows_are_counted_without_parsing_across_block_boundaries(tmp_path: Path, block: int) -> None:
    """A workbook that declares no size is counted for the import page's progress bar: the count of
    row tags, read in blocks of any size, is the number of rows the parser yields."""

    source = tmp_path / "count.xlsx"
    write_xlsx(source, HEADINGS, [good_row(index) for index in range(40)])
    sheet = Sheet(source.read_bytes())
    assert sheet.count_rows(block) == sum(1 for _row in sheet.rows()) == 41
