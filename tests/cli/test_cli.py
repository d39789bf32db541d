"""The command line: policy check exit codes and line numbers, token creation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT / "src")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "complaintdesk", *args], capture_output=True, text=True,
                          env=full_env, timeout=120, check=False)


def test_policy_check_passes_on_every_preset() -> None:
    from complaintdesk.policy.load import preset_names

    result = run("policy", "check", *preset_names())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": ok") == len(preset_names()) >= 8


def test_policy_check_gives_file_and_line_for_each_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = (ROOT / "src/complaintdesk/policy/presets/phone_maker.yaml").read_text()
    text = text.replace("default_level: general", "default_level: nonexistent")
    text = re.sub(r"^  window_days: 30.*$", "  window_days: thirty", text, count=1, flags=re.MULTILINE)
    broken.write_text(text)
    result = run("policy", "check", str(broken))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(str(broken))]
    expected_default = text.splitlines().index("default_level: nonexistent") + 1
    expected_window = text.splitlines().index("  window_days: thirty") + 1
    assert any(f":{expected_window}: " in line and "window_days" in line for line in lines), lines
    # reference errors are reported once the shape is valid; fix the shape and check again
    broken.write_text(text.replace("  window_days: thirty", "  window_days: 30"))
    result = run("policy", "check", str(broken))
    assert result.returncode == 1
    assert f"{broken}:{expected_default}: default_level: unknown level 'nonexistent'" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_token_create_prints_a_working_token(org_tx: Any, child_env: dict[str, str]) -> None:
    result = run("token", "create", "agent", env=child_env)
    assert result.returncode == 0, result.stderr
    from complaintdesk.accounts.services import token_user

    assert token_user(result.stdout.strip()) == org_tx["agent"]


def test_calendar_check_and_load(tmp_path: Path) -> None:
    sample = ROOT / "tests/worktime/data/cn-2027.yaml"
    env = {"COMPLAINTDESK_VAR_DIR": str(tmp_path)}
    checked = run("calendar", "check", str(sample), env=env)
    assert checked.returncode == 0 and "CN 2027" in checked.stdout
    before = run("calendar", "status", env=env)
    assert "2027: PROVISIONAL" in before.stdout
    loaded = run("calendar", "load", str(sample), env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert (tmp_path / "calendars" / "cn-2027.yaml").exists()
    assert "2027: official" in run("calendar", "status", env=env).stdout


def test_calendar_load_refuses_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("country: CN\nyear: 2027\nholidays:\n  - {date: 2026-12-31, name: x}\n")
    result = run("calendar", "load", str(broken), env={"COMPLAINTDESK_VAR_DIR": str(tmp_path / "var")})
    assert result.returncode == 1
    assert f"{broken}:4:" in result.stderr
