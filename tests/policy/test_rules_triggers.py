"""Level suggestion: keywords (Chinese anywhere, Latin whole words), flags, channels, categories,
special identities, units; the most severe level wins; never below the default level."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policy_testkit import mini_policy

from complaintdesk.policy.load import load_preset, preset_names
from complaintdesk.policy.rules import keyword_in, normalise_text, suggest_level, trigger_matches
from complaintdesk.policy.schema import Policy

MINI = mini_policy()


@cache
def preset(name: str) -> Policy:
    return load_preset(name).policy


def level_of(policy: Policy, **kwargs: object) -> str:
    return suggest_level(policy, **kwargs).level  # type: ignore[arg-type]


def rank(policy: Policy, code: str) -> int:
    return policy.level(code).rank


# --- keywords --------------------------------------------------------------------------------


def test_nothing_matches_gives_the_default_level() -> None:
    suggestion = suggest_level(MINI, text="The screen is a little dim.")
    assert suggestion.level == "low"
    assert suggestion.matches == ()


def test_chinese_keyword_matches_anywhere_in_the_text() -> None:
    suggestion = suggest_level(MINI, text="昨晚充电时电脑突然起火了")
    assert suggestion.level == "high"
    assert suggestion.matches[0].because == ("keyword:起火",)


@pytest.mark.parametrize("text", ["There was a fire.", "FIRE!", "fire", "a fire-damaged laptop", "(fire)"])
def test_latin_keyword_matches_as_a_whole_word(text: str) -> None:
    assert level_of(MINI, text=text) == "high"


@pytest.mark.parametrize("text", ["the firewall blocks me", "campfire stories", "fired my agent", "misfire"])
def test_latin_keyword_does_not_match_inside_a_word(text: str) -> None:
    assert level_of(MINI, text=text) == "low"


def test_full_width_letters_and_case_do_not_hide_a_keyword() -> None:
    assert level_of(MINI, text="ＦＩＲＥ in the kitchen") == "high"


def test_two_word_keyword_survives_line_breaks_and_double_spaces() -> None:
    assert level_of(MINI, text="I will call the TV\nstation") == "high"
    assert level_of(MINI, text="the tv   station knows") == "high"


def test_latin_keyword_inside_chinese_text() -> None:
    assert level_of(MINI, text="我要找tv station曝光") == "high"


def test_keyword_in_helper() -> None:
    haystack = normalise_text("Call 12315 now")
    assert keyword_in("12315", haystack)
    assert not keyword_in("1231", haystack)
    assert not keyword_in("   ", haystack)
    assert keyword_in("漏电", normalise_text("机器漏电了"))


# --- flags, channels, categories, identities, units ------------------------------------------


def test_flag_suggests_its_level() -> None:
    suggestion = suggest_level(MINI, text="", flags=["online"])
    assert suggestion.level == "mid"
    assert suggestion.matches[0].because == ("flag:online",)


def test_channel_flags_count_as_flags() -> None:
    suggestion = suggest_level(MINI, text="", channel="web")
    assert suggestion.level == "mid"
    assert ("flag:online",) in [match.because for match in suggestion.matches]


def test_channel_condition() -> None:
    suggestion = suggest_level(MINI, text="", channel="press")
    assert suggestion.level == "high"
    assert suggestion.matches[0].because == ("channel:press",)


def test_unknown_channel_is_ignored() -> None:
    assert level_of(MINI, text="", channel="carrier_pigeon") == "low"


def test_category_condition() -> None:
    assert level_of(MINI, text="", category="dealer") == "mid"
    assert level_of(MINI, text="", category="product") == "low"


def test_special_identity_condition() -> None:
    suggestion = suggest_level(MINI, text="", special_identities=["vip"])
    assert suggestion.level == "mid"
    assert suggestion.matches[0].because == ("identity:vip",)


@pytest.mark.parametrize(("units", "expected"), [(None, "low"), (1, "low"), (4, "low"), (5, "mid"), (500, "mid")])
def test_min_units_condition(units: int | None, expected: str) -> None:
    assert level_of(MINI, text="", units=units) == expected


def test_most_severe_level_wins() -> None:
    suggestion = suggest_level(MINI, text="fire", flags=["online"], special_identities=["vip"])
    assert suggestion.level == "high"
    assert {match.trigger for match in suggestion.matches} == {"fire", "online", "vip"}


def test_trigger_lists_every_reason_it_matched() -> None:
    trigger = MINI.triggers[0]
    match = trigger_matches(trigger, text="起火 and fire", flags=[], channel=None, category=None)
    assert match is not None
    assert match.because == ("keyword:起火", "keyword:fire")


# --- presets ---------------------------------------------------------------------------------


def test_phone_maker_levels() -> None:
    policy = preset("phone_maker")
    assert level_of(policy, text="The battery is swollen and the phone exploded") == "major"
    assert level_of(policy, text="我的手机电池鼓包了") == "major"
    assert level_of(policy, text="A journalist from the newspaper called me") == "crisis"
    assert level_of(policy, text="", flags=["authority_request"]) == "crisis"
    assert level_of(policy, text="", channel="media") == "crisis"  # the media ask for our handling
    assert level_of(policy, text="Slow charging") == "general"
    assert level_of(policy, text="", units=10) == "major"


def test_pc_maker_major_triggers_only_suggest() -> None:
    policy = preset("pc_maker")
    assert level_of(policy, text="我已经投诉到工商局了") == "major"
    assert level_of(policy, text="电源高压漏电，差点起火") == "major"
    assert level_of(policy, text="", special_identities=["pregnant"]) == "major"
    assert level_of(policy, text="", flags=["consumer_assoc_315"]) == "major"
    assert level_of(policy, text="", channel="media") == "major"
    assert level_of(policy, text="屏幕有坏点") == "normal"


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("买的高压锅炸裂造成人身伤害", "injury_by_goods"),
        ("存在服务台的贵重物品丢了", "valuables_lost"),
        ("电视台记者要来采访", "press_government"),
        ("职业打假要求十倍赔偿", "malicious_claim"),
        ("顾客在卖场摔倒受伤", "injured_in_store"),
        ("多人食物中毒", "food_poisoning"),
    ],
)
def test_hypermarket_major_complaints_by_keyword_and_flag(text: str, flag: str) -> None:
    policy = preset("hypermarket")
    assert level_of(policy, text=text) == "major"
    assert level_of(policy, text="", flags=[flag]) == "major"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A customer slipped and fell near the tills", "major"),
        ("Mass food poisoning after the buffet", "major"),
        ("The price tag was wrong", "general"),
    ],
)
def test_hypermarket_english_keywords(text: str, expected: str) -> None:
    assert level_of(preset("hypermarket"), text=text) == expected


def test_iptv_colours() -> None:
    policy = preset("iptv")
    assert level_of(policy, text="", channel="call_centre") == "blue"
    assert level_of(policy, text="", channel="walk_in") == "yellow"
    assert level_of(policy, text="", channel="broadcasting_regulator") == "orange"
    assert level_of(policy, text="", channel="consumer_council") == "orange"
    assert level_of(policy, text="我要找记者曝光", channel="consumer_council") == "red"


def test_community_hotline_escalation_channels() -> None:
    policy = preset("community_hotline")
    for channel in ("group_company", "miit", "media"):
        assert level_of(policy, text="", channel=channel) == "major"
    assert level_of(policy, text="客户代表语气生硬", channel="hotline") == "general"


# --- properties ------------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["fire", "firewall", "起火", "冒烟", "tv station", "hello", "屏幕", "station", "tv", "FIRE", "ｆｉｒｅ", "12315"]
)
TEXTS = st.lists(WORDS, max_size=8).map(" ".join)
FLAGS = st.lists(st.sampled_from(["online", "hazard", "unknown"]), max_size=3)


@settings(deadline=None)
@given(TEXTS, TEXTS, FLAGS, FLAGS)
def test_adding_text_or_flags_never_lowers_the_level(a: str, b: str, f: list[str], g: list[str]) -> None:
    before = suggest_level(MINI, text=a, flags=f).level
    after = suggest_level(MINI, text=f"{a} {b}", flags=[*f, *g]).level
    assert rank(MINI, after) >= rank(MINI, before)


@settings(deadline=None)
@given(TEXTS, FLAGS, st.sampled_from([None, "phone", "web", "press", "nowhere"]), st.none() | st.integers(0, 20))
def test_suggestion_is_a_defined_level_not_below_default(
    text: str, flags: list[str], channel: str | None, units: int | None
) -> None:
    suggestion = suggest_level(MINI, text=text, flags=flags, channel=channel, units=units)
    assert suggestion.level in {level.code for level in MINI.levels}
    assert rank(MINI, suggestion.level) >= rank(MINI, MINI.default_level)
    expected = max((rank(MINI, match.level) for match in suggestion.matches), default=1)
    assert rank(MINI, suggestion.level) == max(expected, rank(MINI, MINI.default_level))


@st.composite
def preset_case(draw: st.DrawFn) -> tuple[Policy, str, list[str], str | None]:
    policy = preset(draw(st.sampled_from(preset_names())))
    keywords = [kw for trigger in policy.triggers for kw in trigger.keywords.all()]
    words = draw(st.lists(st.sampled_from([*keywords, "ordinary", "普通问题", "x"]), max_size=6))
    flags = draw(st.lists(st.sampled_from([flag.code for flag in policy.flags] or ["none"]), max_size=3))
    channel = draw(st.none() | st.sampled_from([channel.code for channel in policy.channels]))
    return policy, " ".join(words), flags, channel


@settings(max_examples=200, deadline=None)
@given(preset_case(), st.text(max_size=30))
def test_every_preset_suggests_one_of_its_levels_and_more_text_never_lowers(
    case: tuple[Policy, str, list[str], str | None], extra: str
) -> None:
    policy, text, flags, channel = case
    first = suggest_level(policy, text=text, flags=flags, channel=channel)
    assert first.level in {level.code for level in policy.levels}
    second = suggest_level(policy, text=f"{text} {extra}", flags=flags, channel=channel)
    assert rank(policy, second.level) >= rank(policy, first.level)


@settings(max_examples=10, deadline=None)
@given(TEXTS)
def test_each_keyword_of_a_trigger_alone_suggests_at_least_its_level(noise: str) -> None:
    for name in preset_names():
        policy = preset(name)
        for trigger in policy.triggers:
            for keyword in trigger.keywords.all():
                level = suggest_level(policy, text=f"{noise} {keyword} {noise}").level
                assert rank(policy, level) >= rank(policy, trigger.level), (name, keyword)


def test_pc_maker_special_identity_flag_also_suggests_major() -> None:
    assert level_of(preset("pc_maker"), text="", flags=["special_identity"]) == "major"
