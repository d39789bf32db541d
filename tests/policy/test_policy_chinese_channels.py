"""The Chinese presets know the Chinese public channels and hotline transfers, and "posted it on
Weibo" in a description suggests the most severe level (issue 9 item 7)."""

from __future__ import annotations

import pytest

from complaintdesk.policy import rules
from complaintdesk.policy.load import load_preset, preset_names

CHINESE = [name for name in preset_names() if load_preset(name).policy.language == "zh-hans"]


def top_level(name: str) -> str:
    return max(load_preset(name).policy.levels, key=lambda level: level.rank).code


def test_every_chinese_preset_is_covered() -> None:
    assert {"community_hotline", "hypermarket", "insurer", "iptv", "pc_maker", "scenic_area", "securities",
            "restaurant"} <= set(CHINESE)


@pytest.mark.parametrize("name", CHINESE)
@pytest.mark.parametrize("text", ["客户说已经发到微博上了", "他把视频发到抖音了", "已经在小红书发了笔记"])
def test_posted_online_suggests_the_most_severe_level(name: str, text: str) -> None:
    policy = load_preset(name).policy
    assert rules.suggest_level(policy, text=text).level == top_level(name)


@pytest.mark.parametrize("name", CHINESE)
def test_the_public_channels_and_a_hotline_transfer_are_doors(name: str) -> None:
    channels = {channel.code: channel for channel in load_preset(name).policy.channels}
    assert {"douyin", "xiaohongshu"} <= set(channels)
    assert {"weibo", "wechat"} <= set(channels)
    transfers = [c for c in channels.values() if c.kind.value == "regulator" and c.requires_origin]
    assert transfers, "a hotline or regulator transfer with its transfer number"
    for code in ("douyin", "xiaohongshu"):
        assert channels[code].requires_origin and channels[code].origin_label is not None


@pytest.mark.parametrize("name", CHINESE)
def test_a_complaint_through_douyin_suggests_the_most_severe_level(name: str) -> None:
    policy = load_preset(name).policy
    assert rules.suggest_level(policy, text="", channel="douyin").level == top_level(name)


def test_a_plain_complaint_stays_at_the_default_level() -> None:
    policy = load_preset("hypermarket").policy
    assert rules.suggest_level(policy, text="排队结账太慢").level == policy.default_level
