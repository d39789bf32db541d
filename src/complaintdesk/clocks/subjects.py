"""Per-object clocks: what the clock engine needs to know about the object a clock runs for.

A clock may run for one object of a complaint (its subject, e.g. ``work_order:12``). The objects
live in the apps above clocks, so each app registers, per subject prefix, how the engine learns what
it cannot compute from the policy alone (docs/decisions/0007-registries-for-lower-floors.md):

- ``duration(policy, object_id, default)``: the duration the clock was started with (a work order's
  clock runs on its department's deadline, not the policy clock's own);
- ``department(object_id)``: the department that answers the object, for "notify the department";
- ``recompute(now)``: recompute the provisional due times the app keeps on its own rows once the
  official calendar knows their year;
- ``label(object_id)``: how people read the object on a page (a work order's number and department),
  never the internal ``work_order:12``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from complaintdesk.policy.schema import Duration, Policy


@dataclass(frozen=True)
class SubjectKind:
    duration: Callable[[Policy, int, Duration], Duration] | None = None
    department: Callable[[int], int | None] | None = None
    recompute: Callable[[datetime], int] | None = None
    label: Callable[[int], str] | None = None


SUBJECTS: dict[str, SubjectKind] = {}


def subject_register(prefix: str, kind: SubjectKind) -> None:
    """Declare how clocks whose subject starts with ``prefix:`` learn about their object."""
    SUBJECTS[prefix] = kind


def subject_of(subject: str) -> tuple[SubjectKind, int] | None:
    """The registered kind and the object id of a clock's subject; None for a complaint-wide clock
    or an object nobody registered."""
    prefix, _, ident = subject.partition(":")
    kind = SUBJECTS.get(prefix)
    if kind is None or not ident.isdigit():
        return None
    return kind, int(ident)


def subject_duration(policy: Policy, subject: str, default: Duration) -> Duration:
    found = subject_of(subject)
    if found is None or found[0].duration is None:
        return default
    return found[0].duration(policy, found[1], default)


def subject_department(subject: str) -> int | None:
    found = subject_of(subject)
    if found is None or found[0].department is None:
        return None
    return found[0].department(found[1])


def subjects_recompute(now: datetime) -> int:
    return sum(kind.recompute(now) for kind in SUBJECTS.values() if kind.recompute is not None)


def subject_label(subject: str) -> str:
    """The object of a per-object clock as people read it; empty for a complaint-wide clock."""
    if not subject:
        return ""
    found = subject_of(subject)
    if found is None or found[0].label is None:
        return ""
    return found[0].label(found[1])
