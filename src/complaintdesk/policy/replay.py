"""What-if replay: the recorded complaints re-evaluated under a candidate policy, nothing written.

Pure: the caller (``complaintdesk policy replay``, src/complaintdesk/policy_replay.py) reads the
record into :class:`Recorded` values and passes the function that turns a duration into a due
time on the official calendar; this module asks the same rules the services ask
(``rules.suggest_level``, ``rules.primary_target``, ``rules.approval_route``) and lists every
difference from what was recorded:

* ``level``: the level the triggers suggest (against the suggestion recorded at registration);
* ``target``: the primary target of the targets named;
* ``approvers``: who would approve each plan's recorded amount (against the route the complaint's
  own policy gives the same amount, tier, level and author);
* ``due``: a clock's due time, recomputed from its recorded start with the candidate's duration
  (the pauses and extensions recorded carried over as they were);
* ``deadline``: a clock met under the record that the candidate would breach, or the reverse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from complaintdesk.policy import rules
from complaintdesk.policy.schema import Duration, Policy, Role

KINDS = ("level", "target", "approvers", "due", "deadline")

DueAt = Callable[[Policy, datetime, Duration], datetime]


@dataclass(frozen=True)
class RecordedClock:
    code: str
    started_at: datetime
    due_at: datetime
    stopped_at: datetime | None  # None while it runs
    breached: bool


@dataclass(frozen=True)
class RecordedPlan:
    sequence: int
    amount: Decimal  # in the currency of the approval matrix
    tier: str | None
    author_roles: tuple[Role, ...]


@dataclass(frozen=True)
class Recorded:
    """One complaint as recorded, with the policy version it was registered under."""

    number: str
    policy: Policy
    text: str
    flags: tuple[str, ...]
    channel: str
    category: str
    units: int | None
    special_identities: tuple[str, ...]
    targets: tuple[str, ...]
    level: str
    suggested_level: str
    primary_target: str | None
    clocks: tuple[RecordedClock, ...] = ()
    plans: tuple[RecordedPlan, ...] = ()


@dataclass(frozen=True)
class Difference:
    number: str
    kind: str  # one of KINDS
    subject: str  # the clock code or the plan's number; "" for the complaint itself
    recorded: str
    candidate: str


@dataclass
class Outcome:
    compared: int = 0
    differences: list[Difference] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        """How many complaints differ in each kind (a complaint counts once per kind)."""
        counts = Counter(kind for _number, kind in {(d.number, d.kind) for d in self.differences})
        return {kind: counts.get(kind, 0) for kind in KINDS}

    def numbers(self) -> list[str]:
        return list(dict.fromkeys(d.number for d in self.differences))


def _route(policy: Policy, plan: RecordedPlan, level: str) -> str:
    if policy.approval is None:
        return ""
    try:
        route = rules.approval_route(policy, amount=plan.amount, tier=plan.tier, author_roles=plan.author_roles,
                                     level=level)
    except (KeyError, ValueError):
        return "?"
    if not route.roles and route.within_limit_of is not None:
        return f"({route.within_limit_of.value})"
    return " > ".join(role.value for role in route.roles)


def _state(clock_end: datetime | None, due: datetime, now: datetime) -> str:
    if clock_end is not None:
        return "met" if clock_end <= due else "breached"
    return "breached" if now > due else "running"


def _clock_differences(recorded: Recorded, candidate: Policy, due_at: DueAt, now: datetime) -> list[Difference]:
    out: list[Difference] = []
    known = {clock.code: clock for clock in candidate.clocks}
    own = {clock.code: clock for clock in recorded.policy.clocks}
    for clock in recorded.clocks:
        if clock.code not in known or clock.code not in own:
            continue
        # pauses, extensions and the customer's own deadline moved the recorded due time: carried over
        shift: timedelta = clock.due_at - due_at(recorded.policy, clock.started_at, own[clock.code].duration)
        due = due_at(candidate, clock.started_at, known[clock.code].duration) + shift
        if due != clock.due_at:
            out.append(Difference(recorded.number, "due", clock.code, clock.due_at.isoformat(), due.isoformat()))
        was = "breached" if clock.breached else _state(clock.stopped_at, clock.due_at, now)
        would = _state(clock.stopped_at, due, now)
        if was != would:
            out.append(Difference(recorded.number, "deadline", clock.code, was, would))
    return out


def replay_one(recorded: Recorded, candidate: Policy, *, due_at: DueAt, now: datetime) -> list[Difference]:
    """Every difference between the record of one complaint and the candidate's answers."""
    out: list[Difference] = []
    suggestion = rules.suggest_level(
        candidate, text=recorded.text, flags=recorded.flags,
        channel=recorded.channel if recorded.channel in {c.code for c in candidate.channels} else None,
        category=recorded.category, units=recorded.units, special_identities=recorded.special_identities)
    if suggestion.level != recorded.suggested_level:
        out.append(Difference(recorded.number, "level", "", recorded.suggested_level, suggestion.level))
    target = rules.primary_target(candidate, recorded.targets)
    if target != recorded.primary_target:
        out.append(Difference(recorded.number, "target", "", recorded.primary_target or "", target or ""))
    for plan in recorded.plans:
        was, would = _route(recorded.policy, plan, recorded.level), _route(candidate, plan, recorded.level)
        if was != would:
            out.append(Difference(recorded.number, "approvers", str(plan.sequence), was, would))
    out.extend(_clock_differences(recorded, candidate, due_at, now))
    return out


def replay(records: Iterable[Recorded], candidate: Policy, *, due_at: DueAt, now: datetime) -> Outcome:
    outcome = Outcome()
    for recorded in records:
        outcome.compared += 1
        outcome.differences.extend(replay_one(recorded, candidate, due_at=due_at, now=now))
    return outcome
