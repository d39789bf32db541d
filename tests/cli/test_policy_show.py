"""``complaintdesk policy show``: the bilingual summary of a policy, printed on the CLI side."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from complaintdesk.policy.load import PRESET_DIR, load_preset
from complaintdesk.policy_show import show


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


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
    text = (PRESET_DIR / "pc_maker.yaml").read_text(encoding="utf-8")
    assert text.count("default_level: normal") == 1
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace("default_level: normal", "default_level: lowest"), encoding="utf-8")
    out = io.StringIO()
    assert show(str(path), out, "en") == 1
    assert out.getvalue().startswith(f"{path}:{_line_of(path.read_text(), 'default_level')}: default_level: unknown")


def test_show_names_the_seed_each_rules_source_and_where_records_are_kept() -> None:
    """The texts a policy carries for people who read it — ``name``, ``organisation``, ``seed``, ``clocks[].source``,
    ``reports[].source``, ``retention[].label`` and ``location`` — are printed with the rules."""
    out = io.StringIO()
    show("scenic_area", out, "zh-hans")
    text = out.getvalue()
    policy = load_preset("scenic_area").policy
    assert text.splitlines()[0] == f"投诉政策 scenic_area 2026.1 — {policy.name.zh}"
    assert policy.organisation.zh in text.splitlines()[1]
    assert "来源 002" in text.splitlines()[2]
    assert "依据: 002 scenic 1.3.1: 接收投诉后,景区投诉处理部门应在1小时内进行登记" in text
    assert "投诉登记表: 3y — 投诉处理部门" in text and "调查核实证据: 3y" in text
    out = io.StringIO()
    show("hypermarket", out, "en")
    weekly = "source: 002 retail 注5: 店总助理将每周店内客诉记录汇总后于每周一以电子邮件传给总公司营运处客服专员"
    assert weekly in out.getvalue()


def _shown(name: str, language: str) -> str:
    out = io.StringIO()
    assert show(name, out, language) == 0
    return out.getvalue()


def test_show_prints_the_rules_that_decide_who_acts_in_both_languages() -> None:
    """The keys a reader must see to know who reviews, confirms and receives: a tier's reviewer
    before its approver, who confirms every closing, the irreversible flags, the report made for
    each region, the batch alert and the number format."""
    pc_zh, pc_en = _shown("pc_maker", "zh-hans"), _shown("pc_maker", "en")
    assert "6. legal — ⑥ 法务介入 [先经审核 vp (技术服务公司副总经理); 审批 legal (法务处)]" in pc_zh
    assert ("6. legal — ⑥ Legal involvement [reviewed first by vp (Vice president of the technical-service "
            "company); approver legal (Legal office)]") in pc_en
    assert "7 天内 5 件及以上; 通知 quality (品管部)" in pc_zh
    assert "5 or more complaints within 7 days; notify quality (Quality management department)" in pc_en
    assert "投诉编号: {prefix}-{date:%Y%m%d}-{seq:04d} (PC; 序号重置 每日)" in pc_zh
    assert "Numbers: {prefix}-{date:%Y%m%d}-{seq:04d} (PC; sequence resets daily)" in pc_en
    assert "30 天内同一 电话" in pc_zh and "30 days, same phone" in pc_en

    qr_zh, qr_en = _shown("qr_qmd_manufacturer", "zh-hans"), _shown("qr_qmd_manufacturer", "en")
    assert qr_zh.splitlines()[_line_of(qr_zh, "结案确认")] == "  gm (总经理)"
    assert qr_en.splitlines()[_line_of(qr_en, "Closing confirmed by")] == "  gm (General manager)"
    assert "结案确认" not in _shown("phone_maker", "zh-hans")  # the owner closes there

    insurer = _shown("insurer", "zh-hans")
    assert "converted_enquiry — 咨询件转投诉（不可逆） [记入后不可撤销]" in insurer
    assert "violation — 投诉内容涉及违规\n" in insurer  # an ordinary flag says nothing more
    assert "[cannot be removed once set]" in _shown("insurer", "en")

    dealer = _shown("dealer_network", "en")
    files = _line_of(dealer, "dealer_customer_files")
    assert dealer.splitlines()[files].strip() == (
        "to supervisor (Regional manager); one for each region; dimensions customer_files, dealer")
    assert "dealer_charged — " in dealer and "[outside the budget]" in dealer.splitlines()[
        _line_of(dealer, "dealer_charged — ") - 1]


def test_show_says_when_complaint_work_orders_come_first() -> None:
    assert "投诉工单优先于部门其他工单" in _shown("iptv", "zh-hans")
    assert "complaint work orders come before the departments' other work" in _shown("iptv", "en")
    assert "complaint work orders come before" not in _shown("pc_maker", "en")


def test_show_says_who_handles_and_what_resolving_needs() -> None:
    """The hotline's supervisor handles every complaint (``handled_by``); the scenic area resolves only
    after an approved, implemented plan (``plan_required``); neither is said where it does not hold."""
    hotline_zh, hotline_en = _shown("community_hotline", "zh-hans"), _shown("community_hotline", "en")
    assert hotline_zh.splitlines()[_line_of(hotline_zh, "投诉处理人")] == (
        "  supervisor (部门主管) (登记后即移交，登记人不自行处理)")
    assert hotline_en.splitlines()[_line_of(hotline_en, "Handled by")] == (
        "  supervisor (Department supervisor) (handed over at registration; the person who registers does not "
        "handle it)")
    scenic_zh, scenic_en = _shown("scenic_area", "zh-hans"), _shown("scenic_area", "en")
    assert "处理方案经审批并实施后方可办结" in scenic_zh
    assert "only after the solution plan is approved and implemented" in scenic_en
    phone = _shown("phone_maker", "en")
    assert "Handled by" not in phone and "approved and implemented" not in phone


def test_show_says_which_level_a_person_confirms() -> None:
    assert "触发规则仅建议，由人工升级确认" in _shown("pc_maker", "zh-hans")
    major = next(line for line in _shown("pc_maker", "en").splitlines() if "2. major" in line)
    assert "the triggers only suggest it; a person escalates" in major
    assert "only suggest" not in _shown("phone_maker", "en")


def test_show_lists_the_reasons_to_close_without_resolving() -> None:
    zh, en = _shown("community_hotline", "zh-hans"), _shown("community_hotline", "en")
    assert zh.splitlines()[_line_of(zh, "未办结即可结单的原因")].startswith(
        "  arrears_or_suspended — 回复时客户已欠费或停机")
    assert en.splitlines()[_line_of(en, "Reasons to close without resolving")].startswith(
        "  arrears_or_suspended — Line in arrears or suspended at the reply")
    assert "Reasons to close without resolving" not in _shown("pc_maker", "en")
