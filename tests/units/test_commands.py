"""``complaintdesk unit …``: the real command in a child process against the test database, and the
refusals (field: message on stderr, exit 1) through the same parser in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.cli import main
from complaintdesk.core.models import AuditEvent
from complaintdesk.units.models import Membership, Unit

ROOT = Path(__file__).resolve().parents[2]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "complaintdesk", "unit", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, check=False)


@pytest.mark.django_db(transaction=True)
def test_the_command_builds_the_tree_and_assigns_users(org_tx: Any, child_env: dict[str, str]) -> None:
    created = run(child_env, "create", "east", "--name-zh", "华东区", "--name-en", "East", "--kind", "region")
    assert created.returncode == 0, created.stderr
    assert "created east under hq" in created.stdout
    store = run(child_env, "create", "store-1", "--name-zh", "一号店", "--name-en", "Store 1", "--parent", "east",
                "--kind", "store", "--prefix", "S1")
    assert store.returncode == 0, store.stderr
    assigned = run(child_env, "assign", "supervisor", "--unit", "store-1", "--roles", "supervisor,agent")
    assert assigned.returncode == 0, assigned.stderr
    assert "supervisor at store-1: agent, supervisor" in assigned.stdout
    listing = run(child_env, "list")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split()[:6] == ["code", "kind", "prefix", "policy", "members", "open"]
    hq, east, store_line = (next(line for line in lines if line.lstrip().startswith(code + " "))
                            for code in ("hq", "east", "store-1"))
    assert hq.startswith("hq ") and east.startswith("  east ") and store_line.startswith("    store-1 ")
    assert store_line.split()[1:6] == ["store", "S1", "inherited", "1", "0"]
    assert "一号店 / Store 1" in store_line
    members = run(child_env, "members", "store-1")
    assert members.returncode == 0 and members.stdout.splitlines()[0].split("\t")[::2] == ["supervisor",
                                                                                          "agent, supervisor"]
    moved = run(child_env, "move", "store-1", "--parent", "hq")
    assert moved.returncode == 0, moved.stderr
    unit = Unit.objects.get(code="store-1")
    assert unit.parent.code == "hq" and unit.path == f"/{unit.parent_id:08d}/{unit.pk:08d}/"
    removed = run(child_env, "assign", "supervisor", "--unit", "store-1", "--roles", "")
    assert removed.returncode == 0 and "no longer belongs to store-1" in removed.stdout
    assert not Membership.objects.filter(unit=unit).exists()
    deleted = run(child_env, "delete", "store-1")
    assert deleted.returncode == 0, deleted.stderr
    assert not Unit.objects.filter(code="store-1").exists()
    actions = set(AuditEvent.objects.filter(action__startswith="unit.").values_list("action", flat=True))
    assert {"unit.create", "unit.move", "unit.membership", "unit.delete"} <= actions


@pytest.mark.django_db
def test_refusals_print_each_field_and_exit_one(org: Any, capsys: Any) -> None:
    assert main(["unit", "create", "Bad Code", "--name-zh", "", "--name-en", "x", "--kind", "planet",
                 "--prefix", "lower"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert {line.split(":")[0] for line in err} == {"code", "kind", "name_zh", "number_prefix"}
    assert not Unit.objects.filter(name_en="x").exists()
    assert main(["unit", "create", "east", "--name-zh", "华东", "--name-en", "East", "--parent", "nowhere"]) == 1
    assert capsys.readouterr().err.strip() == "parent: There is no organisation unit nowhere."


@pytest.mark.django_db
def test_moving_under_a_descendant_and_unknown_units_are_refused(org: Any, capsys: Any) -> None:
    assert main(["unit", "create", "east", "--name-zh", "华东", "--name-en", "East", "--kind", "region"]) == 0
    assert main(["unit", "create", "store-1", "--name-zh", "一号店", "--name-en", "Store 1", "--parent", "east"]) == 0
    capsys.readouterr()
    assert main(["unit", "move", "east", "--parent", "store-1"]) == 1
    assert capsys.readouterr().err.startswith("parent: east cannot move under store-1")
    assert Unit.objects.get(code="east").parent.code == "hq"
    assert main(["unit", "members", "nowhere"]) == 1
    assert "There is no organisation unit nowhere." in capsys.readouterr().err
    assert main(["unit", "assign", "ghost", "--unit", "east", "--roles", "agent,wizard"]) == 1
    assert capsys.readouterr().err.splitlines() == ["username: There is no user ghost.", "roles: Unknown role wizard."]
    assert main(["unit", "delete", "east"]) == 1
    assert "east has units below it" in capsys.readouterr().err
