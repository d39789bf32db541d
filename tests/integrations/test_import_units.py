"""The import's optional ``unit`` column: each row belongs to its unit (head office when the column is
empty), validated and numbered under that unit's policy; an unknown unit refuses the row only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from complaintdesk.complaints.models import Complaint
from complaintdesk.integrations.importer import complaints_import
from complaintdesk.units.models import Unit
from registerkit import HEADINGS, good_row, write_xlsx
from unittree import build_tree, install_inactive, variant

pytestmark = pytest.mark.django_db


def test_rows_go_to_their_units_and_an_unknown_unit_is_refused(org: Any, tmp_path: Path) -> None:
    tree = build_tree()
    own = install_inactive(variant("phone_maker", "2026.9-dealer-c", ('prefix: TS', 'prefix: DC')))
    Unit.objects.filter(code="dealer-c").update(policy_version=own)
    source = tmp_path / "units.xlsx"
    rows = [[*good_row(1), "dealer-a"], [*good_row(2), ""], [*good_row(3), "nowhere"], [*good_row(4), "dealer-c"]]
    write_xlsx(source, [*HEADINGS, "Unit"], rows)
    result = complaints_import(actor=org["agent"], path=source)
    assert (result.total, result.imported) == (4, 3)
    assert [(r.row, r.problems) for r in result.refused] == [(4, [("unit", "There is no organisation unit nowhere.")])]
    by_unit = {c.unit.code: c for c in Complaint.objects.select_related("unit")}
    assert set(by_unit) == {"dealer-a", "hq", "dealer-c"}
    assert by_unit["dealer-a"].policy_version == org.version
    assert by_unit["dealer-c"].policy_version == own and by_unit["dealer-c"].number.startswith("DC-")
    assert by_unit["hq"].number.startswith("TS-") and tree["hq"].pk == by_unit["hq"].unit_id


def test_a_unit_outside_the_importers_units_is_refused(org: Any, tmp_path: Path) -> None:
    tree = build_tree()
    source = tmp_path / "units.xlsx"
    write_xlsx(source, [*HEADINGS, "unit"], [[*good_row(1), "dealer-b"]])
    result = complaints_import(actor=tree.users["agent_a"], path=source)
    assert result.imported == 0
    assert result.refused[0].problems == [("unit", "There is no organisation unit dealer-b.")]
