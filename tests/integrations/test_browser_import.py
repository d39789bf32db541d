"""The import page in a real Chromium, in both languages: an administrator uploads a register with a
refused row, lands on the import's page, whose progress bar the page polls (htmx) while the worker
imports the file, then sees the summary and downloads the report of refused rows; the import is
listed under the form afterwards."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from registerkit import HEADINGS, good_row

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_administrator_uploads_a_register_and_follows_its_import(page_for: Any, settings: Any, tmp_path: Path,
                                                                     language: str) -> None:
    from django.utils import translation

    from complaintdesk.complaints.models import Complaint
    from complaintdesk.integrations.import_jobs import import_job_run
    from complaintdesk.integrations.models import ImportJob

    settings.VAR_DIR = tmp_path / "var"
    source = tmp_path / "register.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADINGS, good_row(1), good_row(2), ["Nobody", "not a phone"], good_row(3)])
    page = page_for("admin", language, start="/integrations/import/")
    with translation.override(language):  # the texts in the reader's language, from the catalogue
        gettext = translation.gettext
        title, importing = gettext("Import a register"), gettext("Import of %(file)s") % {"file": "register.csv"}
        summary = gettext("%(total)s rows read, %(imported)s imported, %(refused)s refused.") % {
            "total": 4, "imported": 3, "refused": 1}
        finished = str(ImportJob.State.DONE.label)
        report = gettext("Download the refused rows and their reasons (Excel)")
        tick = gettext("%(earlier)s Tick “Import it again” to import it all the same.") % {"earlier": ""}
    assert page.inner_text("[data-testid=import-title]") == title
    assert page.locator("html").get_attribute("lang") == language
    page.set_input_files("#id_file", str(source))
    page.select_option("#id_owner", "agent")
    page.click("[data-testid=import-submit]")
    page.wait_for_url("**/integrations/import/jobs/*/")
    assert page.inner_text("[data-testid=import-job-title]") == importing
    assert page.locator("[data-testid=import-bar]").inner_text().strip() == "0 %"
    job = ImportJob.objects.get()
    assert job.language == language and job.total == 4 and Complaint.objects.count() == 0
    assert import_job_run(job_id=job.pk) == "done"  # what the worker's task does
    page.wait_for_selector("[data-testid=import-result]")  # the page polled the job's status
    assert page.locator("[data-testid=import-progress]").get_attribute("data-state") == "done"
    assert page.locator("[data-testid=import-bar]").inner_text().strip() == "100 %"
    assert summary in page.inner_text("[data-testid=import-result]")
    assert finished in page.inner_text("[data-testid=import-count]")
    assert page.inner_text("[data-testid=import-report]").strip() == report
    with page.expect_download() as caught:
        page.click("[data-testid=import-report]")
    sheet = load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()), read_only=True).worksheets[0]
    refused = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in refused] == [4] and "not a phone" in refused[0]
    page.goto(f"{page.base_url}/integrations/import/")
    listed = page.locator("[data-testid=import-jobs] tbody tr")
    assert listed.count() == 1 and "register.csv" in listed.inner_text()
    # the same file again is refused at once, saying what was imported; ticked, it is imported again
    page.set_input_files("#id_file", str(source))
    page.select_option("#id_owner", "agent")
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=import-error]")
    assert tick.strip() in page.inner_text("[data-testid=import-error]") and ImportJob.objects.count() == 1
    page.set_input_files("#id_file", str(source))
    page.check("#id_again")
    page.click("[data-testid=import-submit]")
    page.wait_for_url("**/integrations/import/jobs/*/")
    assert ImportJob.objects.filter(again=True).count() == 1
