"""Large exports of lists and queues, written by the worker with their progress (docs/reports.md).

An export of more rows than ``COMPLAINTDESK_EXPORT_STREAM_LIMIT`` is not streamed to the browser:
``export_job_start`` records the request and queues a task; the task (``export_job_run``) writes
the file under ``<var>/exports/`` row by row, saving how many rows are written every 2,000 rows,
so that the page polling the job shows a progress bar and, at the end, the download link. The
rows are those the requesting user may see, read again by the worker with the list's own
selector; the file is served only to that user, and deleted by the worker
``COMPLAINTDESK_EXPORT_FILE_DAYS`` days after it was written (``export_files_purge``)."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from complaintdesk.complaints.selectors.listing import ComplaintFilter, unit_problem
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import NotFound
from complaintdesk.core.policies import active_policy
from complaintdesk.reports.exports import (
    CHUNK,
    Formatter,
    csv_stream,
    export_rows,
    export_title,
    list_filters,
    queue_filters,
    xlsx_file,
)
from complaintdesk.reports.models import ExportJob

FORMATS = ("csv", "xlsx")


def export_directory() -> Path:
    directory = Path(settings.VAR_DIR) / "exports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def export_filters(user: Any, source: str, params: dict[str, str]) -> ComplaintFilter | None:
    """The filters of an export: the complaint list's query parameters, or a work queue's."""
    if source == "complaints":
        filters = list_filters(params)
        return replace(filters, unit="") if unit_problem(user, filters.unit) else filters
    if source.startswith("queue-"):
        return queue_filters(source.removeprefix("queue-"), active_policy()[1])
    return None


@transaction.atomic
def export_job_start(*, actor: Any, source: str, params: dict[str, str], fmt: str, language: str, total: int,
                     now: datetime | None = None) -> ExportJob:
    """Record a large export and queue the task that writes it."""
    from complaintdesk.reports.tasks import write_export  # tasks call the services: imported here (cycle)

    if fmt not in FORMATS or export_filters(actor, source, params) is None:
        raise NotFound(source)
    job = ExportJob.objects.create(requested_by=actor, source=source, params=dict(params), fmt=fmt,
                                   language=language, total=total, created_at=now or timezone.now())
    audit(actor=actor, action="export.requested", obj=job,
          after={"source": source, "format": fmt, "rows": total, "filters": dict(params)})
    write_export.enqueue(job.pk)
    return job


def _counted(rows: Iterable[tuple[Any, ...]], job_id: int) -> Iterator[tuple[Any, ...]]:
    """The rows, saving every ``CHUNK`` rows how many are written (outside any transaction, so
    that the page polling the job sees it at once)."""
    written = 0
    for row in rows:
        yield row
        written += 1
        if written % CHUNK == 0:
            ExportJob.objects.filter(pk=job_id).update(done=written)
    ExportJob.objects.filter(pk=job_id).update(done=written)


def export_job_run(*, job_id: int) -> str:
    """Write the file of a queued export (claimed first under a row lock, so never twice). A job
    found being written was left so by a worker that stopped while writing it (its task runs again
    only once its lease expired: worker.py, task_lease.py): it is recorded as failed, and the part
    of the file that was written is deleted — the page stops waiting and offers nothing half-written."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("requested_by").filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.state == ExportJob.State.RUNNING:
            for part in export_directory().glob(f"{job.pk}-*.{job.fmt}"):
                part.unlink(missing_ok=True)
            return _failed(job, "the worker stopped while writing the file (it was stopped or restarted)",
                           rows_written=job.done)
        if job.state != ExportJob.State.QUEUED:
            return str(job.state)
        job.state = ExportJob.State.RUNNING
        job.save(update_fields=["state"])
    user = job.requested_by
    filters = export_filters(user, job.source, {str(k): str(v) for k, v in job.params.items()})
    name = f"{job.pk}-{secrets.token_hex(8)}.{job.fmt}"
    target = export_directory() / name
    try:
        if filters is None:
            raise NotFound(job.source)
        with translation.override(job.language):
            _version, policy = active_policy()
            formatter = Formatter(policy, job.language)
            query = export_rows(user, filters)
            ExportJob.objects.filter(pk=job.pk).update(total=query.count())
            rows = _counted(query.iterator(chunk_size=CHUNK), job.pk)
            if job.fmt == "csv":
                with target.open("w", encoding="utf-8", newline="") as handle:
                    for text in csv_stream(rows, formatter):
                        handle.write(text)
            else:
                title = export_title(job.source, policy, job.language)
                with xlsx_file(rows, formatter, title) as written, target.open("wb") as handle:
                    shutil.copyfileobj(written, handle)
    except Exception as exc:  # recorded on the job; the page says so
        target.unlink(missing_ok=True)
        return _failed(job, str(exc))
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.DONE, file_name=name,
                                                   finished_at=timezone.now())
        audit(actor=None, action="export.written", obj=job, after={"source": job.source, "format": job.fmt})
    return str(ExportJob.State.DONE)


def _failed(job: ExportJob, error: str, **after: Any) -> str:
    """Record that the export's file could not be written (the page says so and stops waiting)."""
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, error=error[:2000],
                                                   finished_at=timezone.now())
        audit(actor=None, action="export.failed", obj=job, after={"source": job.source, "format": job.fmt, **after})
    return str(ExportJob.State.FAILED)


def export_files_purge(now: datetime | None = None) -> int:
    """Delete the files of exports written more than ``COMPLAINTDESK_EXPORT_FILE_DAYS`` days ago: an
    export is a copy of a list taken for a purpose, and kept files only pile up on the disk (a large
    one is tens of megabytes). The job stays and its page says when the file went. Run by the worker
    with every sweep; returns how many files were deleted."""
    now = now or timezone.now()
    days = settings.COMPLAINTDESK_EXPORT_FILE_DAYS
    due = list(ExportJob.objects.filter(state=ExportJob.State.DONE, finished_at__lt=now - timedelta(days=days))
               .exclude(file_name="")[:500])
    for job in due:
        (export_directory() / job.file_name).unlink(missing_ok=True)
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk).update(file_name="", file_deleted_at=now)
            audit(actor=None, action="export.file_deleted", obj=job,
                  after={"source": job.source, "format": job.fmt, "days": days})
    return len(due)
