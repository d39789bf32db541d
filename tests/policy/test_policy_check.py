"""``complaintdesk policy check`` / ``policy show`` as functions, and the purity of the package."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from policy_testkit import MINI, line_of, replace_once, write

from complaintdesk.policy.check import check, show, summary_line
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


@pytest.mark.parametrize(
    "name",
    ["phone_maker", "pc_maker", "hypermarket", "community_hotline", "insurer", "scenic_area", "dealer_network", "iptv"],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_show_prints_every_preset(name: str, language: str) -> None:
    out = io.StringIO()
    assert show(name, out, language) == 0
    text = out.getvalue()
    policy = load_preset(name).policy
    assert text.splitlines()[0].startswith(("投诉政策" if language == "zh-hans" else "Policy") + f" {name}")
    for level in policy.levels:
        assert level.label.get(language) in text
        assert level.definition.get(language) in text
    for category in policy.categories:
        assert category.label.get(language) in text
    for clock in policy.clocks:
        assert f"{clock.label.get(language)}: {clock.duration}" in text


def test_show_pc_maker_in_english() -> None:
    out = io.StringIO()
    show("pc_maker", out, "en")
    text = out.getvalue()
    assert "≤ 100 CNY: specialist (Complaint specialist)" in text
    assert "≤ 3,000 CNY: vp (Vice president of the technical-service company)" in text
    assert "> 3,000 CNY: gm (General manager of the technical-service company)" in text
    assert "5,000 CNY: spare_part, compensation, gift" in text
    assert "reply time promised to the customer" in text
    assert "1. company — Company level" in text


def test_show_hypermarket_in_chinese() -> None:
    out = io.StringIO()
    show("hypermarket", out, "zh-hans")
    text = out.getvalue()
    assert "≤ 20 CNY: agent (接待课课员)" in text
    assert "> 100 CNY: cs_head (客服经理)" in text
    assert "备用金" in text and "≤ 100 CNY: supervisor (接待课当班课长)" in text
    assert "weekly_summary — 每周店内客诉记录汇总 (monday)" in text
    assert "monthly_summary — 每月店内客诉记录汇总 (month, 截止日 5)" in text


def test_show_a_broken_file_prints_its_problems(tmp_path: Path) -> None:
    path = write(tmp_path, replace_once(MINI, "default_level: low", "default_level: lowest"))
    out = io.StringIO()
    assert show(str(path), out, "en") == 1
    assert out.getvalue().startswith(f"{path}:{line_of(path.read_text(), 'default_level')}: default_level: unknown")


def test_the_policy_package_imports_no_django() -> None:
    code = (
        "import sys\n"
        "import complaintdesk.policy, complaintdesk.policy.check, complaintdesk.policy.rules\n"
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
