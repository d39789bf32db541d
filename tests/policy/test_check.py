"""``complaintdesk policy check`` as a function, and the purity of the package."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from policy_testkit import MINI, line_of, replace_once, write

from complaintdesk.policy.check import check, summary_line
from complaintdesk.policy.load import PRESET_DIR, load_preset, preset_names


def run_check(*targets: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = check(list(targets), out)
    return status, out.getvalue().splitlines()


def test_ok_line_for_a_good_file(tmp_path: Path) -> None:
    path = write(tmp_path, MINI)
    status, lines = run_check(str(path))
    assert status == 0
    assert lines == [f"{path}: ok (policy mini 1, 3 levels, 2 categories, 1 clock)"]


def test_preset_names_are_reported_under_their_file() -> None:
    status, lines = run_check("pc_maker")
    assert status == 0
    assert lines == [f"{PRESET_DIR / 'pc_maker.yaml'}: ok ({summary_line(load_preset('pc_maker').policy)})"]


def test_every_preset_checks_clean_and_no_target_means_all_presets() -> None:
    status, lines = run_check()
    assert status == 0
    assert len(lines) == len(preset_names()) == 14
    assert all(": ok (policy " in line for line in lines)
    status, named = run_check(*preset_names())
    assert (status, named) == (0, lines)


def test_problems_are_printed_as_file_line_message(tmp_path: Path) -> None:
    text = replace_once(MINI, "    level: mid\n    label: {zh: 在线", "    level: severe\n    label: {zh: 在线")
    text = replace_once(text, "default_level: low", "default_level: lowest")
    path = write(tmp_path, text)
    status, lines = run_check(str(path))
    assert status == 1
    assert lines == [
        f"{path}:{line_of(text, 'default_level')}: default_level: unknown level 'lowest'; known: high, low, mid",
        f"{path}:{line_of(text, 'level: severe')}: triggers[1].level: unknown level 'severe'; known: high, low, mid",
    ]


def test_every_shape_error_is_printed(tmp_path: Path) -> None:
    text = replace_once(MINI, "    duration: 24h\n", "    duration: soon\n")
    text = replace_once(text, "    rank: 2\n", "    rank: two\n")
    path = write(tmp_path, text)
    status, lines = run_check(str(path))
    assert status == 1
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{path}:{line_of(text, 'rank: two')}",
        f"{path}:{line_of(text, 'duration: soon')}",
    ]


def test_one_bad_target_fails_the_whole_check(tmp_path: Path) -> None:
    bad = write(tmp_path, "id: [\n", "bad.yaml")
    status, lines = run_check("phone_maker", str(bad), "hypermarket")
    assert status == 1
    assert lines[0].endswith("phone_maker.yaml: ok (" + summary_line(load_preset("phone_maker").policy) + ")")
    assert lines[1].startswith(f"{bad}:")
    assert "YAML" in lines[1]
    assert ": ok (policy hypermarket" in lines[2]


def test_unknown_preset_and_missing_file(tmp_path: Path) -> None:
    status, lines = run_check("no_such_preset", str(tmp_path / "absent.yaml"))
    assert status == 1
    assert lines[0].startswith("no_such_preset:1: no preset named 'no_such_preset'")
    assert lines[1].startswith(f"{tmp_path / 'absent.yaml'}:1: cannot read the file")


def test_the_policy_package_imports_no_django() -> None:
    code = (
        "import sys\n"
        "import complaintdesk.policy, complaintdesk.policy.check, complaintdesk.policy.rules\n"
        "import complaintdesk.policy.references, complaintdesk.policy.yaml_lines\n"
        "import complaintdesk.policy_show\n"
        "from complaintdesk.policy.load import load_preset, preset_names\n"
        "[load_preset(name) for name in preset_names()]\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(src)}, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
