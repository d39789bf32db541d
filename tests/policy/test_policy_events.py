"""Meetable clocks (pure): every event of the policy language names the act that emits it, and
``policy check`` refuses a clock that could never start or never be met."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.policy import events
from complaintdesk.policy.load import check_references, load_preset, preset_names
from complaintdesk.policy.schema import Clock, ClockEvent


def clock(**overrides: Any) -> Clock:
    data: dict[str, Any] = {"code": "reply", "label": {"zh": "答复", "en": "Reply"}, "starts": "registered",
                            "stops": ["customer_replied", "closed"], "duration": "24h", **overrides}
    return Clock.model_validate(data)


def test_every_event_of_the_language_names_the_act_that_emits_it() -> None:
    assert set(events.EMITTED_BY) == set(ClockEvent)
    assert all(description.strip() for description in events.EMITTED_BY.values())


def test_a_clock_with_an_act_that_meets_it_passes() -> None:
    assert list(events.check_clock_events(clock(), ("clocks", 0))) == []


def test_a_clock_only_the_complaints_end_can_stop_is_refused() -> None:
    problems = list(events.check_clock_events(clock(stops=["closed", "withdrawn"]), ("clocks", 3)))
    assert [path for path, _ in problems] == [("clocks", 3, "stops")]
    assert "never met" in problems[0][1]


def test_an_event_no_act_emits_is_refused_where_it_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    without = {event: text for event, text in events.EMITTED_BY.items() if event != ClockEvent.VIOLATION_REPORTED}
    monkeypatch.setattr(events, "EMITTED_BY", without)
    problems = dict(events.check_clock_events(
        clock(starts="violation_reported", stops=["violation_reported", "resolved"],
              restarts_on=["violation_reported"]), ("clocks", 1)))
    assert set(problems) == {("clocks", 1, "starts"), ("clocks", 1, "stops", 0), ("clocks", 1, "restarts_on", 0)}
    assert "'violation_reported'" in problems[("clocks", 1, "stops", 0)]
    assert "never starts" in problems[("clocks", 1, "starts")]


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_has_only_meetable_clocks(name: str) -> None:
    policy = load_preset(name).policy
    problems = [problem for i, item in enumerate(policy.clocks)
                for problem in events.check_clock_events(item, ("clocks", i))]
    assert problems == []
    assert check_references(policy) == []
