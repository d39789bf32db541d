"""policy/replay.py without a database: a candidate's clock durations move due times and turn a
deadline met under the record into one breached (or the reverse); equal policies differ in nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from complaintdesk.policy.load import load_preset
from complaintdesk.policy.replay import Recorded, RecordedClock, RecordedPlan, replay
from complaintdesk.policy.schema import Duration, Policy, Role, Unit

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 16, 10, 0, tzinfo=SH)
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=SH)


def due_at(_policy: Policy, start: datetime, duration: Duration) -> datetime:
    """A stand-in calendar: every unit counted as hours (the official one is core/calendars.py)."""
    return start + timedelta(hours=duration.amount or 0)


def with_clock(policy: Policy, code: str, hours: int) -> Policy:
    clocks = [c.model_copy(update={"duration": Duration(amount=hours, unit=Unit.HOURS)}) if c.code == code else c
              for c in policy.clocks]
    return policy.model_copy(update={"clocks": clocks})


def recorded(policy: Policy, clock: RecordedClock, plans: tuple[RecordedPlan, ...] = ()) -> Recorded:
    return Recorded(number="PC-1", policy=policy, text="键盘失灵", flags=(), channel="hotline", category="hardware",
                    units=None, special_identities=(), targets=tuple(t.code for t in policy.targets[:1]),
                    level="normal", suggested_level="normal", primary_target=policy.targets[0].code,
                    clocks=(clock,), plans=plans)


def test_a_shorter_clock_breaches_what_was_met_and_moves_the_due_time() -> None:
    policy = load_preset("pc_maker").policy
    base = with_clock(policy, "technical_solution", 48)
    stopped = START + timedelta(hours=30)
    clock = RecordedClock("technical_solution", START, START + timedelta(hours=48), stopped, breached=False)
    outcome = replay([recorded(base, clock)], with_clock(policy, "technical_solution", 24), due_at=due_at, now=NOW)
    kinds = {(d.kind, d.subject, d.recorded, d.candidate) for d in outcome.differences}
    assert ("deadline", "technical_solution", "met", "breached") in kinds
    assert ("due", "technical_solution", (START + timedelta(hours=48)).isoformat(),
            (START + timedelta(hours=24)).isoformat()) in kinds
    assert outcome.summary()["deadline"] == 1 and outcome.summary()["due"] == 1


def test_a_pause_recorded_is_carried_over_and_a_running_clock_stays_running() -> None:
    policy = load_preset("pc_maker").policy
    base = with_clock(policy, "technical_solution", 48)
    paused = timedelta(hours=5)  # the recorded due time includes a pause of five hours
    clock = RecordedClock("technical_solution", START, START + timedelta(hours=48) + paused, None, breached=False)
    later = START + timedelta(hours=20)
    outcome = replay([recorded(base, clock)], with_clock(policy, "technical_solution", 72), due_at=due_at, now=later)
    assert [(d.kind, d.candidate) for d in outcome.differences] == [
        ("due", (START + timedelta(hours=72) + paused).isoformat())]


def test_the_same_policy_differs_in_nothing() -> None:
    policy = load_preset("pc_maker").policy
    clock = RecordedClock("technical_solution", START, due_at(policy, START, policy.clock("technical_solution")
                                                                .duration), None, breached=False)
    plan = RecordedPlan(sequence=1, amount=Decimal("250"), tier=None, author_roles=(Role.SPECIALIST,))
    outcome = replay([recorded(policy, clock, (plan,))], policy, due_at=due_at, now=START)
    assert outcome.differences == [] and outcome.compared == 1
