"""A complaint's number in the system it comes from (``source_number``, 原投诉编号): given by the API or
a register's column, kept on the complaint, found by search and shown on its page; a second complaint
with the same number at the same unit is refused — at the desk door naming the complaint on record,
in an import row by row (against the database and against earlier rows of the file), so overlapping
registers or a file imported again never register a numbered complaint twice."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.selectors.listing import ComplaintFilter, complaint_list
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.integrations.importer import column_paths, complaints_import, error_report, row_data
from orgkit import PASSWORD
from registerkit import HEADINGS, good_row

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def _data(index: int, source: str = "", **extra: Any) -> Any:
    values = row_data(column_paths(HEADINGS, {}), good_row(index))
    return ComplaintIn(**{**values, "source_number": source, **extra}).to_input()


def _register_file(tmp_path: Path, rows: list[list[Any]], heading: str = "原投诉编号") -> Path:
    path = tmp_path / "register.csv"
    out = io.StringIO()
    csv.writer(out).writerows([[*HEADINGS, heading], *rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_desk_keeps_the_number_finds_it_and_refuses_it_twice_at_one_unit(org: Any) -> None:
    first = complaint_register(actor=org["agent"], data=_data(1, "  CRM-2026-0042 "), now=NOW)
    assert first.source_number == "CRM-2026-0042"
    found = complaint_list(org["agent"], ComplaintFilter(q="crm-2026-0042"))
    assert [c.number for c in found] == [first.number]
    with pytest.raises(ValidationFailed) as refused:
        complaint_register(actor=org["agent"], data=_data(2, "CRM-2026-0042"), now=NOW)
    problem = refused.value.problems[0]
    assert problem.field == "source_number"
    assert str(problem.message) == f"CRM-2026-0042 is already on record as complaint {first.number}."
    assert Complaint.objects.count() == 1
    with pytest.raises(ValidationFailed) as too_long:
        complaint_register(actor=org["agent"], data=_data(3, "X" * 65), now=NOW)
    assert [p.field for p in too_long.value.problems] == ["source_number"]
    assert complaint_register(actor=org["agent"], data=_data(4), now=NOW).source_number == ""
    assert complaint_register(actor=org["agent"], data=_data(5), now=NOW).source_number == ""  # none: no check


def test_the_api_takes_the_number_answers_it_and_says_what_is_on_record(org: Any, api: Any) -> None:
    client = api("agent")
    body = {**row_data(column_paths(HEADINGS, {}), good_row(1)), "source_number": "12315-7788"}
    response = client.post("/complaints", body)
    assert response.status_code == 201 and response.json_body["source_number"] == "12315-7788"
    number = response.json_body["number"]
    again = client.post("/complaints", {**body, "customer": {**body["customer"], "phone": "13912345670"}})
    assert again.status_code == 422
    assert again.json_body["fields"] == [{"field": "source_number",
                                          "message": f"12315-7788 is already on record as complaint {number}."}]
    assert client.get(f"/complaints/{number}").json_body["source_number"] == "12315-7788"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_of_the_complaint_shows_the_number(org: Any, language: str) -> None:
    complaint = complaint_register(actor=org["agent"], data=_data(1, "OLD-9"), now=NOW)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username="agent", password=PASSWORD)
    page = client.get(f"/complaints/{complaint.number}/").content.decode()
    label = "原系统编号" if language == "zh-hans" else "Number in the earlier system"
    assert f">{label}</dt>" in page and 'data-testid="source-number">OLD-9</dd>' in page
    export = client.get("/exports/complaints.csv").getvalue().decode("utf-8-sig").splitlines()
    assert export[0].endswith(f",{label}") and export[1].endswith(",OLD-9")


def test_an_import_refuses_a_numbered_row_on_record_or_earlier_in_the_file(org: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    on_record = complaint_register(actor=org["agent"], data=_data(90, "R-3"), now=NOW)
    rows = [[*good_row(index), source] for index, source in enumerate(["R-1", "R-2", "R-3", "", "R-1", ""])]
    result = complaints_import(actor=org["agent"], path=_register_file(tmp_path, rows), now=NOW)
    assert (result.total, result.imported) == (6, 4)
    assert [(r.row, r.problems) for r in result.refused] == [
        (4, [("source_number", f"R-3 is already on record as complaint {on_record.number}.")]),
        (6, [("source_number", "R-1 is also the number in the earlier system of row 2 of this file.")]),
    ]
    imported = dict(Complaint.objects.exclude(pk=on_record.pk).values_list("number", "source_number"))
    assert sorted(imported.values()) == ["", "", "R-1", "R-2"]
    sheet = load_workbook(io.BytesIO(error_report(result)), read_only=True).worksheets[0]
    refused = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [line[0] for line in refused] == [4, 6] and "R-3" in refused[0] and "Customer 2" in refused[0]
    # in small batches the second R-1 finds the first one written already
    Complaint.objects.exclude(pk=on_record.pk).delete()
    small = complaints_import(actor=org["agent"], path=_register_file(tmp_path, rows), now=NOW, batch=2,
                              again=True)
    first = Complaint.objects.get(source_number="R-1").number
    assert [(r.row, r.problems) for r in small.refused] == [
        (4, [("source_number", f"R-3 is already on record as complaint {on_record.number}.")]),
        (6, [("source_number", f"R-1 is already on record as complaint {first}.")]),
    ]
    # the same file again (asked for): every numbered row is on record now; only the others are new
    again = complaints_import(actor=org["agent"], path=_register_file(tmp_path, rows), now=NOW, again=True)
    assert again.imported == 2 and [r.row for r in again.refused] == [2, 3, 4, 6]
    # a dry run says the same of each row, and writes nothing; it remembers the file's numbers across
    # its batches (nothing is written for the next batch to find)
    before = Complaint.objects.count()
    checked = complaints_import(actor=org["agent"], path=_register_file(tmp_path, rows), now=NOW, dry_run=True)
    assert [r.row for r in checked.refused] == [2, 3, 4, 6] and Complaint.objects.count() == before
    Complaint.objects.all().delete()
    fresh = complaints_import(actor=org["agent"], path=_register_file(tmp_path, rows), now=NOW, dry_run=True,
                              batch=2)
    assert [(r.row, r.problems) for r in fresh.refused] == [
        (6, [("source_number", "R-1 is also the number in the earlier system of row 2 of this file.")])]


def test_the_same_number_at_another_unit_is_another_complaint(org: Any, tmp_path: Path) -> None:
    from complaintdesk.units.models import root_unit
    from complaintdesk.units.services import unit_create

    store = unit_create(actor=None, code="store-7", name_zh="七号店", name_en="Store 7", kind="store")
    rows = [[*good_row(1), "S-1", ""], [*good_row(2), "S-1", "store-7"]]
    path = tmp_path / "two.csv"
    out = io.StringIO()
    csv.writer(out).writerows([[*HEADINGS, "Source number", "Unit"], *rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    result = complaints_import(actor=org["admin"], owner=org["agent"], path=path, now=NOW)
    assert (result.imported, result.refused) == (2, [])
    assert set(Complaint.objects.values_list("unit__code", "source_number")) == {(root_unit().code, "S-1"),
                                                                                 (store.code, "S-1")}


def test_an_amendment_keeps_the_number_searchable(org: Any) -> None:
    from complaintdesk.complaints.inputs import AmendmentInput
    from complaintdesk.complaints.services.amend import complaint_amend

    complaint = complaint_register(actor=org["agent"], data=_data(1, "KEEP-1"), now=NOW)
    complaint_amend(actor=org["agent"], number=complaint.number, data=AmendmentInput(description="More detail."),
                    expected_version=complaint.version, now=NOW)
    assert [c.number for c in complaint_list(org["agent"], ComplaintFilter(q="keep-1"))] == [complaint.number]
