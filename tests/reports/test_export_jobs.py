"""Large exports written by the worker with their progress (services/exports.py): past the stream
limit the list's export is queued, the task writes the same rows as the streamed export, the
progress is saved as it goes, the file is served only to the user who asked for it, and the worker
deletes it COMPLAINTDESK_EXPORT_FILE_DAYS days after it was written."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from complaintdesk.reports.models import ExportJob
from complaintdesk.reports.services.exports import export_job_run


def _queued_task_ids() -> list[int]:
    from django_tasks_db.models import DBTaskResult

    return [r.args_kwargs["args"][0] for r in DBTaskResult.objects.ready() if r.task_path.endswith("write_export")]


def test_a_small_export_still_streams(dataset: Any, client: Any) -> None:
    client.force_login(dataset.org["specialist"])
    response = client.get("/exports/complaints.csv")
    assert response.status_code == 200 and response.streaming
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_export_is_written_by_the_worker_with_its_progress(dataset: Any, client: Any, settings: Any,
                                                                    fmt: str) -> None:
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.core.models import AuditEvent

    settings.COMPLAINTDESK_EXPORT_STREAM_LIMIT = 10
    client.force_login(dataset.org["specialist"])
    response = client.get(f"/exports/complaints.{fmt}", {"level": "major"}, HTTP_ACCEPT_LANGUAGE="en")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/jobs/{job.pk}/"
    expected = list(Complaint.objects.filter(level="major").order_by("-registered_at", "-id")
                    .values_list("number", flat=True))
    assert job.state == "queued" and job.total == len(expected) > 10 and job.params == {"level": "major"}
    assert _queued_task_ids() == [job.pk]
    assert AuditEvent.objects.filter(action="export.requested").count() == 1
    page = client.get(f"/exports/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'hx-trigger="every 1s"' in page.content.decode()
    assert "0 of" in page.content.decode()
    assert export_job_run(job_id=job.pk) == "done"
    assert export_job_run(job_id=job.pk) == "done"  # claimed once: a second run writes nothing
    job.refresh_from_db()
    assert job.done == job.total == len(expected) and job.percent == 100
    status = client.get(f"/exports/jobs/{job.pk}/status").content.decode()
    assert "hx-trigger" not in status and f"/exports/jobs/{job.pk}/file" in status  # polling stops
    download = client.get(f"/exports/jobs/{job.pk}/file")
    body = b"".join(download.streaming_content)
    if fmt == "csv":
        text = body.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        numbers = [row[0] for row in rows[1:]]
    else:
        sheet = load_workbook(io.BytesIO(body)).active
        numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == expected


def test_progress_is_saved_while_the_rows_are_written(dataset: Any, monkeypatch: Any) -> None:
    from complaintdesk.reports.services import exports

    monkeypatch.setattr(exports, "CHUNK", 7)
    job = ExportJob.objects.create(requested_by=dataset.org["specialist"], source="complaints", params={},
                                   fmt="csv", total=0, created_at=dataset.complaints[0].registered_at)
    seen: list[int] = []
    original = exports._counted

    def watching(rows: Any, job_id: int) -> Any:
        for index, row in enumerate(original(rows, job_id)):
            if index and index % 7 == 0:
                seen.append(ExportJob.objects.get(pk=job_id).done)
            yield row

    monkeypatch.setattr(exports, "_counted", watching)
    assert export_job_run(job_id=job.pk) == "done"
    assert seen[:3] == [7, 14, 21]


def test_the_file_is_served_only_to_its_requester(dataset: Any, client: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_EXPORT_STREAM_LIMIT = 10
    client.force_login(dataset.org["specialist"])
    client.get("/exports/queues/level-major.xlsx")
    job = ExportJob.objects.get()
    assert job.source == "queue-level-major"
    export_job_run(job_id=job.pk)
    assert client.get(f"/exports/jobs/{job.pk}/file").status_code == 200
    client.force_login(dataset.org["supervisor"])
    for path in ("", "status", "file"):
        assert client.get(f"/exports/jobs/{job.pk}/{path}").status_code == 404
    client.logout()
    assert client.get(f"/exports/jobs/{job.pk}/file").status_code == 302  # to the login page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_file_is_deleted_days_after_it_was_written_and_the_job_says_so(dataset: Any, client: Any, settings: Any,
                                                                          tmp_path: Any, language: str) -> None:
    from datetime import timedelta

    from django.utils import timezone, translation

    from complaintdesk.core.models import AuditEvent
    from complaintdesk.core.periodic import PERIODIC
    from complaintdesk.reports.services.exports import export_directory, export_files_purge

    settings.VAR_DIR = tmp_path / "var"
    settings.COMPLAINTDESK_EXPORT_STREAM_LIMIT = 10
    client.force_login(dataset.org["specialist"])
    client.cookies["django_language"] = language
    for _ in range(2):
        client.get("/exports/complaints.csv")
    old, recent = ExportJob.objects.order_by("pk")
    for job in (old, recent):
        assert export_job_run(job_id=job.pk) == "done"
        job.refresh_from_db()
    now = timezone.now()
    ExportJob.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=7, minutes=1))
    ExportJob.objects.filter(pk=recent.pk).update(finished_at=now - timedelta(days=6, hours=23))
    kept, gone = export_directory() / recent.file_name, export_directory() / old.file_name
    assert kept.is_file() and gone.is_file()
    assert export_files_purge(now) == 1 and export_files_purge(now) == 0  # once
    assert kept.is_file() and not gone.exists()
    old.refresh_from_db()
    assert old.file_name == "" and old.file_deleted_at == now and old.state == "done" and old.total > 10
    assert client.get(f"/exports/jobs/{old.pk}/file").status_code == 404
    assert client.get(f"/exports/jobs/{recent.pk}/file").status_code == 200
    page = client.get(f"/exports/jobs/{old.pk}/").content.decode()
    with translation.override(language):
        said = translation.ngettext(
            "The file was deleted on %(date)s: exports are kept %(days)s day. Export the list again for today's "
            "rows.", "The file was deleted on %(date)s: exports are kept %(days)s days. Export the list again for "
            "today's rows.", 7) % {"date": timezone.localdate(now).isoformat(), "days": 7}
        kept_for = translation.ngettext("It is deleted %(days)s day after it was written.",
                                        "It is deleted %(days)s days after it was written.", 7) % {"days": 7}
    assert 'data-testid="export-file-deleted"' in page and said in page  # the sentence as written, not escaped
    assert kept_for in page and "export-download" not in page
    event = AuditEvent.objects.get(action="export.file_deleted")
    assert event.object_id == str(old.pk) and event.after == {"source": "complaints", "format": "csv", "days": 7}
    assert export_files_purge in PERIODIC  # run by the worker with every sweep


def test_an_export_left_being_written_by_a_stopped_worker_fails_and_its_part_is_deleted(dataset: Any, client: Any,
                                                                                        settings: Any,
                                                                                        tmp_path: Any) -> None:
    """A worker stopped while writing leaves the job running; its task runs again once its lease has
    expired (task_lease.py) and records the job as failed, deleting the part written, so that the
    page stops polling and says the export could not be written."""
    from complaintdesk.core.models import AuditEvent
    from complaintdesk.reports.services.exports import export_directory

    settings.VAR_DIR = tmp_path / "var"
    settings.COMPLAINTDESK_EXPORT_STREAM_LIMIT = 10
    client.force_login(dataset.org["specialist"])
    client.cookies["django_language"] = "en"
    client.get("/exports/complaints.xlsx")
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(state="running", done=4000)  # as the stopped worker left it
    part = export_directory() / f"{job.pk}-0123456789abcdef.xlsx"
    part.write_bytes(b"PK half a workbook")
    other = export_directory() / f"{job.pk + 1}-0123456789abcdef.xlsx"  # another job's file stays
    other.write_bytes(b"PK")
    assert export_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == "failed" and job.finished_at is not None and "worker stopped" in job.error
    assert not part.exists() and other.exists()
    assert export_job_run(job_id=job.pk) == "failed"  # and stays so
    status = client.get(f"/exports/jobs/{job.pk}/status").content.decode()
    assert "hx-trigger" not in status and 'data-testid="export-failed"' in status
    assert "The export could not be written. Try again, or narrow the filters." in status
    assert client.get(f"/exports/jobs/{job.pk}/file").status_code == 404
    event = AuditEvent.objects.get(action="export.failed")
    assert event.after == {"source": "complaints", "format": "xlsx", "rows_written": 4000}
