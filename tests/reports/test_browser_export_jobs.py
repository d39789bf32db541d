"""A large export in a real Chromium, in both languages: the list's Excel/CSV button lands on the
export page, whose progress bar the page polls (htmx) while the worker writes the file, then the
download link gives the file with every row; once the worker has deleted the file (days later),
the page says so."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from reportkit import build

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("language", "fmt", "ready"), [
    ("en", "csv", "Download the CSV file"),
    ("zh-hans", "xlsx", "Download the Excel file"),
])
def test_a_large_export_shows_its_progress_then_the_file(page_for: Any, org_tx: Any, settings: Any, language: str,
                                                          fmt: str, ready: str) -> None:
    from django.utils import timezone, translation

    from complaintdesk.complaints.models import Complaint
    from complaintdesk.reports.models import ExportJob
    from complaintdesk.reports.services.exports import export_files_purge, export_job_run

    build(org_tx)
    settings.COMPLAINTDESK_EXPORT_STREAM_LIMIT = 10
    page = page_for("specialist", language)
    page.goto(f"{page.base_url}/complaints/")
    page.click(f"[data-testid=export-{fmt}]")
    page.wait_for_url("**/exports/jobs/*/")
    with translation.override(language):  # the texts in the reader's language, from the catalogue
        title, ready = translation.gettext("Your export is being written"), translation.gettext(ready)
    assert page.inner_text("[data-testid=export-title]") == title
    assert page.locator("html").get_attribute("lang") == language
    bar = page.locator("[data-testid=export-bar]")
    assert bar.inner_text().strip() == "0 %"
    job = ExportJob.objects.get()
    assert job.language == language and job.total > 10
    assert export_job_run(job_id=job.pk) == "done"  # what the worker's task does
    page.wait_for_selector("[data-testid=export-download]")  # the page polled the job's status
    assert page.locator("[data-testid=export-progress]").get_attribute("data-state") == "done"
    assert bar.inner_text().strip() == "100 %"
    link = page.locator("[data-testid=export-download]")
    assert link.inner_text().strip() == ready
    with page.expect_download() as caught:
        link.click()
    path = Path(caught.value.path())
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))[1:]
    else:
        rows = list(load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == job.total == Complaint.objects.count()
    # a week and a day later the worker has deleted the file; the page says when and what to do
    later = timezone.now() + timedelta(days=settings.COMPLAINTDESK_EXPORT_FILE_DAYS + 1)
    assert export_files_purge(later) == 1
    page.reload()
    deleted = page.locator("[data-testid=export-file-deleted]")
    with translation.override(language):
        said = translation.ngettext(
            "The file was deleted on %(date)s: exports are kept %(days)s day. Export the list again for today's "
            "rows.", "The file was deleted on %(date)s: exports are kept %(days)s days. Export the list again for "
            "today's rows.", 7) % {"date": timezone.localdate(later).isoformat(), "days": 7}
    assert deleted.inner_text().strip() == said
    assert page.locator("[data-testid=export-download]").count() == 0
