"""Excel / CSV import: a 10,000-row register with some bad rows through the command line, the error
report checked row by row, nothing written for a refused row, headings mapped in both languages."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.cli import main
from complaintdesk.complaints.models import Complaint, Customer, TimelineEntry
from complaintdesk.core.models import AuditEvent
from complaintdesk.integrations.importer import ImportFileError, complaints_import, read_rows
from registerkit import HEADINGS, good_row, register_rows, write_xlsx


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
def test_unknown_columns_are_refused_before_any_row(org: Any, tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("Phone,Shoe size\n13912345678,42\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="Shoe size"):
        complaints_import(actor=_user(org), path=source)
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
def test_the_upload_page_imports_and_offers_the_report(org: Any, settings: Any, tmp_path: Path) -> None:
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from openpyxl import load_workbook

    from orgkit import PASSWORD

    settings.MEDIA_ROOT = tmp_path
    rows, bad = register_rows(1010)
    source = tmp_path / "week.xlsx"
    write_xlsx(source, HEADINGS, rows)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="admin", password=PASSWORD)
    page = client.get("/integrations/import/")
    assert page.status_code == 200 and b'data-testid="import-title"' in page.content
    response = client.post("/integrations/import/", {
        "file": SimpleUploadedFile("week.xlsx", source.read_bytes()), "owner": "agent"})
    assert response.status_code == 200
    text = response.content.decode()
    assert f"1010 rows read, {1010 - len(bad)} imported, {len(bad)} refused." in text
    assert Complaint.objects.filter(owner=org["agent"]).count() == 1010 - len(bad)
    link = response.context["report"]
    download = client.get(f"/integrations/import/report/{link}/")
    assert download.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content)), read_only=True).worksheets[0]
    assert [line[0] for line in list(sheet.iter_rows(values_only=True))[1:]] == sorted(bad)
    # nobody but an administrator uploads or downloads
    agent = Client()
    assert agent.login(username="agent", password=PASSWORD)
    assert agent.get("/integrations/import/").status_code == 403
    assert agent.get(f"/integrations/import/report/{link}/").status_code == 403


@pytest.mark.django_db
def test_the_upload_page_says_what_is_wrong_in_chinese(org: Any, tmp_path: Path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from orgkit import PASSWORD

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert client.login(username="admin", password=PASSWORD)
    response = client.post("/integrations/import/", {
        "file": SimpleUploadedFile("x.csv", "电话,鞋码\n13912345678,42\n".encode()), "owner": "agent"})
    assert response.status_code == 422
    assert "未知的列：鞋码" in response.content.decode()
    response = client.post("/integrations/import/", {
        "file": SimpleUploadedFile("x.csv", "电话\n13912345678\n".encode()), "owner": "admin"})
    assert "admin 不能登记投诉" in response.content.decode()
    assert Complaint.objects.count() == 0


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
def test_the_heap_is_frozen_while_rows_are_imported_and_given_back_after(org: Any, tmp_path: Path) -> None:
    """Everything loaded before the import is kept out of the garbage collector's walks while the
    rows come and go (integrations/importer.py ``_heap_frozen``), and the process is left as it was:
    unfrozen when it was, still frozen when it had frozen its heap itself (the web worker, wsgi.py)."""
    import csv
    import gc

    from django.contrib.auth import get_user_model

    rows, _bad = register_rows(1200)
    source = tmp_path / "register.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        writer.writerows(rows)
    agent = get_user_model().objects.get(username="agent")
    seen: list[int] = []
    # a test that imported complaintdesk.wsgi in this process froze its heap: start from unfrozen,
    # and leave the process frozen again at the end if it was
    was_frozen = gc.get_freeze_count() > 0
    gc.unfreeze()
    try:
        result = complaints_import(actor=agent, path=source,
                                   progress=lambda _done, _total: seen.append(gc.get_freeze_count()))
        assert result.imported > 1000 and seen and min(seen) > 0
        assert gc.get_freeze_count() == 0
        gc.freeze()
        complaints_import(actor=agent, path=source, dry_run=True)
        assert gc.get_freeze_count() > 0  # not unfrozen by the import (objects freed since leave the count)
    finally:
        gc.unfreeze()
        if was_frozen:
            gc.freeze()


@pytest.mark.django_db
def test_the_upload_page_refuses_a_register_longer_than_it_imports(org: Any, tmp_path: Path, monkeypatch: Any) -> None:
    # the page imports within the request: a longer file would be cut off by the web server's
    # timeout after some batches were committed, so it is refused whole, pointing to the command
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from complaintdesk.integrations import views
    from orgkit import PASSWORD

    monkeypatch.setattr(views, "MAX_PAGE_ROWS", 5)
    rows = [good_row(index) for index in range(6)]
    source = tmp_path / "six.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADINGS, *rows])
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert client.login(username="admin", password=PASSWORD)
    assert "最多 5 行、50 MB" in client.get("/integrations/import/").content.decode()
    response = client.post("/integrations/import/", {
        "file": SimpleUploadedFile("six.csv", source.read_bytes()), "owner": "agent"})
    assert response.status_code == 422
    assert "six.csv 有 6 行；此页面最多导入 5 行。请使用 complaintdesk import 命令导入。" in response.content.decode()
    assert Complaint.objects.count() == 0
    # the limit itself is imported, in English too
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADINGS, *rows[:5]])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="admin", password=PASSWORD)
    assert "Up to 5 rows and 50 MB" in client.get("/integrations/import/").content.decode()
    response = client.post("/integrations/import/", {
        "file": SimpleUploadedFile("five.csv", source.read_bytes()), "owner": "agent"})
    assert response.status_code == 200 and "5 rows read, 5 imported, 0 refused." in response.content.decode()


@pytest.mark.django_db
def test_a_workbook_that_does_not_declare_its_size_is_counted_before_the_limit(org: Any, tmp_path: Path) -> None:
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
    with pytest.raises(ImportFileError, match="has 4 rows; this page imports up to 3"):
        complaints_import(actor=org["agent"], path=source, max_rows=3)
    assert Complaint.objects.count() == 0
    assert complaints_import(actor=org["agent"], path=source, max_rows=4).imported == 4
