"""Which complaints a report counts: those of the reader's units (complaintdesk.units.scope), and,
with a ``unit`` filter, only that unit and everything below it. Head office reads the whole tree;
a dealer's manager their dealer. Scheduled reports and the command line read without a reader."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.errors import FieldProblem, ValidationFailed
from complaintdesk.units.models import Unit
from complaintdesk.units.scope import reaches, scope_q, top_paths, units_in_scope


@dataclass(frozen=True)
class ReportScope:
    """The reader (None: everything, for the worker and the command line) and the unit filter."""

    reader: Any = None
    unit: Unit | None = None

    def complaints(self, prefix: str = "") -> Q:
        """The filter on complaints; ``prefix`` is the path to the complaint (``complaint__``). A
        reader of the whole tree, or the whole tree asked for, filters nothing (every complaint is
        in some unit of the tree): no join to the units in every query of a report."""
        query = Q() if self.reader is None or self.whole_tree else scope_q(self.reader, f"{prefix}unit")
        if self.unit is not None and self.unit.parent_id is not None:
            query &= Q(**{f"{prefix}unit__path__startswith": self.unit.path})
        return query

    @cached_property
    def whole_tree(self) -> bool:
        """Whether the reader's units include every root of the tree (head office)."""
        roots = set(Unit.objects.filter(parent=None).values_list("path", flat=True))
        return bool(roots) and roots <= set(top_paths(self.reader))

    @property
    def code(self) -> str:
        return self.unit.code if self.unit is not None else ""

    def as_dict(self) -> dict[str, str] | None:
        return {"code": self.unit.code, "label": self.unit.name} if self.unit is not None else None


EVERYTHING = ReportScope()


def report_scope(reader: Any, unit: str = "", *, field: str = "unit") -> ReportScope:
    """The reader's scope, narrowed to ``unit`` (a unit code) when given; a unit the reader does not
    reach is refused like an unknown one (the reader learns nothing of units outside theirs)."""
    code = (unit or "").strip()
    if not code:
        return ReportScope(reader=reader)
    found = Unit.objects.filter(code=code).first()
    if found is None or (reader is not None and not reaches(reader, found)):
        raise ValidationFailed([FieldProblem(field, _("Choose one of your organisation units."))])
    return ReportScope(reader=reader, unit=found)


def tree_key(path: str) -> tuple[int, ...]:
    """Tree order of a unit's path (``/1/4/10/`` after ``/1/4/9/``, which text order does not give)."""
    return tuple(int(part) for part in path.strip("/").split("/") if part)


def unit_choices(reader: Any) -> list[tuple[str, str, int]]:
    """(code, name, depth) of the units a reader may filter by, in tree order."""
    units = sorted(units_in_scope(reader), key=lambda unit: tree_key(unit.path))
    return [(unit.code, unit.name, unit.depth) for unit in units]
