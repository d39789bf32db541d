"""The same register is not imported twice by mistake (integrations/import_once.py): a file whose
content was imported before is refused before any row is read, by the command and by the page, in
the importing user's language, saying when, by whom and which numbers; ``--again`` / "Import it
again" imports it all the same; a dry run is never refused and records nothing; an import that
stopped half-way is known by what it wrote."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from complaintdesk.cli import main
from complaintdesk.complaints.models import Complaint
from complaintdesk.integrations.import_jobs import import_job_run
from complaintdesk.integrations.import_once import ImportedBefore
from complaintdesk.integrations.importer import complaints_import
from complaintdesk.integrations.models import ImportedFile, ImportJob
from orgkit import PASSWORD
from registerkit import HEADINGS, good_row

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADINGS, *rows])
    return out.getvalue().encode()


def _register(tmp_path: Path, count: int, name: str = "register.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(_csv([good_row(index) for index in range(count)]))
    return path


def test_the_command_refuses_a_file_it_imported_before_unless_asked_again(org: Any, tmp_path: Path,
                                                                          capsys: Any) -> None:
    source = _register(tmp_path, 3)
    assert main(["import", str(source), "--as", "agent"]) == 0
    first = sorted(Complaint.objects.values_list("number", flat=True))
    capsys.readouterr()
    record = ImportedFile.objects.get()
    assert (record.file_name, record.imported, record.first_number, record.last_number) == (
        "register.csv", 3, first[0], first[-1])
    assert record.imported_by == org["agent"] and len(record.digest) == 64
    # the same bytes under another name are the same file
    copy = tmp_path / "register (1).csv"
    copy.write_bytes(source.read_bytes())
    assert main(["import", str(copy), "--as", "agent"]) == 1
    err = capsys.readouterr().err
    assert (f"register.csv was imported before, on {record.started_at.astimezone(_shanghai()):%Y-%m-%d %H:%M} by "
            f"Agent Test: 3 complaints, numbers {first[0]} to {first[-1]}. Importing it again would register each "
            f"of them a second time.") in err
    assert "To import it all the same, add --again." in err
    assert Complaint.objects.count() == 3 and ImportedFile.objects.count() == 1  # nothing written
    # a dry run checks the rows as always, and records nothing
    assert main(["import", str(copy), "--as", "agent", "--dry-run"]) == 0
    assert "3 rows read, 3 valid (dry run, nothing written), 0 refused" in capsys.readouterr().out
    assert ImportedFile.objects.count() == 1
    assert main(["import", str(copy), "--as", "agent", "--again"]) == 0
    assert Complaint.objects.count() == 6 and ImportedFile.objects.count() == 2
    # a file with other content is another file
    assert main(["import", str(_register(tmp_path, 4, "longer.csv")), "--as", "agent"]) == 0


def _shanghai() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


def test_a_chinese_speaking_user_is_told_in_chinese(org: Any, tmp_path: Path, capsys: Any) -> None:
    source = _register(tmp_path, 2)
    complaints_import(actor=org["agent"], path=source, now=NOW)
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    agent = org["agent"]
    agent.language = "zh-hans"
    agent.save(update_fields=["language"])
    assert main(["import", str(source), "--as", "agent"]) == 1
    err = capsys.readouterr().err
    assert (f"register.csv 已于 2026年11月20日 11:00 由 Agent Test 导入：2 件投诉，编号 {numbers[0]} 至 {numbers[1]}。"
            "再次导入会把其中每件投诉再登记一次。") in err
    assert "如确需再次导入，请加上 --again。" in err
    agent.language = "en"
    agent.save(update_fields=["language"])


def test_an_import_that_stopped_half_way_is_known_by_what_it_wrote(org: Any, tmp_path: Path,
                                                                   monkeypatch: Any) -> None:
    from complaintdesk.integrations import importer

    source = _register(tmp_path, 25)
    original, calls = importer.write_batch, []

    def second_fails(*args: Any, **kwargs: Any) -> list[str]:
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionError("the database went away")
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "write_batch", second_fails)
    with pytest.raises(ConnectionError):
        complaints_import(actor=org["agent"], path=source, now=NOW, batch=10)
    monkeypatch.setattr(importer, "write_batch", original)
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    assert len(numbers) == 10
    record = ImportedFile.objects.get()
    assert (record.imported, record.first_number, record.last_number) == (10, numbers[0], numbers[-1])
    with pytest.raises(ImportedBefore) as refused:
        complaints_import(actor=org["agent"], path=source, now=NOW)
    assert f"10 complaints, numbers {numbers[0]} to {numbers[-1]}" in str(refused.value)
    assert Complaint.objects.count() == 10


def test_a_register_whose_rows_were_all_refused_is_not_recorded(org: Any, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_bytes(_csv([["Nobody", "not a phone"]]))
    assert complaints_import(actor=org["agent"], path=source, now=NOW).imported == 0
    assert not ImportedFile.objects.exists()
    assert complaints_import(actor=org["agent"], path=source, now=NOW).imported == 0  # not refused as imported


def _client(language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username="admin", password=PASSWORD)
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_refuses_at_once_a_file_imported_before_unless_ticked(org: Any, settings: Any, tmp_path: Path,
                                                                       language: str) -> None:
    settings.VAR_DIR = tmp_path / "var"
    content = _csv([good_row(index) for index in range(2)])
    admin = _client(language)
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("week.csv", content), "owner": "agent"})
    assert import_job_run(job_id=ImportJob.objects.get().pk) == "done"
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    response = admin.post("/integrations/import/", {"file": SimpleUploadedFile("week-again.csv", content),
                                                    "owner": "agent", "mapping": ""})
    page = response.content.decode()
    assert response.status_code == 422 and ImportJob.objects.count() == 1  # nothing queued, nothing kept
    when = ImportedFile.objects.get().started_at.astimezone(_shanghai())
    if language == "en":
        assert (f"week.csv was imported before, on {when:%Y-%m-%d %H:%M} by Admin Test: 2 complaints, "
                f"numbers {numbers[0]} to {numbers[1]}.") in page
        assert "Tick “Import it again” to import it all the same." in page
    else:
        assert (f"week.csv 已于 {when.year}年{when.month}月{when.day}日 {when:%H:%M} 由 Admin Test 导入：2 件投诉，"
                f"编号 {numbers[0]} 至 {numbers[1]}。") in page
        assert "如确需再次导入，请勾选“再次导入”。" in page
    assert 'id="id_again"' in page
    # a check of the same file is not refused
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("week.csv", content), "owner": "agent",
                                         "dry_run": "1"})
    assert ImportJob.objects.count() == 2
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("week.csv", content), "owner": "agent",
                                         "again": "1"})
    job = ImportJob.objects.filter(dry_run=False, again=True).get()
    assert import_job_run(job_id=job.pk) == "done"
    assert Complaint.objects.count() == 4
