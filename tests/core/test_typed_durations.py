"""A duration typed by a person — in Chinese, in English, or the policy's short form — reads as the
policy's duration; anything else is refused (the caller names the field)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaintdesk.core.durations import typed_duration


@pytest.mark.parametrize(("typed", "short"), [
    ("2wd", "2wd"), ("2 WD", "2wd"), ("2个工作日", "2wd"), ("2 个工作日", "2wd"), ("2工作日", "2wd"),
    ("1 working day", "1wd"), ("3 working days", "3wd"),
    ("24h", "24h"), ("24小时", "24h"), ("24 个小时", "24h"), ("1 hour", "1h"), ("36 hours", "36h"),
    ("8个工作小时", "8wh"), ("8 working hours", "8wh"), ("30分钟", "30m"), ("30 minutes", "30m"),
    ("3天", "3d"), ("3日", "3d"), ("3 days", "3d"), ("1 day", "1d"), ("2周", "14d"), ("2 weeks", "14d"),
    ("1个月", "1mo"), ("2 months", "2mo"), ("1年", "1y"),
])
def test_typed_forms(typed: str, short: str) -> None:
    assert str(typed_duration(typed)) == short


@pytest.mark.parametrize("typed", ["", "soon", "2", "working days", "two days", "2 fortnights", "2.5h", "-2d"])
def test_what_is_no_duration_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        typed_duration(typed)


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["wd", "个工作日", " working days", "h", "小时",
                                                                 " hours", "d", "天", " days"]))
def test_every_amount_keeps_its_number(amount: int, unit: str) -> None:
    assert typed_duration(f"{amount}{unit}").amount == amount
