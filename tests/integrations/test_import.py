"""Excel / CSV import: a 10,000-row register with some bad rows through the command line, the error
report checked row by row, nothing written for a refused row, headings mapped in both languages."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from complaintdesk.cli import main
from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint, Customer, TimelineEntry
from complaintdesk.core.models import AuditEvent
from complaintdesk.integrations.importer import ImportFileError, check_file, complaints_import, read_rows
from registerkit import HEADINGS, good_row, register_rows, write_xlsx

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_a_10000_row_register_with_bad_rows_and_its_error_report(org: Any, tmp_path: Path, capsys: Any) -> None:
    from openpyxl import load_workbook

    rows, bad = register_rows(10_000)
    source = tmp_path / "register.xlsx"
    write_xlsx(source, HEADINGS, rows)
    report = tmp_path / "refused.xlsx"
    code = main(["import", str(source), "--as", "agent", "--report", str(report), "--batch", "2000"])
    captured = capsys.readouterr()
    assert code == 1  # some rows were refused
    assert f"10000 rows read, {10_000 - len(bad)} imported, {len(bad)} refused" in captured.out
    assert "100%" in captured.err and "rows/s" in captured.err  # the progress bar
    assert Complaint.objects.count() == 10_000 - len(bad)
    assert Customer.objects.count() == 10_000 - len(bad)  # nothing written for a refused row
    assert TimelineEntry.objects.filter(kind="imported").count() == 10_000 - len(bad)
    assert AuditEvent.objects.filter(action="complaint.import").count() == 5  # one per batch
    numbers = list(Complaint.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    sheet = load_workbook(report, read_only=True).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0][:3]) == ["Row", "Reasons", "Last name"]
    refused = {line[0]: line[1] for line in lines[1:]}
    assert set(refused) == set(bad)
    for row_number, heading in bad.items():
        assert refused[row_number].startswith(f"{heading}: ")
    assert "toaster" in refused[13]  # the unknown category is named
    assert lines[1][2] == rows[lines[1][0] - 2][0]  # the row as it was, for correction and re-import
    imported = Complaint.objects.get(reason="Calls drop (0)")
    assert imported.customer.phone == "+8613800000000" and imported.channel == "hotline"
    assert imported.received_at.isoformat().startswith("2026-11-02T02:15")  # read in the policy's time zone
    from complaintdesk.complaints.display import timeline_text

    entry = imported.timeline.get(kind="imported")
    assert timeline_text(entry, org.policy).startswith("Imported from register.xlsx, row 2;")
    assert not imported.clocks.exists()  # a register is history: no clocks, no messages
    assert not imported.messages.exists()


@pytest.mark.django_db
def test_csv_with_chinese_headings_and_a_mapping(org: Any, tmp_path: Path) -> None:
    source = tmp_path / "登记表.csv"
    heading = "姓名,电话,渠道,类别,投诉对象,投诉原因代码,投诉原因,问题描述,客户诉求,Tel2,故障场景,排查,维修史\n"
    line = ("张伟,13912345678,hotline,product,product,product_quality/software,通话掉线,升级后一分钟掉线,"
            "一周内修好,,通话60秒掉线,重置网络,无\n")
    source.write_text(heading + line, encoding="utf-8-sig")
    mapping = {"Tel2": "customer.address", "故障场景": "facts.fault_scenario", "排查": "facts.troubleshooting",
               "维修史": "facts.repair_history"}
    result = complaints_import(actor=_user(org), path=source, mapping=mapping)
    assert (result.total, result.imported, result.refused) == (1, 1, [])
    complaint = Complaint.objects.get()
    assert complaint.customer.last_name == "张伟" and complaint.customer.address == ""
    assert complaint.facts["fault_scenario"] == "通话60秒掉线"


@pytest.mark.django_db
def test_one_name_needs_the_name_note_column_under_the_phone_makers_policy(org: Any, tmp_path: Path) -> None:
    """000 1.1(1) (``full_name``): a row with the last name alone is refused naming the note; with
    the "Name note" column (姓名说明) it is imported with its note."""
    source = tmp_path / "names.csv"
    heading = ("Last name,Name note,Phone,Channel,Category,Targets,Reason codes,Reason,Description,"
               "Customer request,facts.fault_scenario,facts.troubleshooting,facts.repair_history\n")
    tail = "hotline,product,product,product_quality/software,Calls drop,Drops after a minute,Fix it,x,y,z\n"
    rows = f"Carter,,13912345678,{tail}Carter,Would not give a first name,13912345679,{tail}"
    source.write_text(heading + rows, encoding="utf-8")
    with translation.override("en"):
        result = complaints_import(actor=_user(org), path=source)
    assert (result.total, result.imported) == (2, 1)
    (refused,) = result.refused
    assert refused.row == 2 and [field for field, _message in refused.problems] == ["customer.name_note"]
    assert Complaint.objects.get().customer.name_note == "Would not give a first name"


@pytest.mark.django_db
def test_unknown_columns_are_refused_before_any_row(org: Any, tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("Phone,Shoe size\n13912345678,42\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="Shoe size"):
        complaints_import(actor=_user(org), path=source)
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("mapping", "says"), [
    ("Tel=customer.fone", ["Column mapping Tel=customer.fone: customer.fone is not a field of a complaint.",
                           "customer.phone", "facts.<code>"]),
    ("Telephone=customer.phone", ["Column mapping Telephone=customer.phone: the file has no column Telephone "
                                  "(its columns: Tel, Category)."]),
])
def test_a_mapping_to_no_field_or_from_no_column_is_named(org: Any, tmp_path: Path, capsys: Any, mapping: str,
                                                          says: list[str]) -> None:
    source = tmp_path / "x.csv"
    source.write_text("Tel,Category\n13912345678,product\n", encoding="utf-8")
    assert main(["import", str(source), "--as", "agent", "--map", mapping]) == 1
    error = capsys.readouterr().err
    for text in says:
        assert text in error
    assert "Unknown columns" not in error  # the column was mapped: the mapping is what is wrong
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_a_dry_run_validates_and_writes_nothing(org: Any, tmp_path: Path) -> None:
    rows, bad = register_rows(1200)
    source = tmp_path / "r.xlsx"
    write_xlsx(source, HEADINGS, rows)
    result = complaints_import(actor=_user(org), path=source, dry_run=True)
    assert result.imported == 1200 - len(bad) and len(result.refused) == len(bad)
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_a_role_that_may_not_register_may_not_import(org: Any, tmp_path: Path) -> None:
    from complaintdesk.core.errors import PermissionDenied

    source = tmp_path / "r.csv"
    source.write_text("Phone\n13912345678\n", encoding="utf-8")
    with pytest.raises(PermissionDenied):
        complaints_import(actor=org["handler"], path=source)


def _user(org: Any) -> Any:
    return org["agent"]


@pytest.mark.django_db
def test_imported_contacts_are_found_by_exact_value_only_as_registered_ones(org: Any, tmp_path: Path) -> None:
    from complaintdesk.complaints.contact_index import complaint_ids_for

    rows, _bad = register_rows(3)
    source = tmp_path / "r.xlsx"
    write_xlsx(source, HEADINGS, rows)
    complaints_import(actor=_user(org), path=source)
    complaint = Complaint.objects.order_by("pk").first()
    assert complaint is not None
    phone = str(rows[0][1])
    assert complaint.pk in complaint_ids_for(phone)
    digits = "".join(ch for ch in phone if ch.isdigit())
    assert digits[-8:] not in complaint.search_text  # the phone is not in the substring search text


@pytest.mark.django_db
def test_the_collector_is_held_while_rows_are_imported_and_given_back_after(org: Any, tmp_path: Path) -> None:
    """Everything loaded before the import is kept out of the garbage collector's walks, and the
    automatic collector is off while the rows come and go (integrations/importer.py
    ``_collector_held``); the process is left as it was: unfrozen and collecting when it was, still
    frozen when it had frozen its heap itself (the web worker, wsgi.py), still not collecting when it
    was not. The validating workers collect (import_pool.py ``_child_start``)."""
    import gc
    import multiprocessing

    from django.contrib.auth import get_user_model

    from complaintdesk.integrations import import_pool

    rows, _bad = register_rows(1200)
    source = tmp_path / "register.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        writer.writerows(rows)
    agent = get_user_model().objects.get(username="agent")
    seen: list[tuple[int, bool]] = []
    # a test that imported complaintdesk.wsgi in this process froze its heap: start from unfrozen,
    # and leave the process frozen again at the end if it was
    was_frozen = gc.get_freeze_count() > 0
    gc.unfreeze()
    try:
        assert gc.isenabled()
        result = complaints_import(actor=agent, path=source,
                                   progress=lambda _done, _total: seen.append((gc.get_freeze_count(),
                                                                               gc.isenabled())))
        assert result.imported > 1000 and seen and min(count for count, _on in seen) > 0
        assert not any(on for _count, on in seen)  # no automatic collection during the import
        assert gc.get_freeze_count() == 0 and gc.isenabled()
        gc.freeze()
        complaints_import(actor=agent, path=source, dry_run=True)
        assert gc.get_freeze_count() > 0  # not unfrozen by the import (objects freed since leave the count)
        gc.disable()
        complaints_import(actor=agent, path=source, dry_run=True)
        assert not gc.isenabled()  # a process whose collector was off keeps it off
        gc.enable()
        # a validating worker, forked while the collector is held, collects again
        gc.disable()
        with multiprocessing.get_context("fork").Pool(1, initializer=import_pool._child_start) as pool:
            assert pool.apply(gc.isenabled) is True
    finally:
        gc.enable()
        gc.unfreeze()
        if was_frozen:
            gc.freeze()


@pytest.mark.django_db
def test_a_workbook_that_does_not_declare_its_size_is_counted(org: Any, tmp_path: Path) -> None:
    """The import page shows a progress bar: a workbook without a ``<dimension>`` is counted by its
    row tags when it is uploaded (integrations/importer.py ``check_file``)."""
    source = tmp_path / "undeclared.xlsx"
    write_xlsx(source, HEADINGS, [good_row(index) for index in range(4)])
    with zipfile.ZipFile(source) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    parts[sheet] = re.sub(rb"<dimension [^>]*/>", b"", parts[sheet])
    with zipfile.ZipFile(source, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    assert read_rows(source)[2] == 0  # the size is not declared
    assert check_file(source, source.read_bytes()) == 4
    assert complaints_import(actor=org["agent"], path=source).imported == 4


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_register_is_read_as_it_is_used_in_any_of_its_encodings(org: Any, tmp_path: Path,
                                                                        encoding: str) -> None:
    """A CSV file is not held whole (a year's register has a million rows): its rows are counted and
    checked in one pass, then read again as they are imported; UTF-8 with or without BOM, or GB18030
    as Chinese Excel saves it (a UTF-8 decoder fed block by block decides)."""
    rows = [good_row(index) for index in range(3)]
    rows[1][0] = "张伟"
    text = "\r\n".join(",".join(f'"{value}"' for value in line) for line in [HEADINGS, *rows]) + "\r\n"
    source = tmp_path / "r.csv"
    source.write_bytes(text.encode(encoding))
    headings, data, total = read_rows(source)
    assert headings == HEADINGS and total == 3 and not isinstance(data, list)
    assert [line[0] for line in data] == ["Customer 0", "张伟", "Customer 2"]
    assert complaints_import(actor=org["agent"], path=source, content=source.read_bytes()).imported == 3
    assert Complaint.objects.filter(customer__last_name="张伟").count() == 1


@pytest.mark.django_db
def test_a_csv_file_that_cannot_be_parsed_is_refused_before_any_row_is_written(org: Any, tmp_path: Path) -> None:
    # the rows are counted in a first pass, which reads the whole file: a broken record at the end
    # (here a field longer than the csv module takes) stops the import before its first batch
    source = tmp_path / "long.csv"
    rows = [",".join(str(v) for v in good_row(index)) for index in range(1200)]
    source.write_text("\n".join([",".join(HEADINGS), *rows, "x" * 200_000]) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"long\.csv is not a readable CSV file: a field is longer than 131072 "
                                              r"characters \(a quotation mark left open\?\)\."):
        complaints_import(actor=org["agent"], path=source)
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_dates_as_chinese_excel_writes_them_are_read_in_the_policys_time_zone(org: Any, tmp_path: Path) -> None:
    """Excel in China saves a date cell to CSV as "2026/3/5 10:15"; registers kept by hand write
    "2026年3月5日". Both are the received time, kept; an impossible date is refused naming the column."""
    written = ["2026/3/5 10:15", "2026年3月5日", "2026.3.6", "2026年3月7日 9:05", "2026/2/30"]
    rows = []
    for index, received in enumerate(written):
        row = good_row(index)
        row[HEADINGS.index("Received at")] = received
        rows.append(",".join(str(value) for value in row))
    source = tmp_path / "excel.csv"
    source.write_bytes("\r\n".join([",".join(HEADINGS), *rows]).encode("gb18030"))
    result = complaints_import(actor=_user(org), path=source)
    assert result.imported == 4
    assert [(r.row, r.problems) for r in result.refused] == [
        (6, [("received_at", "2026/2/30 is not a date and time; write it as YYYY-MM-DD HH:MM.")])]
    received = {c.reason: c.received_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                for c in Complaint.objects.all()}
    assert received == {"Calls drop (0)": "2026-03-05 10:15", "Calls drop (1)": "2026-03-05 00:00",
                        "Calls drop (2)": "2026-03-06 00:00", "Calls drop (3)": "2026-03-07 09:05"}
    assert not Clock.objects.exists()  # history: no clocks from an old received time


def test_a_written_date_is_read_only_when_it_is_a_real_day() -> None:
    from complaintdesk.complaints.validation import FieldInvalid, date_only, parse_date, parse_datetime

    assert parse_date("2026/3/5") == parse_date("2026年3月5日") == parse_date("2026-03-05")
    assert parse_datetime("2026年3月5日10：15", SHANGHAI).isoformat() == "2026-03-05T10:15:00+08:00"
    assert date_only("2026/3/5") and date_only("2026-03-05") and not date_only("2026/3/5 10:15")
    for bad in ("2026/3-5", "3/5/2026", "2026/13/1", "2026/3/5 24:00", "2026年3月5"):
        with pytest.raises(FieldInvalid):
            parse_datetime(bad, SHANGHAI)
    with pytest.raises(FieldInvalid):
        parse_date("2026/3/5 10:15")  # a date field takes no time of day


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("en", "--as: admin may not register complaints"),
                                                    ("zh-hans", "--as: admin 不能登记投诉")])
def test_the_command_says_what_is_wrong_with_the_importing_user(org: Any, tmp_path: Path, capsys: Any,
                                                                language: str, expected: str) -> None:
    """An administrator may import but not own complaints: the command names the problem in the
    administrator's language, not only how many problems there are."""
    type(org["admin"]).objects.filter(pk=org["admin"].pk).update(language=language)
    rows, _bad = register_rows(2)
    source = tmp_path / "r.xlsx"
    write_xlsx(source, HEADINGS, rows)
    assert main(["import", str(source), "--as", "admin"]) == 1
    assert expected in capsys.readouterr().err
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_the_progress_bar_ends_full_when_the_register_has_empty_rows(org: Any, tmp_path: Path, capsys: Any) -> None:
    rows = [good_row(0), [None] * len(HEADINGS), good_row(1), [None] * len(HEADINGS)]
    source = tmp_path / "gaps.xlsx"
    write_xlsx(source, HEADINGS, rows)
    assert main(["import", str(source), "--as", "agent"]) == 0
    captured = capsys.readouterr()
    assert "2 rows read, 2 imported, 0 refused" in captured.out
    assert captured.err.rstrip().rsplit("\r", 1)[-1].startswith("[" + "#" * 30 + "] 100% 2/2 rows")


@pytest.mark.django_db
def test_excel_serial_day_numbers_are_dates_in_the_policys_time_zone(org: Any, tmp_path: Path) -> None:
    """A date cell formatted "General" holds Excel's serial day number, and a CSV saved from it writes
    that number: it was refused with the date message. Days from 1990 to 2100 are read (1900 date
    system), at the time of day the fraction gives, in the policy's time zone; other numbers are not."""
    headings = [*HEADINGS, "product.purchase_date"]
    given = [("46086", "45658"), ("46086.4375", "45658"), ("46087.999999", "45658.75"), ("12345", "45658"),
             ("46086", "99999")]
    rows = []
    for index, (received, bought) in enumerate(given):
        row = good_row(index)
        row[HEADINGS.index("Received at")] = received
        rows.append(",".join(str(value) for value in [*row, bought]))
    source = tmp_path / "serials.csv"
    source.write_text("\n".join([",".join(headings), *rows]), encoding="utf-8")
    result = complaints_import(actor=_user(org), path=source)
    assert result.imported == 3
    assert [(r.row, r.problems) for r in result.refused] == [
        (5, [("received_at", "12345 is not a date and time; write it as YYYY-MM-DD HH:MM.")]),
        (6, [("product.purchase_date", "99999 is not a date; write it as YYYY-MM-DD.")])]
    received = {c.reason: (c.received_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
                           c.product.purchase_date.isoformat()) for c in Complaint.objects.select_related("product")}
    assert received == {"Calls drop (0)": ("2026-03-05 00:00:00", "2025-01-01"),
                        "Calls drop (1)": ("2026-03-05 10:30:00", "2025-01-01"),
                        "Calls drop (2)": ("2026-03-07 00:00:00", "2025-01-01")}

    book = tmp_path / "serials.xlsx"
    row = good_row(7)
    row[HEADINGS.index("Received at")] = 46086.4375  # a number cell, no date format
    write_xlsx(book, HEADINGS, [row])
    assert complaints_import(actor=_user(org), path=book).imported == 1
    imported = Complaint.objects.get(reason="Calls drop (7)")
    assert imported.received_at.astimezone(SHANGHAI).isoformat() == "2026-03-05T10:30:00+08:00"


def test_excel_serials_outside_the_plausible_days_are_not_dates() -> None:
    from complaintdesk.integrations.importer import excel_serial

    assert excel_serial("32874", with_time=False) == "1990-01-01"
    assert excel_serial("73415.5", with_time=True) == "2100-12-31 12:00:00"
    assert excel_serial("61", with_time=False) is None and excel_serial("73416", with_time=False) is None
    assert excel_serial("32873.9", with_time=True) is None and excel_serial("4.6086e4", with_time=False) is None


@pytest.mark.django_db
def test_the_command_speaks_the_importing_users_language(org: Any, tmp_path: Path, capsys: Any) -> None:
    """A Chinese-speaking administrator reads the progress bar, the summary and where the report went
    in Chinese, as the refused rows' reasons already were; an unknown user is named in the
    installation's language (zh-Hans by default); an English-speaking user reads English."""
    rows, bad = register_rows(30)
    source = tmp_path / "register.xlsx"
    write_xlsx(source, HEADINGS, rows)
    agent = org["agent"]
    agent.language = "zh-hans"
    agent.save(update_fields=["language"])
    assert main(["import", str(source), "--as", "agent"]) == 1
    captured = capsys.readouterr()
    assert f"读取 30 行，导入 {30 - len(bad)} 行，拒绝 {len(bad)} 行，用时 " in captured.out
    assert "被拒绝的行及原因：" in captured.out and "register-refused.xlsx" in captured.out
    assert "100% 30/30 行，每秒 " in captured.err
    assert main(["import", str(source), "--as", "agent", "--jobs", "-1"]) == 2
    assert "--jobs -1：请填写 0 或更大的数。" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.csv"), "--as", "agent"]) == 2
    assert "missing.csv：文件不存在。" in capsys.readouterr().err
    assert main(["import", str(source), "--as", "nobody"]) == 2
    assert "--as：没有在用的用户 'nobody'。" in capsys.readouterr().err
    agent.language = "en"
    agent.save(update_fields=["language"])
    assert main(["import", str(source), "--as", "agent", "--dry-run"]) == 1
    captured = capsys.readouterr()
    assert f"30 rows read, {30 - len(bad)} valid (dry run, nothing written), {len(bad)} refused in " in captured.out
    assert "The refused rows and their reasons: " in captured.out and "30/30 rows, " in captured.err
