"""Seed 002 lines the presets carry, checked through the rules the services call (a second reading of
the seed, session 20): who hears of a registration at once, the written result, who gets the daily
summary."""

from __future__ import annotations

from complaintdesk.policy.load import load_preset
from complaintdesk.policy.rules import registration_notices
from complaintdesk.policy.rules.knowledge import result_notice
from complaintdesk.policy.schema import Role


def test_the_store_manager_hears_of_a_major_complaint_at_once() -> None:
    """Hypermarket 肆.二: "重大客诉，第一时间报告店总、营运处及行销处" — the store manager (gm) is told at
    registration beside the customer-service manager, not only when the hour's report is missed."""
    policy = load_preset("hypermarket").policy
    assert registration_notices(policy, "major", "major") == [("registered_at_level", Role.CS_HEAD),
                                                              ("registered_at_level", Role.GM)]
    assert registration_notices(policy, "general", "general") == []


def test_the_marketing_director_follows_a_serious_securities_complaint() -> None:
    """Securities 第七条: "根据影响情况分别由营销总监、运行总监、总经理进行"."""
    policy = load_preset("securities").policy
    assert policy.level("serious").supervising_roles() == (Role.SUPERVISOR, Role.CS_HEAD)
    assert ("registered_at_level", Role.CS_HEAD) in registration_notices(policy, "serious", "serious")


def test_the_mall_management_hears_of_an_urgent_complaint() -> None:
    """Shopping mall 4.1.2 / 4.2.3: several departments → "由商场管理层组织相关人员进行协商"."""
    policy = load_preset("shopping_mall").policy
    assert registration_notices(policy, "urgent", "urgent") == [("registered_at_level", Role.SUPERVISOR),
                                                                ("registered_at_level", Role.CS_HEAD)]


def test_the_securities_result_thanks_informs_and_asks_for_support() -> None:
    """Securities 第八条: "首先感谢客户，再详细通报客户反馈处理信息，最后希望客户继续支持营业部工作"."""
    policy = load_preset("securities").policy
    zh = result_notice(policy, result="已为您更正交易记录。", language="zh-hans", number="ZQ-20261204-0001")
    assert zh is not None
    thanks, informs, support = zh.index("感谢"), zh.index("已为您更正交易记录"), zh.index("继续支持营业部")
    assert thanks < informs < support and "ZQ-20261204-0001" in zh and "。。" not in zh
    en = result_notice(policy, result="Your trade record was corrected", language="en", number="ZQ-1")
    assert en is not None and en.startswith("Thank you") and "continue to support our branch" in en


def test_the_daily_summary_goes_to_the_section_chief_on_duty_first() -> None:
    """Hypermarket 叁.一: "各点每日汇总交当班课长 → 客服助理 … 店总经理审阅"."""
    report = next(r for r in load_preset("hypermarket").policy.reports if r.code == "daily_summary")
    assert report.to[0] == Role.SUPERVISOR and {Role.CS_HEAD, Role.GM} <= set(report.to)
