"""Excel / CSV import of complaint registers (``complaintdesk import FILE``, and the upload page).

Every row is validated by the registration rules (``clean_registration``: customer, product,
channel, category, targets, reason path, three-part description, facts); a refused row writes
nothing and is listed, with the reason per field, in an Excel error report. Accepted rows are
written in batches (one transaction per batch: customers, products, complaints and their timeline
entries in bulk, numbers reserved from the sequence in one step, one audit event per batch listing
the numbers).

A register is history: imported complaints keep the register's received time, are owned by the
importing user, are not acknowledged to the customer and start no clocks (a promised-reply clock
for a complaint received months ago would breach at once and escalate). See docs/integrations.md.
"""

from __future__ import annotations

import gc
import io
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from complaintdesk.accounts.roles import can, has_role
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services.intake import Registration, clean_registration
from complaintdesk.core.errors import FieldProblem, PermissionDenied, ValidationFailed
from complaintdesk.integrations.import_columns import LIST_FIELDS, NESTED
from complaintdesk.integrations.import_columns import column_paths as column_paths
from complaintdesk.integrations.import_files import BadMapping as BadMapping
from complaintdesk.integrations.import_files import ImportFileError as ImportFileError  # the import's errors
from complaintdesk.integrations.import_files import UnknownColumns as UnknownColumns
from complaintdesk.integrations.import_files import read_rows as read_rows
from complaintdesk.integrations.import_once import (
    KnownSources,
    file_digest,
    record_batch,
    refuse_if_imported,
    source_of,
)
from complaintdesk.integrations.import_pool import (
    CHUNK,
    Outcome,
    Row,
    UnitAnswer,
    ValidationPool,
    chunks,
    validate_chunk,
)
from complaintdesk.integrations.import_prepare import prepare
from complaintdesk.integrations.import_write import Pending, Receiver, write_batch
from complaintdesk.integrations.models import ImportedFile
from complaintdesk.integrations.xlsx_rows import Sheet
from complaintdesk.policy.schema import FactType, Role
from complaintdesk.units.models import Unit, root_unit
from complaintdesk.units.policies import unit_policy
from complaintdesk.units.scope import reaches

BATCH = 1000
_SPLIT = re.compile(r"\s*[,;/>|，；、]\s*")


@dataclass
class Refused:
    row: int
    values: list[Any]
    problems: list[tuple[str, str]]


@dataclass
class ImportResult:
    total: int = 0
    imported: int = 0
    refused: list[Refused] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    paths: list[str | None] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    seconds: float = 0.0
    last_row: int = 0  # the spreadsheet row of the last row written (or found valid, in a dry run)

    @property
    def rate(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores phone numbers as numbers
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def row_data(paths: list[str | None], values: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"customer": {}, "product": {}, "facts": {}, "missing_notes": {}}
    for path, value in zip(paths, values, strict=False):
        if path is None:
            continue
        text = _text(value)
        if path.startswith(NESTED):
            group, key = path.split(".", 1)
            if text:
                data[group][key] = text
        elif path in LIST_FIELDS:
            data[path] = [part for part in _SPLIT.split(text) if part] if text else []
        elif path == "units":
            data[path] = text or None
        else:
            data[path] = text
    data.setdefault("channel", "")
    data.setdefault("category", "")
    return data


# A date cell formatted "General" holds Excel's serial day number (46086, or 46086.4375 with the time
# of day), and a CSV saved from it writes that number. 1900 date system: serial 1 is 1900-01-01 and
# Excel counts a 1900-02-29 that never was, so from serial 61 on day 0 is 1899-12-30. Only days from
# 1990 to 2100 are taken for dates: any other number is refused as before.
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_SERIAL_FIRST, _SERIAL_LAST = 32874, 73415  # 1990-01-01, 2100-12-31
_EXCEL_EPOCH = date(1899, 12, 30)
_DATETIME_PATHS = frozenset({"received_at", "requested_deadline"})
_DATE_PATHS = frozenset({"product.purchase_date"})


def excel_serial(text: str, *, with_time: bool) -> str | None:
    """``text`` as an ISO date (or date and time, read later in the policy's time zone) when it is an
    Excel serial day number in the plausible range, else None."""
    if _SERIAL.fullmatch(text) is None:
        return None
    number = float(text)
    if not _SERIAL_FIRST <= number < _SERIAL_LAST + 1:
        return None
    days = int(number)
    seconds = round((number - days) * 86400)
    day = _EXCEL_EPOCH + timedelta(days=days + seconds // 86400)
    if not with_time:
        return day.isoformat()
    seconds %= 86400
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _serial_dates(policy: Any, data: dict[str, Any], problems: list[FieldProblem]) -> dict[str, Any] | None:
    """The row with the Excel serial numbers of the date columns its problems name read as dates, or
    None when there is none: asked only of a refused row, so rows whose dates parse cost nothing more."""
    category = next((c for c in policy.categories if c.code == data.get("category")), None)
    fact_kinds = {fact.code: fact.type for fact in category.facts} if category is not None else {}
    changed = False
    data = {**data, "product": dict(data["product"]), "facts": dict(data["facts"])}
    for problem in problems:
        path = problem.field
        group, _dot, key = path.partition(".")
        if path in _DATETIME_PATHS or path in _DATE_PATHS:
            with_time = path in _DATETIME_PATHS
        elif group == "facts" and fact_kinds.get(key) in {FactType.DATE, FactType.DATETIME}:
            with_time = fact_kinds[key] == FactType.DATETIME
        else:
            continue
        holder = data[group] if key else data
        name = key or group
        value = holder.get(name)
        read = excel_serial(value, with_time=with_time) if isinstance(value, str) else None
        if read is not None:
            holder[name] = read
            changed = True
    return data if changed else None


def _validate(policy: Any, data: dict[str, Any], now: datetime) -> Registration:
    try:
        complaint_in = ComplaintIn(**data)
    except PydanticError as exc:
        problems = []
        for error in exc.errors():
            loc = ".".join(str(part) for part in error.get("loc", ()))
            problems.append(FieldProblem(loc or "row", _("This value has the wrong type.")))
        raise ValidationFailed(problems) from exc
    try:
        return clean_registration(policy, complaint_in.to_input(), now)
    except ValidationFailed as exc:
        retry = _serial_dates(policy, data, exc.problems)
        if retry is None:
            raise
        return _validate(policy, retry, now)


def row_outcome(unit: UnitAnswer, paths: list[str | None], values: list[Any], now: datetime) -> Outcome:
    """One row checked under its unit's answer (the policy there, or why the unit is refused):
    None for an empty row, else its registration, prepared for writing (integrations/import_prepare.py),
    or its problems (field, message). Runs in the importing process or in a worker
    (integrations/import_pool.py); reads nothing from the database."""
    outcome = row_check(unit, paths, values, now)
    if isinstance(outcome, Registration) and not isinstance(unit, list):
        return prepare(outcome, unit, now)  # in a worker: off the writer's time
    return outcome


def row_check(unit: UnitAnswer, paths: list[str | None], values: list[Any], now: datetime) -> Outcome:
    """``row_outcome`` without preparing the registration for writing: what a dry run needs."""
    if not any(_text(v) for v in values):
        return None
    if isinstance(unit, list):
        return unit
    try:
        data = row_data(paths, values)
        data.pop("unit", None)
        return _validate(unit, data, now)
    except ValidationFailed as exc:
        return [(p.field, str(p.message)) for p in exc.problems]


def _receiver(actor: Any, code: str, known: dict[str, Receiver]) -> Receiver:
    """The row's unit: head office when the column is empty; otherwise an active unit the importing
    user reaches (a 422 on ``unit`` for any other)."""
    code = code.strip()
    if code not in known:
        unit = root_unit() if not code else Unit.objects.filter(code=code).first()
        if unit is None or (code and not reaches(actor, unit)):
            raise ValidationFailed([FieldProblem("unit", _("There is no organisation unit %(code)s.")
                                                 % {"code": code})])
        if not unit.active:
            raise ValidationFailed([FieldProblem("unit", _("The unit %(unit)s is closed; choose another.")
                                                 % {"unit": unit.name})])
        version, policy = unit_policy(unit)
        known[code] = Receiver(unit, version, policy)
    return known[code]


def _unit_code(columns: list[int], values: list[Any]) -> str:
    """What the row's ``unit`` column holds (the last such column the row reaches, as in row_data)."""
    for column in reversed(columns):
        if column < len(values):
            return _text(values[column]).strip()
    return ""


# rows between two collections of the young generations while the automatic collector is off
COLLECT_EVERY = 10_000


@dataclass
class _Run:
    """One import under way: the outcomes of validation taken in row order, batches written."""

    actor: Any
    owner: Any
    path: Path
    now: datetime
    batch: int
    dry_run: bool
    result: ImportResult
    size: int
    progress: Callable[[int, int], None] | None
    on_batch: Callable[[ImportResult], None] | None = None
    digest: str = ""  # the file's SHA-256: what it wrote is recorded under it (integrations/import_once.py)
    record: ImportedFile | None = None
    sources: KnownSources = field(default_factory=KnownSources)  # the rows' numbers in the earlier system
    receivers: dict[str, Receiver] = field(default_factory=dict)
    answers: dict[str, UnitAnswer] = field(default_factory=dict)
    pending: list[Pending] = field(default_factory=list)
    collected: int = 0  # rows taken at the last collection of the young generations

    def resolve(self, rows: list[Row]) -> None:
        """Look up (once each) the units the rows name: the policy there, or why they are refused."""
        for _index, _values, code in rows:
            if code not in self.answers:
                try:
                    self.answers[code] = _receiver(self.actor, code, self.receivers).policy
                except ValidationFailed as exc:
                    self.answers[code] = [(p.field, str(p.message)) for p in exc.problems]

    def take(self, rows: list[Row], outcomes: list[Outcome]) -> None:
        result = self.result
        for (index, values, code), outcome in zip(rows, outcomes, strict=True):
            if outcome is None:
                continue
            result.total += 1
            if isinstance(outcome, list):
                result.refused.append(Refused(index, list(values), outcome))
            else:
                self.pending.append((index, outcome, self.receivers[code]))
                if source_of(outcome):
                    self.sources.keep(index, list(values))
            if len(self.pending) >= self.batch:
                self.flush()
            if self.progress is not None and result.total % 500 == 0:
                self.progress(result.total, self.size)
        if result.total - self.collected >= COLLECT_EVERY:  # the young generations (``_collector_held``)
            gc.collect(1)
            self.collected = result.total

    def flush(self) -> None:
        pending, refused = self.sources.sift(self.pending)
        self.result.refused += [Refused(row, values, problems) for row, values, problems in refused]
        self.pending = pending
        if self.pending:
            # the batch and what ``on_batch`` records of it are committed together (the import page's
            # job never says less or more than was written, however the import ends)
            with transaction.atomic():
                if not self.dry_run:
                    self.result.numbers += write_batch(self.actor, self.owner, self.pending, self.now,
                                                       self.path.name)
                self.result.imported += len(self.pending)
                if not self.dry_run:
                    self.record = record_batch(self.record, actor=self.actor, digest=self.digest,
                                               file_name=self.path.name, now=self.now,
                                               imported=self.result.imported, numbers=self.result.numbers)
                self.result.last_row = self.pending[-1][0]
                if self.on_batch is not None:
                    self.on_batch(self.result)
            self.pending = []


def import_owner(actor: Any, owner: Any = None) -> Any:
    """The owner of the complaints ``actor`` would import (``owner``, default the actor), or why not:
    the actor must be allowed to register or be an administrator, the owner allowed to register."""
    if not (can(actor, "complaint.register") or has_role(actor, Role.ADMIN)):
        raise PermissionDenied(_("Your role may not register complaints."))
    owner = owner or actor
    if not can(owner, "complaint.register"):
        raise ValidationFailed([FieldProblem("owner", _("%(user)s may not register complaints; choose a user who "
                                                        "may.") % {"user": owner.username})])
    return owner


def check_file(path: Path, content: bytes, mapping: dict[str, str] | None = None) -> int:
    """What can be said of a file before any row is checked: that it is readable, has a heading row
    and only columns that are understood (``ImportFileError`` otherwise). Returns how many data rows
    it holds (a workbook that does not declare its size is counted)."""
    headings, _rows, total = read_rows(path, content)
    column_paths(headings, mapping or {})
    if not total and path.suffix.lower() == ".xlsx":
        total = max(0, Sheet(content).count_rows() - 1)
    return total


def complaints_import(*, actor: Any, path: Path, owner: Any = None, mapping: dict[str, str] | None = None,
                      content: bytes | None = None, progress: Callable[[int, int], None] | None = None,
                      batch: int = BATCH, now: datetime | None = None, dry_run: bool = False,
                      jobs: int = 0, on_batch: Callable[[ImportResult], None] | None = None,
                      again: bool = False) -> ImportResult:
    """Validate every row; write the accepted ones in batches; return what was refused and why.
    ``actor`` imports (a user who may register, or an administrator); ``owner`` (default the actor)
    registers and owns the complaints and must be allowed to register. Each row belongs to the unit
    of its ``unit`` column (head office when there is none) and is validated and numbered under that
    unit's policy. With ``jobs`` of 1 or more the rows are validated by that many worker processes
    (integrations/import_pool.py) while this one writes them, in row order: the same outcome as with
    ``jobs=0``, where this process validates them itself. ``on_batch`` is called with the result so
    far in each batch's transaction (the import page's job records what is written as it goes). A file
    imported before is refused (``ImportedBefore``) unless ``again`` (integrations/import_once.py)."""
    owner = import_owner(actor, owner)
    now = now or timezone.now()
    digest = "" if dry_run else file_digest(path, content)
    if digest and not again:
        refuse_if_imported(digest)
    with _collector_held():
        headings, rows, total = read_rows(path, content)
        paths = column_paths(headings, mapping or {})
        result = ImportResult(headings=headings, paths=paths)
        started = time.monotonic()
        run = _Run(actor, owner, path, now, batch, dry_run, result, total, progress, on_batch, digest,
                   sources=KnownSources(dry_run=dry_run))
        columns = [index for index, column in enumerate(paths) if column == "unit"]
        numbered = ((index, values, _unit_code(columns, values)) for index, values in enumerate(rows, start=2))
        language = translation.get_language() or settings.LANGUAGE_CODE
        validate = row_check if dry_run else row_outcome  # a dry run writes nothing: nothing to prepare
        if jobs >= 1 and (total > CHUNK or not total):  # a sheet may not declare its size
            _run_parallel(run, chunks(numbered), ValidationPool(jobs, validate, paths, now, language,
                                                                ahead=0 if dry_run else 2 * batch))
        else:
            for chunk in chunks(numbered):
                run.resolve(chunk)
                run.take(chunk, validate_chunk(validate, chunk, paths, run.answers, now, language))
        run.flush()
        result.refused.sort(key=lambda refused: refused.row)  # those refused at writing came after the others
        if progress is not None:  # finished: every row read (the count above included the empty ones)
            progress(result.total, result.total)
        result.seconds = time.monotonic() - started
        return result


@contextmanager
def _collector_held() -> Iterator[None]:
    """The cyclic garbage collector kept out of the import's way, and the process left as it was.

    Everything that exists before the import outlives it (Django, the policies, the units): it is
    frozen, moved out of the collector's walks — each collection of the oldest generation walked all
    of it, and the writing process spent 250 instead of 150 µs of processor time a row. And the
    automatic collector is off while the rows are imported: an import makes next to no cyclic
    garbage (10 unreachable objects after 20,000 rows), yet the collections its allocations set off —
    of the young generations, which hold the validated rows waiting to be written — still cost the
    writing process 19 µs a row (docs/performance.md, "Import"). ``_Run.take`` collects the young
    generations every ``COLLECT_EVERY`` rows instead, so that what garbage there is never piles up
    (each collection walks the rows still waiting to be written: once a chunk of 500, it cost 6–8 µs
    a row); the validating workers, forked from this heap, turn the collector back on
    (import_pool.py). A process that froze its heap itself (the web worker, wsgi.py) keeps it
    frozen; one whose collector was off keeps it off."""
    froze = not gc.get_freeze_count()
    if froze:
        gc.freeze()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if froze:
            gc.unfreeze()


def _run_parallel(run: _Run, rows: Iterator[list[Row]], pool: ValidationPool) -> None:
    try:
        for chunk in rows:
            run.resolve(chunk)
            pool.submit(chunk, run.answers)
            while pool.full():
                run.take(*pool.take())  # type: ignore[misc]
        while (done := pool.take()) is not None:
            run.take(*done)
    except BaseException:
        pool.close(failed=True)
        raise
    pool.close()


def error_report(result: ImportResult) -> bytes:
    """An Excel workbook of the refused rows: the row number, the reasons, then the row as it was."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Refused rows")[:31]
    sheet.append([_("Row"), _("Reasons"), *result.headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    heading_of = dict(zip(result.paths, result.headings, strict=False))
    for refused in result.refused:
        reasons = "\n".join(f"{heading_of.get(field_.split('[')[0]) or field_}: {message}"
                             for field_, message in refused.problems)
        sheet.append([refused.row, reasons, *[_text(v) for v in refused.values]])
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["B"].width = 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
