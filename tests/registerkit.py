"""A complaint register for the import tests and the import benchmark (no Django imports)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HEADINGS = ["Last name", "Phone", "E-mail", "Language", "Model", "IMEI", "Channel", "Category", "Targets",
            "Reason codes", "Reason", "Description", "Customer request", "Received at", "facts.fault_scenario",
            "facts.troubleshooting", "facts.repair_history", "First name"]


def good_row(index: int) -> list[Any]:
    return [f"Customer {index}", 13800000000 + index, f"c{index}@example.com", "en", "Reno 8 Pro", "490154203237518",
            "hotline", "product", "product", "product_quality/software", f"Calls drop ({index})",
            "Since the last update calls drop after about one minute.", "Fix within one week",
            "2026-11-02 10:15", "Calls drop after 60 s", "Reset network settings", "None", "Ann"]


def register_rows(count: int) -> tuple[list[list[Any]], dict[int, str]]:
    """``count`` rows; every 1,000th has a bad phone, every 2,500th an unknown category; returns the rows
    and, by spreadsheet row number, the heading the refusal must name."""
    rows, bad = [], {}
    for index in range(count):
        row = good_row(index)
        if index % 1000 == 7:
            row[1] = "12"
            bad[index + 2] = "Phone"
        elif index % 2500 == 11:
            row[7] = "toaster"
            bad[index + 2] = "Category"
        rows.append(row)
    return rows, bad


def write_xlsx(path: Path, headings: list[str], rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    book.save(path)
