"""The import page (integrations/views.py, import_jobs.py): an uploaded register is checked at once
(owner, file type, size, heading row, columns), kept outside the static files and imported by the
worker while the page shows its progress; then the summary and the report of refused rows, only
for the administrator who uploaded it. A web request never imports."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.models import AuditEvent
from complaintdesk.integrations.import_jobs import import_directory, import_job_run
from complaintdesk.integrations.models import ImportJob
from orgkit import PASSWORD
from registerkit import HEADINGS, good_row, register_rows, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def _client(username: str, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=username, password=PASSWORD)
    return client


def _queued() -> list[int]:
    from django_tasks_db.models import DBTaskResult

    return [r.args_kwargs["args"][0] for r in DBTaskResult.objects.ready() if r.task_path.endswith("import_register")]


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADINGS, *rows])
    return out.getvalue().encode()


def test_an_upload_is_imported_by_the_worker_with_its_progress_then_the_report(org: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows, bad = register_rows(1010)
    source = tmp_path / "week.xlsx"
    write_xlsx(source, HEADINGS, rows)
    admin = _client("admin")
    assert admin.get("/integrations/import/").status_code == 200
    response = admin.post("/integrations/import/", {"file": SimpleUploadedFile("week.xlsx", source.read_bytes()),
                                                    "owner": "agent"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/integrations/import/jobs/{job.pk}/"
    # the request imported nothing: it kept the file (for the service's account only) and queued the task
    assert Complaint.objects.count() == 0
    assert job.state == "queued" and job.total == 1010 and job.owner == org["agent"] and job.language == "en"
    assert _queued() == [job.pk]
    upload = import_directory() / job.upload
    assert upload.read_bytes() == source.read_bytes() and stat.S_IMODE(upload.stat().st_mode) == 0o600
    assert AuditEvent.objects.filter(action="import.requested").count() == 1
    page = admin.get(f"/integrations/import/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "0 of 1010 rows checked" in page and "Import of week.xlsx" in page

    assert import_job_run(job_id=job.pk) == "done"
    assert import_job_run(job_id=job.pk) == "done"  # claimed once: a second run imports nothing
    job.refresh_from_db()
    imported = 1010 - len(bad)
    assert (job.done, job.imported, job.refused, job.percent) == (1010, imported, len(bad), 100)
    assert Complaint.objects.filter(owner=org["agent"]).count() == imported
    numbers = list(Complaint.objects.order_by("pk").values_list("number", flat=True))
    assert (job.first_number, job.last_number) == (numbers[0], numbers[-1])
    assert job.last_row == max(set(range(2, 1012)) - set(bad)) and job.seconds > 0
    assert not upload.exists() and job.upload == ""  # the register's personal data is not kept
    assert AuditEvent.objects.filter(action="import.finished").count() == 1
    status = admin.get(f"/integrations/import/jobs/{job.pk}/status").content.decode()
    assert "hx-trigger" not in status  # polling stops
    assert f"1010 rows read, {imported} imported, {len(bad)} refused." in status
    assert f"First number {numbers[0]}, last {numbers[-1]}." in status
    download = admin.get(f"/integrations/import/jobs/{job.pk}/report")
    assert download.status_code == 200 and 'filename="week-refused.xlsx"' in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).worksheets[0]
    assert [line[0] for line in list(sheet.iter_rows(values_only=True))[1:]] == sorted(bad)
    listing = admin.get("/integrations/import/").content.decode()
    assert f'href="/integrations/import/jobs/{job.pk}/"' in listing and f"{imported} imported" in listing


def test_only_the_administrator_who_uploaded_sees_the_job(org: Any) -> None:
    from complaintdesk.accounts.services import user_create
    from complaintdesk.policy.schema import Role

    admin = _client("admin")
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("r.csv", _csv([good_row(1), ["", "1"]])),
                                         "owner": "agent"})
    job = ImportJob.objects.get()
    assert import_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert job.report  # the second row was refused
    urls = [f"/integrations/import/jobs/{job.pk}/", f"/integrations/import/jobs/{job.pk}/status",
            f"/integrations/import/jobs/{job.pk}/report"]
    agent = _client("agent")
    assert agent.get("/integrations/import/").status_code == 403
    assert [agent.get(url).status_code for url in urls] == [403, 403, 403]
    user_create(actor=None, username="admin2", password=PASSWORD, roles=[Role.ADMIN], first_name="Second",
                last_name="Admin", language="en")
    other = _client("admin2")
    assert [other.get(url).status_code for url in urls] == [404, 404, 404]
    assert "r.csv" not in other.get("/integrations/import/").content.decode()
    assert [admin.get(url).status_code for url in urls] == [200, 200, 200]
    assert admin.get("/integrations/import/jobs/999999/").status_code == 404


@pytest.mark.parametrize(("upload", "owner", "message"), [
    (("x.csv", "电话,鞋码\n13912345678,42\n".encode()), "agent", "未知的列：鞋码。请在“列对应”中把每一列对应"),
    (("x.csv", "电话\n13912345678\n".encode()), "admin", "admin 不能登记投诉"),
    (("x.csv", "电话\n13912345678\n".encode()), "", "请选择导入投诉的负责人。"),
    (("x.txt", b"phone\n1\n"), "agent", "请导入 .xlsx 或 .csv 文件，而不是 .txt。"),
    (("x.xlsx", b"not a workbook"), "agent", "x.xlsx 不是可读取的 Excel 文件：它不是 .xlsx 工作簿"),
    (("x.xlsx", b"PK\x03\x04 broken"), "agent", "x.xlsx 不是可读取的 Excel 文件："),
    (("x.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00"), "agent", "x.csv 不是可读取的 CSV 文件：其中含有二进制数据"),
    (("x.csv", "Name,Phone\nRené,\xff\n".encode("latin-1")), "agent", "它既不是 UTF-8 也不是 GB18030"),
    (("x.csv", b""), "agent", "请选择 .xlsx 或 .csv 文件。"),
])
def test_what_is_wrong_is_said_at_once_in_chinese_and_nothing_is_kept(org: Any, upload: tuple[str, bytes],
                                                                      owner: str, message: str) -> None:
    admin = _client("admin", "zh-hans")
    response = admin.post("/integrations/import/", {"file": SimpleUploadedFile(*upload), "owner": owner})
    assert response.status_code == 422
    text = response.content.decode()
    assert message in text and 'data-testid="import-error"' in text
    assert "zip" not in text and "--map" not in text  # neither a library's English nor the command's options
    assert not ImportJob.objects.exists() and not _queued() and Complaint.objects.count() == 0
    assert not any(import_directory().iterdir())  # no upload kept


@pytest.mark.parametrize(("upload", "message"), [
    (("x.csv", b"Phone,Shoe size\n13912345678,42\n"),
     'Unknown columns: Shoe size. Map each to a field under &quot;Column mapping&quot; (e.g. Tel=customer.phone)'),
    (("x.xlsx", b"not a workbook"), "x.xlsx is not a readable Excel file: it is not an .xlsx workbook"),
    (("x.csv", bytes(range(256))), "x.csv is not a readable CSV file: it holds binary data, not text"),
])
def test_a_file_that_cannot_be_read_is_explained_in_english(org: Any, upload: tuple[str, bytes], message: str) -> None:
    response = _client("admin").post("/integrations/import/", {"file": SimpleUploadedFile(*upload), "owner": "agent"})
    assert response.status_code == 422
    text = response.content.decode()
    assert message in text and "zip file" not in text
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(("mapping", "message"), [
    ("Tel=customer.fone", "列对应 Tel=customer.fone：customer.fone 不是投诉的字段。"),
    ("电话号=customer.phone", "列对应 电话号=customer.phone：文件中没有“电话号”列（文件的列：Tel、类别）。"),
    ("Tel customer.phone", "列对应：每行写一个“列名=字段”（例如 Tel=customer.phone），而不是“Tel customer.phone”。"),
])
def test_a_wrong_column_mapping_is_named_in_chinese(org: Any, mapping: str, message: str) -> None:
    upload = SimpleUploadedFile("x.csv", "Tel,类别\n13912345678,product\n".encode())
    response = _client("admin", "zh-hans").post("/integrations/import/", {"file": upload, "owner": "agent",
                                                                         "mapping": mapping})
    assert response.status_code == 422
    text = response.content.decode()
    assert message in text and 'data-testid="import-error"' in text
    assert mapping in text  # the mapping typed is kept in its field, to be corrected
    assert not ImportJob.objects.exists() and not _queued()


def test_every_problem_of_the_form_is_said_at_once(org: Any) -> None:
    response = _client("admin").post("/integrations/import/", {"owner": ""})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Choose a .xlsx or .csv file. Choose the user who will own the imported complaints." in text
    assert not ImportJob.objects.exists()


def test_a_file_larger_than_the_page_takes_is_refused_unread(org: Any, monkeypatch: Any) -> None:
    from complaintdesk.integrations import views

    monkeypatch.setattr(views, "MAX_UPLOAD", 10)
    response = _client("admin").post("/integrations/import/", {
        "file": SimpleUploadedFile("big.csv", _csv([good_row(1)])), "owner": "agent"})
    assert response.status_code == 422
    assert "larger than 50 MB" in response.content.decode() and not ImportJob.objects.exists()


def test_a_check_only_upload_imports_nothing(org: Any) -> None:
    rows = [good_row(index) for index in range(3)] + [["", "123"]]
    admin = _client("admin", "zh-hans")
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("c.csv", _csv(rows)), "owner": "agent",
                                         "dry_run": "1"})
    job = ImportJob.objects.get()
    assert job.dry_run and job.language == "zh-hans"
    assert "检查 c.csv" in admin.get(f"/integrations/import/jobs/{job.pk}/").content.decode()
    assert import_job_run(job_id=job.pk) == "done"
    assert Complaint.objects.count() == 0
    status = admin.get(f"/integrations/import/jobs/{job.pk}/status").content.decode()
    assert "读取 4 行，3 行有效，拒绝 1 行；未导入任何数据（仅检查）。" in status


def test_a_failed_import_says_which_rows_were_written(org: Any, monkeypatch: Any) -> None:
    """Batches are committed as they go: the job saves what was written after each one, so when the
    import stops the page names the last row written, in the uploader's language."""
    from complaintdesk.integrations import import_jobs, importer

    rows = [good_row(index) for index in range(1200)]
    admin = _client("admin", "zh-hans")
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("f.csv", _csv(rows)), "owner": "agent"})
    job = ImportJob.objects.get()
    upload = import_directory() / job.upload
    seen: list[tuple[int, int]] = []
    original = importer.write_batch

    def second_fails(*args: Any, **kwargs: Any) -> list[str]:
        seen.append((ImportJob.objects.get().imported, ImportJob.objects.get().done))
        if len(seen) == 2:
            raise ConnectionError("the database went away")
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "write_batch", second_fails)
    monkeypatch.setattr(import_jobs, "ROWS_A_BATCH", 600)
    assert import_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    # seen by the page while the import ran: rows checked every 500 rows, what was written after each batch
    assert seen == [(0, 500), (600, 1000)]
    assert (job.state, job.imported, job.last_row) == ("failed", 600, 601) and Complaint.objects.count() == 600
    assert job.error == "导入因意外错误而中止；详情见服务器日志。" and not upload.exists()
    text = admin.get(f"/integrations/import/jobs/{job.pk}/status").content.decode()
    assert "第 601 行及之前的行已导入（600 件投诉）后导入中止；请导入其后的行。" in text and "hx-trigger" not in text
    assert AuditEvent.objects.filter(action="import.failed").count() == 1


def test_an_upload_that_is_gone_fails_with_a_message(org: Any) -> None:
    admin = _client("admin")
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("g.csv", _csv([good_row(1)])), "owner": "agent"})
    job = ImportJob.objects.get()
    (import_directory() / job.upload).unlink()
    assert import_job_run(job_id=job.pk) == "failed"
    text = admin.get(f"/integrations/import/jobs/{job.pk}/status").content.decode()
    assert "The uploaded file is no longer there; upload it again." in text and "Nothing was imported." in text
    assert import_job_run(job_id=123456) == "missing"


def test_the_worker_process_imports_the_upload(org_tx: Any, run_worker_process: Any, settings: Any,
                                               monkeypatch: Any) -> None:
    """The real ``complaintdesk worker`` runs the task, validating in its forked processes."""
    from complaintdesk.accounts.models import User
    from complaintdesk.integrations.import_jobs import import_job_start

    monkeypatch.setenv("COMPLAINTDESK_VAR_DIR", str(settings.VAR_DIR))  # where the upload is kept
    monkeypatch.setenv("COMPLAINTDESK_KEYS_DIR", str(settings.COMPLAINTDESK_KEYS_DIR))  # the same keys
    rows = [good_row(index) for index in range(1200)]  # more than one chunk of 500: the pool validates
    job = import_job_start(actor=User.objects.get(username="admin"), owner=User.objects.get(username="agent"),
                           file_name="w.csv", content=_csv(rows), mapping={}, dry_run=False, language="en")
    result = run_worker_process(timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    job.refresh_from_db()
    assert (job.state, job.imported, job.refused) == ("done", 1200, 0), job.error
    assert Complaint.objects.count() == 1200


def test_what_a_batch_wrote_is_recorded_in_its_own_transaction(org: Any, monkeypatch: Any) -> None:
    """The job is updated in the batch's transaction: if recording fails, the batch is not written
    either, so the page never says less (or more) than what was committed."""
    from complaintdesk.integrations import import_jobs

    admin = _client("admin")
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("t.csv", _csv([good_row(1), good_row(2)])),
                                         "owner": "agent"})
    job = ImportJob.objects.get()

    def broken(_job_id: int) -> Any:
        def record(_result: Any) -> None:
            raise RuntimeError("the job row could not be written")

        return record

    monkeypatch.setattr(import_jobs, "_written", broken)
    assert import_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert Complaint.objects.count() == 0 and (job.imported, job.last_row) == (0, 0)
    assert "Nothing was imported." in admin.get(f"/integrations/import/jobs/{job.pk}/status").content.decode()


def test_an_import_left_running_by_a_stopped_worker_is_recorded_as_failed(org: Any) -> None:
    """A worker killed during an import leaves the job running; its task is taken back once its lease
    expires (task_lease.py) and runs again: the job is then recorded as failed, in the uploader's
    language, with the rows its committed batches wrote — never imported a second time."""
    admin = _client("admin", "zh-hans")
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("k.csv", _csv([good_row(1)])), "owner": "agent"})
    job = ImportJob.objects.get()
    upload = import_directory() / job.upload
    ImportJob.objects.filter(pk=job.pk).update(state="running", imported=2000, last_row=2003, done=2500)
    assert import_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "导入过程中后台任务进程停止了（被停止或重启）。" and not upload.exists()
    assert Complaint.objects.count() == 0  # nothing imported again
    text = admin.get(f"/integrations/import/jobs/{job.pk}/status").content.decode()
    assert "第 2003 行及之前的行已导入（2000 件投诉）后导入中止；请导入其后的行。" in text
    assert AuditEvent.objects.filter(action="import.failed").count() == 1
    assert import_job_run(job_id=job.pk) == "failed"  # finished: a further run changes nothing
    assert AuditEvent.objects.filter(action="import.failed").count() == 1


def test_the_reports_of_refused_rows_are_deleted_after_the_days_set(org: Any, settings: Any) -> None:
    """A report holds the refused rows as uploaded (personal data): the worker deletes it
    ``COMPLAINTDESK_IMPORT_REPORT_DAYS`` days after the import; the job keeps its figures and says
    when the report went, in the reader's language."""
    from datetime import timedelta

    from django.utils import timezone

    from complaintdesk.core.periodic import PERIODIC
    from complaintdesk.integrations.import_jobs import import_reports_purge

    assert import_reports_purge in PERIODIC  # run by the worker with every sweep
    settings.COMPLAINTDESK_IMPORT_REPORT_DAYS = 30
    admin = _client("admin", "zh-hans")
    admin.post("/integrations/import/", {"file": SimpleUploadedFile("p.csv", _csv([good_row(1), ["", "1"]])),
                                         "owner": "agent"})
    job = ImportJob.objects.get()
    assert import_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    report = import_directory() / job.report
    assert report.is_file()
    assert job.finished_at is not None
    assert import_reports_purge(now=job.finished_at + timedelta(days=29)) == 0 and report.is_file()
    later = job.finished_at + timedelta(days=30, minutes=1)
    assert import_reports_purge(now=later) == 1 and not report.exists()
    job.refresh_from_db()
    assert (job.report, job.report_deleted_at, job.imported, job.refused) == ("", later, 1, 1)
    assert admin.get(f"/integrations/import/jobs/{job.pk}/report").status_code == 404
    date = timezone.localtime(later).strftime("%Y-%m-%d")
    text = admin.get(f"/integrations/import/jobs/{job.pk}/status").content.decode()
    assert f"被拒绝行报告已于 {date} 删除：报告包含上传时的原始行，保留 30 天。" in text
    assert AuditEvent.objects.filter(action="import.report_deleted").count() == 1
    assert import_reports_purge(now=later + timedelta(days=1)) == 0
