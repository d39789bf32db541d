"""Registers uploaded on the import page, imported by the worker while the page shows the progress
(docs/integrations.md, "Excel / CSV import").

``import_job_start`` checks what can be checked at once — the importing administrator, the owner,
the file's type, size, heading row and columns — so that the page answers those at once; it keeps
the upload under ``<var>/imports/`` (outside the static and media files), records the job and
queues the task. The task (``import_job_run``) imports the file with ``complaints_import``, the
command's own service, with the command's default validating processes. It saves how many rows were
checked every 500 rows, and what each batch wrote in that batch's own transaction, so that the page
polling the job shows a progress bar and, at the end, the summary and the report of refused rows.
The upload is deleted when the import ends, however it ends; the report stays, for the administrator
who uploaded the file only. A web request never imports: a register of any size (up to the upload
limit) takes as long as it takes, with no web-server timeout to cut it off half-written.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.accounts.roles import has_role
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import DomainError, PermissionDenied, Problems, ValidationFailed, error_text
from complaintdesk.integrations.import_once import ImportedBefore, file_digest, refuse_if_imported
from complaintdesk.integrations.import_pool import validating_jobs
from complaintdesk.integrations.importer import (
    BATCH,
    BadMapping,
    ImportFileError,
    ImportResult,
    UnknownColumns,
    check_file,
    complaints_import,
    error_report,
    import_owner,
)
from complaintdesk.integrations.models import ImportJob
from complaintdesk.policy.schema import Role

logger = logging.getLogger(__name__)

SUFFIXES = (".xlsx", ".csv")
# rows a transaction writes (the command's default, ``--batch``)
ROWS_A_BATCH = BATCH
# the largest upload the page takes (a larger register is imported with the command)
MAX_UPLOAD = 50 * 1024 * 1024
TOO_LARGE = gettext_lazy("The file is larger than 50 MB; import it with the complaintdesk import command.")


def import_directory() -> Path:
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def import_job_start(*, actor: Any, owner: Any, file_name: str, content: bytes, mapping: dict[str, str],
                     dry_run: bool, language: str, now: datetime | None = None, again: bool = False) -> ImportJob:
    """Check the upload, keep it and queue its import; the problems of the file, its columns and the
    owner are answered here, before anything is queued — a file imported before too, unless ``again``
    (integrations/import_once.py)."""
    from complaintdesk.integrations.tasks import import_register  # tasks call the services (cycle)

    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied(_("Only administrators import registers."))
    problems = Problems()
    name = Path(file_name or "").name
    suffix = Path(name).suffix.lower()
    if not name or not content:
        problems.add("file", _("Choose a .xlsx or .csv file."))
    elif suffix not in SUFFIXES:
        problems.add("file", _("Import .xlsx or .csv files, not %(suffix)s.") % {"suffix": suffix or name})
    elif len(content) > MAX_UPLOAD:
        problems.add("file", TOO_LARGE)
    if owner is None:
        problems.add("owner", _("Choose the user who will own the imported complaints."))
    else:
        try:
            import_owner(actor, owner)
        except ValidationFailed as exc:
            problems.items.extend(exc.problems)
    total = 0
    if not problems.has("file"):
        try:
            total = check_file(Path(name), content, mapping)
        except BadMapping as exc:
            problems.add("mapping", exc.message)
        except UnknownColumns as exc:  # this page maps columns in its own field, not with --map
            problems.add("file", _("Unknown columns: %(columns)s. Map each to a field under \"Column mapping\" "
                                   "(e.g. Tel=customer.phone) or remove it.") % {"columns": ", ".join(exc.columns)})
        except ImportFileError as exc:
            problems.add("file", str(exc))
    if not problems.has("file") and not dry_run and not again:
        try:
            refuse_if_imported(file_digest(Path(name), content))
        except ImportedBefore as exc:
            problems.add("file", _("%(earlier)s Tick “Import it again” to import it all the same.")
                         % {"earlier": str(exc)})
    if problems:
        raise ValidationFailed(problems.items)
    stored = f"{secrets.token_hex(16)}{suffix}"
    path = import_directory() / stored
    path.write_bytes(content)
    path.chmod(0o600)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(requested_by=actor, owner=owner, file_name=name[:200], upload=stored,
                                           mapping=dict(mapping), dry_run=dry_run, again=again, language=language,
                                           total=total,
                                           created_at=now or timezone.now())
            audit(actor=actor, action="import.requested", obj=job,
                  after={"file": job.file_name, "owner": owner.username, "rows": total, "dry_run": dry_run,
                         "again": again, "mapping": dict(mapping)})
            import_register.enqueue(job.pk)
    except BaseException:
        path.unlink(missing_ok=True)  # nothing half-written: no job, no file
        raise
    return job


def _claim(job_id: int) -> ImportJob | None:
    """The queued job, marked running under a row lock (so a job is never imported twice); None when
    it is missing or finished. A job found running was left so by a worker that stopped during the
    import (its task runs again only once its lease expired: worker.py, task_lease.py): it is
    recorded as failed, with what its committed batches wrote."""
    with transaction.atomic():
        job = (ImportJob.objects.select_for_update().select_related("requested_by", "owner")
               .filter(pk=job_id).first())
        if job is None or job.finished:
            return None
        if job.state == ImportJob.State.RUNNING:
            with translation.override(job.language):
                _failed(job, _("The worker stopped during the import (it was stopped or restarted)."))
            return None
        job.state = ImportJob.State.RUNNING
        job.save(update_fields=["state"])
    return job


def _failed(job: ImportJob, message: str) -> None:
    """Record that the import stopped; its upload is deleted (what was written is on the job)."""
    if job.upload:
        (import_directory() / job.upload).unlink(missing_ok=True)
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.FAILED, upload="", error=message[:2000],
                                                   finished_at=timezone.now())
        job.refresh_from_db()
        audit(actor=job.requested_by, action="import.failed", obj=job,
              after={"file": job.file_name, "imported": job.imported, "last_row": job.last_row,
                     "error": message[:500]})


def _checked(job_id: int) -> Callable[[int, int], None]:
    def record(done: int, _total: int) -> None:  # every 500 rows
        ImportJob.objects.filter(pk=job_id).update(done=done)

    return record


def _written_fields(result: ImportResult) -> dict[str, Any]:
    """What the job records of the rows written so far."""
    return {"imported": result.imported, "refused": len(result.refused), "last_row": result.last_row,
            "first_number": result.numbers[0] if result.numbers else "",
            "last_number": result.numbers[-1] if result.numbers else ""}


def _written(job_id: int) -> Callable[[ImportResult], None]:
    def record(result: ImportResult) -> None:  # in each batch's transaction, seen when it commits
        ImportJob.objects.filter(pk=job_id).update(**_written_fields(result))

    return record


def import_job_run(*, job_id: int) -> str:
    """Import the file of a queued job; returns the job's state at the end."""
    job = _claim(job_id)
    if job is None:
        found = ImportJob.objects.filter(pk=job_id).values_list("state", flat=True).first()
        return str(found or "missing")
    path = import_directory() / job.upload
    with translation.override(job.language):  # the problems, the report and the error in the uploader's language
        try:
            if not job.upload or not path.is_file():
                raise ImportFileError(_("The uploaded file is no longer there; upload it again."))
            result = complaints_import(
                actor=job.requested_by, owner=job.owner, path=Path(job.file_name), content=path.read_bytes(),
                mapping={str(k): str(v) for k, v in job.mapping.items()}, dry_run=job.dry_run, batch=ROWS_A_BATCH,
                jobs=validating_jobs(writing=not job.dry_run), again=job.again,
                progress=_checked(job_id),
                on_batch=_written(job_id))
        except Exception as exc:  # recorded on the job; the page says so, with what was written before
            if isinstance(exc, DomainError):
                message = error_text(exc)
            elif isinstance(exc, ImportFileError):
                message = str(exc)
            else:
                logger.exception("import job %s failed", job_id)
                message = _("The import stopped because of an unexpected error; the server's log says more.")
            _failed(job, message)
            return str(ImportJob.State.FAILED)
        report = ""
        if result.refused:
            report = f"{job.pk}-{secrets.token_hex(8)}.xlsx"
            target = import_directory() / report
            target.write_bytes(error_report(result))
            target.chmod(0o600)
    path.unlink(missing_ok=True)
    with transaction.atomic():
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.DONE, upload="", total=result.total, done=result.total, report=report,
            seconds=result.seconds, finished_at=timezone.now(), **_written_fields(result))
        audit(actor=job.requested_by, action="import.finished", obj=job,
              after={"file": job.file_name, "rows": result.total, "imported": result.imported,
                     "refused": len(result.refused), "dry_run": job.dry_run})
    return str(ImportJob.State.DONE)


def import_jobs_of(user: Any, most: int) -> list[ImportJob]:
    """The user's latest imports, newest first."""
    return list(ImportJob.objects.filter(requested_by=user.pk).select_related("owner")[:most])


def import_job_of(user: Any, job_id: int) -> ImportJob | None:
    """The import ``job_id`` if ``user`` uploaded it; None otherwise (nobody else learns of it)."""
    return ImportJob.objects.select_related("owner").filter(pk=job_id, requested_by=user.pk).first()


def import_report_path(job: ImportJob) -> Path | None:
    """The report of the job's refused rows, when it has one."""
    if not job.report:
        return None
    path = import_directory() / job.report
    return path if path.is_file() else None


def import_reports_purge(now: datetime | None = None) -> int:
    """Delete the reports of refused rows of imports that ended more than
    ``COMPLAINTDESK_IMPORT_REPORT_DAYS`` days ago (they hold the rows as uploaded: personal data);
    the job keeps its figures and says when its report went. Run by the worker with every sweep;
    returns how many reports were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.COMPLAINTDESK_IMPORT_REPORT_DAYS)
    due = list(ImportJob.objects.filter(finished_at__lt=cutoff).exclude(report="")
               .select_related("requested_by")[:500])
    for job in due:
        (import_directory() / job.report).unlink(missing_ok=True)
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).update(report="", report_deleted_at=now)
            audit(actor=None, action="import.report_deleted", obj=job,
                  after={"file": job.file_name, "refused": job.refused,
                         "days": settings.COMPLAINTDESK_IMPORT_REPORT_DAYS})
    return len(due)
