"""The same register is not imported twice by mistake.

An import writes every valid row as a new complaint: a file imported a second time (uploaded again,
or the command run again after it had finished) would register each of its complaints twice, and a
year's register would leave a million duplicates to undo. Each import that writes is recorded by the
SHA-256 of the file's content (:class:`~complaintdesk.integrations.models.ImportedFile`), in its first
batch's transaction and brought up to date with each batch. An import of a file recorded before is
refused before any row is read — with when, by whom and which numbers it was imported — unless the
importing user asks for it (``complaintdesk import --again``, the page's "Import it again" box). A dry
run is never refused and records nothing; the report of refused rows is a different file and imports
as usual.

Row by row, a register that gives each complaint's number in the system it comes from (the column
``source_number``, 原投诉编号) has each such row refused when that number is already on record at the
row's unit or was an earlier row's (:class:`KnownSources`): overlapping registers, or a file imported
again, never make a second complaint of a numbered row.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.common import source_on_record
from complaintdesk.complaints.services.intake import Registration
from complaintdesk.integrations.import_files import ImportFileError
from complaintdesk.integrations.import_prepare import Prepared
from complaintdesk.integrations.models import ImportedFile
from complaintdesk.policy import rules
from complaintdesk.units.models import root_unit
from complaintdesk.units.policies import unit_policy


class ImportedBefore(ImportFileError):
    """The file was imported before (``record`` says when, by whom and which numbers)."""

    def __init__(self, message: str, record: ImportedFile) -> None:
        super().__init__(message)
        self.record = record


def file_digest(path: Path, content: bytes | None = None) -> str:
    """The SHA-256 of the file's content (read in blocks when only its path is given)."""
    if content is not None:
        return hashlib.sha256(content).hexdigest()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def earlier_import(digest: str) -> ImportedFile | None:
    """The latest import that wrote rows of the file with this digest, if any."""
    return ImportedFile.objects.filter(digest=digest, imported__gt=0).select_related("imported_by").first()


def refuse_if_imported(digest: str) -> None:
    """Raise :class:`ImportedBefore`, in the active language, when the file was imported before."""
    record = earlier_import(digest)
    if record is None:
        return
    _version, policy = unit_policy(root_unit())
    moment = record.started_at.astimezone(ZoneInfo(policy.timezone))
    user = record.imported_by.display_name() if record.imported_by is not None else _("a removed user")
    raise ImportedBefore(
        _("%(file)s was imported before, on %(date)s by %(user)s: %(count)s complaints, numbers %(first)s to "
          "%(last)s. Importing it again would register each of them a second time.")
        % {"file": record.file_name, "date": rules.format_moment(moment, get_language() or "zh-hans"),
           "user": user, "count": record.imported, "first": record.first_number, "last": record.last_number},
        record)


def record_batch(record: ImportedFile | None, *, actor: Any, digest: str, file_name: str, now: datetime,
                 imported: int, numbers: list[str]) -> ImportedFile:
    """Record (in the batch's transaction) what the import of the file has written so far."""
    if record is None:
        return ImportedFile.objects.create(digest=digest, file_name=file_name[:200], imported_by=actor,
                                           started_at=now, imported=imported, first_number=numbers[0],
                                           last_number=numbers[-1])
    ImportedFile.objects.filter(pk=record.pk).update(imported=imported, last_number=numbers[-1])
    return record


def source_of(item: Registration | Prepared) -> str:
    """The row's number in the system it comes from ("" when the register gives none)."""
    return str(item.columns.get("source_number") or "") if isinstance(item, Prepared) else item.source_number


class KnownSources:
    """The numbers in the earlier system of an import's rows (the register's ``source_number``
    column): a row whose number is already on record at its unit, or was the number of an earlier
    row of the file, is refused — a row never becomes a second complaint, whichever file it comes in.
    The writer checks each batch with one query before writing it. An import that writes finds the
    rows of its earlier batches in the database, so it remembers a batch's numbers only while it
    checks that batch (a million numbered rows held in memory would cost some 150 MB); a dry run writes
    nothing and remembers every number of the file (``dry_run``)."""

    def __init__(self, *, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self.seen: dict[tuple[int, str], int] = {}  # (unit, number): the row that took it
        self.values: dict[int, list[Any]] = {}  # the rows with a number, as read, until written or refused

    def keep(self, row: int, values: list[Any]) -> None:
        self.values[row] = values

    def sift(self, pending: list[Any]) -> tuple[list[Any], list[tuple[int, list[Any], list[tuple[str, str]]]]]:
        """``pending`` (row, registration, receiver) without the rows to refuse, and those rows
        (row, values, problems)."""
        if not self.dry_run:
            self.seen.clear()  # the earlier batches' rows are in the database now
        numbered = [(item, source_of(item[1])) for item in pending]
        wanted = {(item[2].unit.pk, source) for item, source in numbered if source}
        if not wanted:
            return pending, []
        known = {(unit_id, source): number for unit_id, source, number in Complaint.objects.filter(
            source_number__in={source for _unit, source in wanted}, unit_id__in={unit for unit, _s in wanted},
        ).values_list("unit_id", "source_number", "number")}
        kept, refused = [], []
        for item, source in numbered:
            row = item[0]
            key = (item[2].unit.pk, source)
            if not source:
                kept.append(item)
                continue
            if key in known:
                problem = source_on_record(source, known[key])
            elif key in self.seen:
                problem = _("%(source)s is also the number in the earlier system of row %(row)s of this file.") % {
                    "source": source, "row": self.seen[key]}
            else:
                self.seen[key] = row
                self.values.pop(row, None)
                kept.append(item)
                continue
            refused.append((row, self.values.pop(row, []), [("source_number", problem)]))
        return kept, refused
