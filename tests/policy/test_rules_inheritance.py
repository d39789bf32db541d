"""Unit policies within head office's fixed rules (policy/rules/inheritance.py): paths, values, the
order of strictness, and the loosenings of a unit's policy. Pure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaintdesk.policy.load import load_preset, parse_policy_text, preset_path
from complaintdesk.policy.references import check_references
from complaintdesk.policy.rules.inheritance import (
    MISSING,
    Loosening,
    compare,
    loosenings,
    path_in_schema,
    value_at,
)
from complaintdesk.policy.schema import Duration, Policy

DEALER = load_preset("dealer_network").policy
HYPER = load_preset("hypermarket").policy


def dealer_variant(*replacements: tuple[str, str]) -> Policy:
    text = preset_path("dealer_network").read_text(encoding="utf-8")
    for old, new in [*replacements, ('version: "2026.1"', 'version: "2026.1-a"')]:
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_policy_text(text, "dealer-a.yaml")


# --- paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["clocks.escalate_to_hq.duration", "approval.limits", "approval.limits.0.up_to",
                                  "petty_cash.limit", "budget.monthly", "levels.general.compensation_limit",
                                  "repeat.window_days", "number.pattern", "messages.acknowledgement.zh"])
def test_paths_of_the_schema(path: str) -> None:
    assert path_in_schema(path)


@pytest.mark.parametrize("path", ["", "clocks..duration", "clockz", "approval.limit", "petty_cash.limit.more",
                                  "number.pattern.x", "repeat.window_days.0"])
def test_paths_outside_the_schema(path: str) -> None:
    assert not path_in_schema(path)


def test_values_by_code_index_and_field() -> None:
    assert value_at(DEALER, "clocks.escalate_to_hq.duration") == Duration.model_validate("48h")
    assert value_at(DEALER, "approval.limits.1.up_to") == Decimal("5000")
    assert value_at(DEALER, "approval.limits.2.up_to") is None
    assert value_at(DEALER, "clocks.no_such_clock.duration") is MISSING
    assert value_at(DEALER, "approval.limits.9") is MISSING
    assert value_at(DEALER, "petty_cash.limit") is MISSING  # the dealer network has no petty cash
    assert value_at(HYPER, "petty_cash.limit") == Decimal("100")


def test_the_presets_fix_head_offices_rules() -> None:
    assert DEALER.fixed == ["clocks.dealer_response.duration", "clocks.escalate_to_hq.duration",
                            "clocks.escalate_to_hq.stops", "approval.limits"]
    assert "petty_cash.limit" in HYPER.fixed and "approval.limits" in HYPER.fixed
    assert loosenings(DEALER, DEALER) == [] and loosenings(HYPER, HYPER) == []


def test_fixed_paths_are_checked_as_references() -> None:
    policy = DEALER.model_copy(update={"fixed": ["clocks.escalate_to_hq.duration", "clockz.x", "petty_cash.limit",
                                                 "clocks.escalate_to_hq.duration"]})
    problems = [(path, message) for path, message in check_references(policy) if path[0] == "fixed"]
    assert problems == [
        (("fixed", 1), "'clockz.x' is not a path of the policy (dotted field names; list items by code)"),
        (("fixed", 2), "'petty_cash.limit' names nothing in this policy"),
        (("fixed", 3), "'clocks.escalate_to_hq.duration' is listed twice"),
    ]


# --- the order of strictness -------------------------------------------------------------------


def d(text: str) -> Duration:
    return Duration.model_validate(text)


@pytest.mark.parametrize(
    ("inherited", "own", "name", "verdict"),
    [
        (d("48h"), d("24h"), "duration", "stricter"),
        (d("48h"), d("48h"), "duration", "equal"),
        (d("48h"), d("72h"), "duration", "looser"),
        (d("48h"), d("2d"), "duration", "different"),          # another unit: no order
        (d("2wd"), d("1wd"), "duration", "stricter"),
        (d("until 15:30 else 2wd"), d("until 15:30 else 1wd"), "duration", "stricter"),
        (d("until 15:30 else 1wd"), d("until 16:00 else 1wd"), "duration", "different"),
        (d("on day 5"), d("on day 3"), "duration", "different"),
        (Decimal("100"), Decimal("80"), "limit", "stricter"),
        (Decimal("100"), Decimal("150"), "limit", "looser"),
        (Decimal("5000"), Decimal("4000"), "monthly", "stricter"),  # money: lower is stricter
        (500, 400, "up_to", "stricter"),
        (500, 400, "compensation_limit", "stricter"),
        (30, 20, "window_days", "different"),                  # not a limit: must stay equal
        (30, 30, "window_days", "equal"),
        (None, Decimal("9000"), "up_to", "stricter"),          # a bound where there was none
        (Decimal("9000"), None, "up_to", "looser"),            # no bound any more
        (Decimal("100"), None, "limit", "looser"),
        (None, "x", "label", "different"),
        (True, False, "chain", "different"),
        ("vp", "vp", "role", "equal"),
        ("vp", "gm", "role", "different"),
        (d("48h"), MISSING, "duration", "looser"),
    ],
)
def test_compare(inherited: object, own: object, name: str, verdict: str) -> None:
    assert compare(inherited, own, name) == verdict


AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
UNITS = st.sampled_from(["h", "m", "d", "wd", "wh"])


@given(AMOUNTS, AMOUNTS)
def test_money_order_is_antisymmetric(first: Decimal, second: Decimal) -> None:
    forward, backward = compare(first, second, "limit"), compare(second, first, "limit")
    assert {forward, backward} in ({"equal"}, {"stricter", "looser"})
    assert (forward == "stricter") == (second < first)


@given(st.integers(0, 10_000), st.integers(0, 10_000), UNITS)
def test_a_shorter_duration_of_the_same_unit_is_stricter(first: int, second: int, unit: str) -> None:
    verdict = compare(d(f"{first}{unit}"), d(f"{second}{unit}"), "duration")
    assert verdict == ("stricter" if second < first else "looser" if second > first else "equal")


@given(st.integers(1, 1000), st.integers(1, 1000), st.sampled_from([("h", "d"), ("wd", "d"), ("m", "wm")]))
def test_durations_of_different_units_have_no_order(first: int, second: int, units: tuple[str, str]) -> None:
    assert compare(d(f"{first}{units[0]}"), d(f"{second}{units[1]}"), "duration") == "different"


# --- a unit's policy against the inherited one -------------------------------------------------


def test_a_stricter_unit_policy_keeps_the_rules() -> None:
    own = dealer_variant(("duration: 48h", "duration: 36h"), ("{up_to: 500, role: specialist}",
                                                              "{up_to: 300, role: specialist}"))
    assert loosenings(DEALER, own) == []


def test_a_longer_report_up_clock_is_a_loosening() -> None:
    own = dealer_variant(("duration: 48h", "duration: 72h"))
    assert loosenings(DEALER, own) == [Loosening("clocks.escalate_to_hq.duration", "48h", "72h", "looser")]


def test_a_higher_approval_limit_is_a_loosening_named_down_to_the_item() -> None:
    own = dealer_variant(("{up_to: 5000, role: cs_head}", "{up_to: 8000, role: cs_head}"))
    assert loosenings(DEALER, own) == [Loosening("approval.limits.1.up_to", "5000", "8000", "looser")]


def test_another_approver_or_another_number_of_limits_is_refused_as_different() -> None:
    other_role = dealer_variant(("{up_to: 5000, role: cs_head}", "{up_to: 5000, role: supervisor}"))
    assert loosenings(DEALER, other_role) == [Loosening("approval.limits.1.role", "cs_head", "supervisor",
                                                        "different")]
    fewer = dealer_variant(("    - {up_to: 500, role: specialist}\n", ""))
    [found] = loosenings(DEALER, fewer)
    assert (found.path, found.verdict) == ("approval.limits", "different")


def test_a_removed_clock_or_stop_event_is_a_loosening() -> None:
    no_stop = dealer_variant(("stops: [escalated_to_hq, resolved, rejected, withdrawn, closed]",
                              "stops: [resolved, rejected, withdrawn, closed]"))
    [found] = loosenings(DEALER, no_stop)
    assert found.path == "clocks.escalate_to_hq.stops" and found.verdict == "different"
    other_unit = dealer_variant(("duration: 48h", "duration: 2d"))
    assert loosenings(DEALER, other_unit) == [Loosening("clocks.escalate_to_hq.duration", "48h", "2d", "different")]


def test_dropping_a_fixed_mark_is_a_loosening() -> None:
    own = dealer_variant(("  - approval.limits\n", ""))
    assert loosenings(DEALER, own) == [Loosening("fixed", "approval.limits", "—", "looser")]


def test_a_whole_section_fixed_compares_everything_inside() -> None:
    fixed_section = DEALER.model_copy(update={"fixed": ["approval"]})
    own = dealer_variant(("{up_to: 500, role: specialist}", "{up_to: 900, role: specialist}"))
    own = own.model_copy(update={"fixed": ["approval"]})
    assert [f.path for f in loosenings(fixed_section, own)] == ["approval.limits.0.up_to"]
    without = own.model_copy(update={"approval": None})
    assert [(f.path, f.verdict) for f in loosenings(fixed_section, without)] == [("approval", "looser")]
