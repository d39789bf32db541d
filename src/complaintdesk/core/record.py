"""One change, one record: the audit event and the complaint's timeline entry written together.

Services call ``record(...)`` once per change, inside the transaction that makes it. The audit event
(who, when, what, before → after) goes to the hash-chained trail of ``core.audit``; the timeline
entry, when the change shows on a complaint's timeline, is stored as a kind (a code) and its
parameters and rendered in the reader's language when read (DESIGN.md rule 11): only text a person
typed is stored as typed.

The timeline lives in the complaints app, above core, so core does not write it itself: the
complaints app registers its writer with ``timeline_writer`` in ``AppConfig.ready()``
(docs/decisions/0006-record-and-timeline-writer.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from complaintdesk.core.audit import audit
from complaintdesk.core.models import AuditEvent


@dataclass(frozen=True)
class Entry:
    """A timeline entry to write: its kind and the parameters its text is rendered from (JSON
    values: codes, numbers, ISO moments, text a person typed)."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)


def on_timeline(kind: str, /, **params: Any) -> Entry:
    """``record(..., timeline=on_timeline("work_order_replied", order="WO-1", late=False))``."""
    return Entry(kind, params)


class TimelineWriter(Protocol):
    def __call__(self, complaint: Any, kind: str, actor: Any, *, at: datetime, **params: Any) -> Any: ...


_writer: list[TimelineWriter] = []


def timeline_writer(writer: TimelineWriter) -> TimelineWriter:
    """Register the one function that stores timeline entries (the complaints app's)."""
    _writer[:] = [writer]
    return writer


def record_entry(complaint: Any, timeline: Entry, *, actor: Any, at: datetime) -> None:
    """Write a timeline entry that belongs to a change already recorded (the "authorised" line of
    a plan recorded as submitted): one change, one audit event."""
    if not _writer:
        raise RuntimeError("no timeline writer is registered (the complaints app registers it)")
    _writer[0](complaint, timeline.kind, actor, at=at, **timeline.params)


def record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    complaint: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    timeline: Entry | None = None,
    at: datetime | None = None,
    object_type: str = "",
    object_id: str = "",
    complaint_number: str = "",
) -> AuditEvent:
    """Write the audit event of one change and, with ``timeline``, the complaint's timeline entry.

    ``complaint`` gives the event its complaint number and is where the entry goes; ``at`` is the
    moment the entry shows (the service's ``now``; the audit event keeps its own clock). Must run
    inside the transaction that makes the change, like ``audit``.
    """
    number = complaint_number or (str(complaint.number) if complaint is not None else "")
    event = audit(actor=actor, action=action, obj=obj, object_type=object_type, object_id=object_id,
                  complaint_number=number, before=before, after=after)
    if timeline is not None:
        if complaint is None:
            raise ValueError(f"record({action!r}) has a timeline entry but no complaint to put it on")
        if not _writer:
            raise RuntimeError("no timeline writer is registered (the complaints app registers it)")
        _writer[0](complaint, timeline.kind, actor, at=at or event.at, **timeline.params)
    return event

