"""The phone check's short path for Chinese mobile numbers (complaints/validation.py) gives exactly
what phonenumbers gives: the same E.164 text for every number it takes, and every other text goes
through phonenumbers itself."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.complaints import validation
from complaintdesk.complaints.validation import FieldInvalid


def by_phonenumbers(raw: str, region: str = "CN") -> str | None:
    """What the check answered before it had a short path: E.164, or None for a refused number."""
    try:
        parsed = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def checked(raw: str, region: str = "CN") -> str | None:
    try:
        return validation.phone(raw, region)
    except FieldInvalid:
        return None


def test_every_prefix_of_eleven_digits_answers_as_phonenumbers() -> None:
    rng = random.Random(20261204)
    taken = 0
    for prefix in range(10_000, 20_000):  # every five-digit start of an eleven-digit number beginning with 1
        for suffix in ("000000", "999999", f"{rng.randrange(1_000_000):06d}"):
            number = f"{prefix}{suffix}"
            expected = by_phonenumbers(number)
            assert checked(number) == expected, number
            assert checked(f"+86{number}") == by_phonenumbers(f"+86{number}"), number
            taken += validation._MOBILE.fullmatch(number) is not None
    assert taken > 10_000  # the short path is the common one, not a corner


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789+ -()１３８\u0663", min_size=0, max_size=16))
def test_any_text_answers_as_phonenumbers(raw: str) -> None:
    assert checked(raw) == by_phonenumbers(raw)


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"\A(\+86)?1[0-9]{10}\Z"), st.sampled_from(["CN", "US", "GB", "HK"]))
def test_mobile_shaped_text_in_any_region(raw: str, region: str) -> None:
    assert checked(raw, region) == by_phonenumbers(raw, region)


def test_a_mobile_number_is_taken_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(phonenumbers, "parse", refuse)
    assert validation.phone("13812345678") == "+8613812345678"
    assert validation.phone(" +8615912345678 ") == "+8615912345678"


def test_full_width_and_landline_numbers_take_the_full_path() -> None:
    assert validation.phone("１３８１２３４５６７８") == "+8613812345678"
    assert validation.phone("010 6552 9988") == by_phonenumbers("010 6552 9988")
    with pytest.raises(FieldInvalid):
        validation.phone("12012345678")  # eleven digits, no such mobile range
