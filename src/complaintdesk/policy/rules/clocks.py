"""Clock rules answered from the policy alone: which clocks an event starts or stops for a
complaint, and the promised-reply clock. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from complaintdesk.policy.schema import ChannelKind, Clock, ClockEvent, Policy


@dataclass(frozen=True)
class ComplaintFacts:
    """What a clock's ``applies`` section can be tested against."""

    level: str
    category: str
    channel: str
    channel_kind: ChannelKind | None = None
    flags: frozenset[str] = field(default_factory=frozenset)
    tiers: frozenset[str] = field(default_factory=frozenset)
    urgent: bool = False
    legal: bool = False


def clock_applies(clock: Clock, facts: ComplaintFacts) -> bool:
    applies = clock.applies
    if applies.levels and facts.level not in applies.levels:
        return False
    if applies.categories and facts.category not in applies.categories:
        return False
    if applies.channels and facts.channel not in applies.channels:
        return False
    if applies.channel_kinds and facts.channel_kind not in applies.channel_kinds:
        return False
    if applies.flags and not facts.flags.intersection(applies.flags):
        return False
    if facts.flags.intersection(applies.without_flags):
        return False
    if applies.tiers and not facts.tiers.intersection(applies.tiers):
        return False
    if applies.legal is not None and applies.legal != facts.legal:
        return False
    return applies.urgent is None or applies.urgent == facts.urgent


def clocks_started_by(policy: Policy, event: ClockEvent, facts: ComplaintFacts) -> list[Clock]:
    return [clock for clock in policy.clocks if clock.starts == event and clock_applies(clock, facts)]


def clocks_stopped_by(policy: Policy, event: ClockEvent) -> list[Clock]:
    return [clock for clock in policy.clocks if event in clock.stops]


def promise_clock(policy: Policy, channel: str | None = None) -> Clock | None:
    """The clock whose due time is told to the customer — of a complaint through ``channel`` where
    the policy has one per door (``policy check`` keeps them one for each channel)."""
    return next((clock for clock in policy.clocks if clock.promise
                 and (channel is None or not clock.applies.channels or channel in clock.applies.channels)), None)
