"""Numbers that carry the receiving unit's prefix: ``{unit}`` in the pattern, one counter per unit."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from policy_testkit import mini_policy

from complaintdesk.policy.rules.intake import format_number, numbers_per_unit, sequence_key, unit_part
from complaintdesk.policy.schema import NumberFormat, Policy

MINI = mini_policy()
DAY = date(2026, 3, 5)


def with_number(**fields: object) -> Policy:
    number = NumberFormat.model_validate({"prefix": "T", **fields})
    return MINI.model_copy(update={"number": number})


PER_UNIT = with_number(pattern="{unit}-{date:%Y%m%d}-{seq:04d}")
BOTH = with_number(pattern="{prefix}{unit}-{date:%y%m}-{seq:03d}", reset="monthly")
PREFIXES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=8)


def test_the_unit_prefix_fills_unit() -> None:
    assert format_number(PER_UNIT, DAY, 7, "DA") == "DA-20260305-0007"
    assert format_number(BOTH, DAY, 7, "S01") == "TS01-2603-007"


def test_a_unit_without_a_prefix_uses_the_policys() -> None:
    assert unit_part(PER_UNIT, "") == "T"
    assert format_number(PER_UNIT, DAY, 7) == "T-20260305-0007"
    assert sequence_key(PER_UNIT, DAY) == "T:T:20260305"


def test_each_unit_counts_on_its_own_only_when_the_pattern_names_the_unit() -> None:
    assert numbers_per_unit(PER_UNIT) and not numbers_per_unit(MINI)
    assert sequence_key(PER_UNIT, DAY, "DA") == "T:DA:20260305"
    assert sequence_key(PER_UNIT, DAY, "DA") != sequence_key(PER_UNIT, DAY, "DB")
    assert sequence_key(BOTH, DAY, "S01") == "T:S01:202603"
    # without {unit} the unit prefix changes nothing: one counter, the same numbers
    assert sequence_key(MINI, DAY, "DA") == sequence_key(MINI, DAY) == "T:20260305"
    assert format_number(MINI, DAY, 3, "DA") == format_number(MINI, DAY, 3) == "T-20260305-0003"


@settings(deadline=None)
@given(PREFIXES, PREFIXES, st.integers(1, 9999), st.integers(1, 9999))
def test_numbers_of_two_counters_never_collide(first: str, second: str, seq_a: int, seq_b: int) -> None:
    """Two numbers are equal only when they come from the same counter with the same value: a
    shared counter never hands out a value twice, so numbers stay unique across units."""
    same_number = format_number(PER_UNIT, DAY, seq_a, first) == format_number(PER_UNIT, DAY, seq_b, second)
    same_draw = sequence_key(PER_UNIT, DAY, first) == sequence_key(PER_UNIT, DAY, second) and seq_a == seq_b
    assert same_number == same_draw
