"""Validation in worker processes (``complaints_import(jobs=N)``, ``complaintdesk import --jobs N``): the
same file gives the same refused rows, the same reasons, the same report and the same imported
complaints, in the same order, as the serial import (``jobs=0``); the command's default is one
validating process fewer than the processors, at least one."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.utils import translation
from openpyxl import load_workbook

from complaintdesk.cli import main
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.audit import verify_chain
from complaintdesk.integrations import import_pool
from complaintdesk.integrations.import_pool import validating_jobs
from complaintdesk.integrations.importer import ImportResult, complaints_import, error_report, row_check
from registerkit import HEADINGS, register_rows, write_xlsx

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
SKIP = {"id", "number", "customer", "product", "search_text", "repeats"}


def _bad_register(tmp_path: Path) -> tuple[Path, dict[int, str]]:
    rows, bad = register_rows(1300)
    rows[40][HEADINGS.index("Reason")] = ""  # more than one kind of problem, in more than one chunk
    rows[41] = [None] * len(HEADINGS)  # an empty row is skipped, not refused
    rows[900][HEADINGS.index("Received at")] = "next Tuesday"
    source = tmp_path / "register.xlsx"
    write_xlsx(source, HEADINGS, rows)
    return source, bad


def _imported() -> list[dict[str, Any]]:
    return [{k: v for k, v in model_to_dict(c).items() if k not in SKIP}
            for c in Complaint.objects.order_by("number")]


def _refusals(result: ImportResult) -> list[tuple[int, list[tuple[str, str]], list[Any]]]:
    return [(r.row, r.problems, r.values) for r in result.refused]


@pytest.mark.parametrize("jobs", [1, 2])
def test_validating_processes_refuse_and_import_what_the_importing_process_does(org: Any, tmp_path: Path,
                                                                                 jobs: int) -> None:
    source, bad = _bad_register(tmp_path)
    serial = complaints_import(actor=org["agent"], path=source, now=NOW, batch=400, jobs=0)
    serial_rows = _imported()
    Complaint.objects.all().delete()
    parallel = complaints_import(actor=org["agent"], path=source, now=NOW, batch=400, jobs=jobs,
                                  again=True)  # the same file a second time, on purpose
    assert (parallel.total, parallel.imported) == (serial.total, serial.imported) == (1299, 1299 - len(bad) - 2)
    assert _refusals(parallel) == _refusals(serial)
    assert {r.row for r in serial.refused} == {*bad, 42, 902}
    assert _imported() == serial_rows  # the same complaints, column by column
    # numbers run on in row order: the parallel import's numbers follow the serial one's
    first, last = (int(n.rsplit("-", 1)[1]) for n in (parallel.numbers[0], parallel.numbers[-1]))
    assert last - first + 1 == len(parallel.numbers) and first == int(serial.numbers[-1].rsplit("-", 1)[1]) + 1
    rows_of = {c.number: c.timeline.get(kind="imported").data["row"]
               for c in Complaint.objects.prefetch_related("timeline")}
    assert [rows_of[n] for n in parallel.numbers] == sorted(rows_of.values())
    reports = [[list(line) for line in load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)]
               for path in (_write(tmp_path / "serial.xlsx", serial), _write(tmp_path / "parallel.xlsx", parallel))]
    assert reports[0] == reports[1] and len(reports[0]) == len(bad) + 3
    assert list(verify_chain()) == []


def _write(path: Path, result: ImportResult) -> Path:
    path.write_bytes(error_report(result))
    return path


def test_the_command_takes_jobs(org: Any, tmp_path: Path, capsys: Any) -> None:
    source, bad = _bad_register(tmp_path)
    code = main(["import", str(source), "--as", "agent", "--jobs", "2", "--dry-run",
                 "--report", str(tmp_path / "refused.xlsx")])
    out = capsys.readouterr().out
    assert code == 1 and f"1299 rows read, {1299 - len(bad) - 2} valid (dry run, nothing written), " \
                         f"{len(bad) + 2} refused" in out
    assert (tmp_path / "refused.xlsx").is_file() and Complaint.objects.count() == 0


def test_the_command_refuses_a_negative_number_of_jobs(org: Any, tmp_path: Path, capsys: Any) -> None:
    source, _bad = _bad_register(tmp_path)
    assert main(["import", str(source), "--as", "agent", "--jobs", "-1", "--dry-run"]) == 2
    assert "--jobs -1: write 0 or more" in capsys.readouterr().err


@pytest.mark.parametrize(("processors", "jobs", "dry_run"), [({0}, 1, 1), ({0, 1}, 1, 2), ({0, 1, 2}, 2, 3),
                                                           ({0, 1, 2, 3}, 2, 4), (set(range(16)), 2, 16)])
def test_by_default_one_processor_is_left_to_the_writer_and_at_most_two_validate(
        monkeypatch: Any, processors: set[int], jobs: int, dry_run: int) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: processors)
    assert validating_jobs() == jobs and validating_jobs(writing=False) == dry_run


def test_the_command_validates_in_the_default_number_of_processes(org: Any, tmp_path: Path, monkeypatch: Any,
                                                                 capsys: Any) -> None:
    source, bad = _bad_register(tmp_path)
    taken: list[int] = []
    original = import_pool.ValidationPool.__init__

    def spy(self: Any, jobs: int, *args: Any, **kwargs: Any) -> None:
        taken.append(jobs)
        original(self, jobs, *args, **kwargs)

    monkeypatch.setattr(import_pool.ValidationPool, "__init__", spy)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
    assert main(["import", str(source), "--as", "agent", "--report", str(tmp_path / "refused.xlsx")]) == 1
    assert main(["import", str(source), "--as", "agent", "--dry-run", "--report", str(tmp_path / "dry.xlsx")]) == 1
    assert taken == [2, 3]  # one processor left to the writer; none needed by a dry run
    out = capsys.readouterr().out
    assert f"{1299 - len(bad) - 2} imported, {len(bad) + 2} refused" in out and "dry run, nothing written" in out


@pytest.mark.parametrize(("jobs", "ahead", "room"), [(1, 0, 4), (2, 0, 8), (1, 2000, 4), (1, 4000, 8), (2, 9000, 18)])
def test_validated_chunks_wait_for_twice_the_writers_batch(jobs: int, ahead: int, room: int) -> None:
    # room for the rows validated while a batch is written (a few chunks a worker at the least)
    pool = import_pool.ValidationPool(jobs, row_check, [], NOW, "en", ahead=ahead)
    assert pool.room == room


def test_workers_answer_in_the_importing_users_language(org: Any, tmp_path: Path) -> None:
    source, _bad = _bad_register(tmp_path)
    with translation.override("zh-hans"):
        result = complaints_import(actor=org["agent"], path=source, dry_run=True, jobs=2)
    reasons = {r.row: r.problems for r in result.refused}
    assert reasons[42] == [("reason", "请填写投诉原因：投诉对象和抱怨内容。")]
