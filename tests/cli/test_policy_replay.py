"""``complaintdesk policy replay``: recorded complaints re-evaluated under a candidate policy. A
candidate that adds a trigger keyword and lowers an approval limit shows exactly those
differences, in both languages and in Excel, and the database is unchanged afterwards."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

_RESOLUTIONS = str(Path(__file__).resolve().parent.parent / "resolutions")
if _RESOLUTIONS not in sys.path:
    sys.path.insert(0, _RESOLUTIONS)

from reskit import make_complaint, plan_input  # noqa: E402

from complaintdesk.cli import main  # noqa: E402
from complaintdesk.policy.load import preset_path  # noqa: E402

pytestmark = pytest.mark.django_db

KEYWORDS = "zh: [报社, 电台, 电视台, 媒体, 记者, 曝光, 上网发帖, 发微博]"
LIMIT = "- {up_to: 300, role: supervisor}"


def _candidate(tmp_path: Path) -> Path:
    text = preset_path("pc_maker").read_text(encoding="utf-8")
    assert KEYWORDS in text and LIMIT in text
    text = (text.replace(KEYWORDS, "zh: [报社, 电台, 电视台, 媒体, 记者, 曝光, 上网发帖, 发微博, 主板]")
            .replace(LIMIT, "- {up_to: 200, role: supervisor}").replace('version: "2026.1"', 'version: "2027.1"'))
    path = tmp_path / "candidate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _state() -> dict[str, Any]:
    from django.apps import apps

    from complaintdesk.core.models import AuditHead

    head = AuditHead.objects.first()
    return {"rows": {model._meta.label: model.objects.count() for model in apps.get_models()},
            "audit": (head.last_hash, head.count) if head else None}


@pytest.fixture
def recorded(db: Any) -> dict[str, Any]:
    from complaintdesk.resolutions.services import plan_submit
    from orgkit import install_org

    pc = install_org("pc_maker")
    by_keyword = make_complaint(pc, start=False)  # "用户投诉电脑主板故障反复维修"
    with_plan = make_complaint(pc, reason="用户投诉键盘失灵", description="按键无反应")
    plan_submit(actor=pc["specialist"], number=with_plan.number, data=plan_input(250))
    return {"keyword": by_keyword.number, "plan": with_plan.number}


def test_the_candidate_shows_exactly_the_changed_trigger_and_limit(recorded: dict[str, Any], tmp_path: Path,
                                                                    capsys: Any) -> None:
    from complaintdesk.policy.load import load_policy
    from complaintdesk.policy_replay import evaluate

    before = _state()
    outcome = evaluate(load_policy(_candidate(tmp_path)).policy, since=date(2020, 1, 1))
    found = {(d.number, d.kind, d.subject, d.recorded, d.candidate) for d in outcome.differences}
    assert found == {(recorded["keyword"], "level", "", "normal", "major"),
                     (recorded["plan"], "approvers", "1", "supervisor", "cs_head")}
    assert outcome.compared == 2
    assert outcome.summary() == {"level": 1, "target": 0, "approvers": 1, "due": 0, "deadline": 0}
    # the active policy itself as the candidate changes nothing
    same = evaluate(load_policy(preset_path("pc_maker")).policy, since=date(2020, 1, 1))
    assert same.differences == [] and same.compared == 2
    assert _state() == before


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["Replay of the candidate policy", "suggested level: 1", "approvers: 1", "recorded",
            "Nothing was changed."]),
    ("zh-hans", ["试运行候选政策", "建议级别: 1", "审批人: 1", "记录", "未修改任何数据。"]),
])
def test_the_command_prints_in_both_languages_and_writes_excel(recorded: dict[str, Any], tmp_path: Path,
                                                               capsys: Any, language: str, words: list[str]) -> None:
    before = _state()
    out = tmp_path / "replay.xlsx"
    assert main(["policy", "replay", str(_candidate(tmp_path)), "--since", "2020-01-01", "--xlsx", str(out),
                 "--language", language]) == 0
    text = capsys.readouterr().out
    for word in words:
        assert word in text
    assert recorded["keyword"] in text and recorded["plan"] in text
    sheet = load_workbook(out).active
    table = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert len(table) == 3  # the heading and one row per differing complaint
    rows = {row[0]: row for row in table[1:]}
    assert "→" in rows[recorded["keyword"]][1] and rows[recorded["keyword"]][3] == ""
    assert "supervisor → cs_head" in rows[recorded["plan"]][3]
    assert _state() == before


def test_the_command_refuses_a_bad_day_and_a_bad_file(db: Any, tmp_path: Path, capsys: Any) -> None:
    assert main(["policy", "replay", "pc_maker", "--since", "yesterday"]) == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n", encoding="utf-8")
    assert main(["policy", "replay", str(broken), "--since", "2026-01-01"]) == 1
    assert "--since" in capsys.readouterr().err


def test_the_language_setting_is_the_default(recorded: dict[str, Any], settings: Any, capsys: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    assert main(["policy", "replay", "pc_maker", "--since", "2020-01-01"]) == 0
    text = capsys.readouterr().out
    assert "候选政策下没有任何不同。" in text
