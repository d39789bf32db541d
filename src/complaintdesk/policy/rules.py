"""Questions the application asks of a policy: pure functions over :class:`Policy`.

Nothing here touches a database; the services pass in what they know about a complaint and obey
the answer.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from complaintdesk.policy.schema import (
    Category,
    ChannelKind,
    Clock,
    ClockEvent,
    Fact,
    Level,
    Policy,
    ReasonNode,
    Role,
    Trigger,
)

# --- level suggestion ------------------------------------------------------------------------


@dataclass(frozen=True)
class TriggerMatch:
    trigger: str
    level: str
    because: tuple[str, ...]


@dataclass(frozen=True)
class LevelSuggestion:
    level: str
    matches: tuple[TriggerMatch, ...] = ()


_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Case-fold and NFKC-normalise so that full-width letters and case never hide a keyword;
    runs of white space count as one space (a line break never hides a two-word keyword)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold())


_WORD_CHARS = re.compile(r"^[a-z0-9 ]+$")


@functools.lru_cache(maxsize=4096)
def _needle(keyword: str) -> tuple[str, re.Pattern[str] | None]:
    """A keyword normalised once, with its whole-word pattern when it is Latin (the policy's keywords
    are few and fixed; a batch import tests each of them against every row)."""
    needle = normalise_text(keyword).strip()
    if needle and _WORD_CHARS.match(needle):
        return needle, re.compile(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])")
    return needle, None


def keyword_in(keyword: str, haystack: str) -> bool:
    """Latin keywords match whole words ("fire" is not in "firewall"); CJK keywords match
    anywhere, as Chinese has no spaces between words."""
    needle, pattern = _needle(keyword)
    if not needle:
        return False
    if pattern is not None:
        return pattern.search(haystack) is not None
    return needle in haystack


def trigger_matches(
    trigger: Trigger,
    *,
    text: str,
    flags: Iterable[str],
    channel: str | None,
    category: str | None,
    units: int | None = None,
    special_identities: Iterable[str] = (),
) -> TriggerMatch | None:
    haystack = normalise_text(text)
    because: list[str] = []
    because.extend(f"keyword:{kw}" for kw in trigger.keywords.all() if keyword_in(kw, haystack))
    flag_set = set(flags)
    because.extend(f"flag:{flag}" for flag in trigger.flags if flag in flag_set)
    if channel is not None and channel in trigger.channels:
        because.append(f"channel:{channel}")
    if category is not None and category in trigger.categories:
        because.append(f"category:{category}")
    if trigger.min_units is not None and units is not None and units >= trigger.min_units:
        because.append(f"units:{units}")
    identity_set = set(special_identities)
    because.extend(f"identity:{identity}" for identity in trigger.special_identities if identity in identity_set)
    if not because:
        return None
    return TriggerMatch(trigger.code, trigger.level, tuple(because))


def suggest_level(
    policy: Policy,
    *,
    text: str,
    flags: Iterable[str] = (),
    channel: str | None = None,
    category: str | None = None,
    units: int | None = None,
    special_identities: Iterable[str] = (),
) -> LevelSuggestion:
    """The most severe level any trigger suggests, or the policy's default level.

    A trigger matches when any of its conditions holds: a keyword in ``text`` (Latin keywords as
    whole words, Chinese anywhere), one of its flags among ``flags`` or among the flags the
    ``channel`` sets, the channel, the category, ``units`` at least ``min_units``, or one of the
    customer's ``special_identities``. The suggestion is never below ``default_level``; the
    officer confirms or changes it.
    """
    flag_list = list(flags)
    identities = tuple(special_identities)
    if channel is not None:
        with contextlib.suppress(KeyError):
            flag_list.extend(policy.channel(channel).flags)
    matches = [
        match
        for trigger in policy.triggers
        if (
            match := trigger_matches(
                trigger,
                text=text,
                flags=flag_list,
                channel=channel,
                category=category,
                units=units,
                special_identities=identities,
            )
        )
        is not None
    ]
    ranks = {level.code: level.rank for level in policy.levels}
    best = policy.default_level
    for match in matches:
        if ranks[match.level] > ranks[best]:
            best = match.level
    return LevelSuggestion(best, tuple(matches))


def next_level(policy: Policy, current: str) -> Level | None:
    ordered = policy.levels_by_rank()
    codes = [level.code for level in ordered]
    index = codes.index(current)
    return ordered[index + 1] if index + 1 < len(ordered) else None


# --- targets ---------------------------------------------------------------------------------


def primary_target(policy: Policy, targets: Sequence[str]) -> str | None:
    """The highest-priority target among those the complaint names (1 = highest)."""
    priority = {target.code: target.priority for target in policy.targets}
    named = [code for code in targets if code in priority]
    if not named:
        return None
    return min(named, key=lambda code: priority[code])


# --- facts and completeness ------------------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    required: tuple[str, ...]
    present: tuple[str, ...]
    noted: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


def _has_value(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | tuple | set | dict):
        return len(value) > 0
    return True


def completeness(
    category: Category,
    *,
    facts: Mapping[str, object],
    notes: Mapping[str, str],
    bound: Mapping[str, object],
) -> Completeness:
    """Which required facts are present, explained by a "why missing" note, or still missing.

    ``bound`` holds the values of customer/product fields (``product.imei`` …) that facts with a
    ``field`` read from.
    """
    required, present, noted, missing = [], [], [], []
    for fact in category.facts:
        value = bound.get(fact.field) if fact.field else facts.get(fact.code)
        if fact.field and not _has_value(value):
            value = facts.get(fact.code)
        if _has_value(value):
            present.append(fact.code)
            if fact.required:
                required.append(fact.code)
            continue
        if not fact.required:
            continue
        required.append(fact.code)
        if fact.note_allowed and _has_value(notes.get(fact.code)):
            noted.append(fact.code)
        else:
            missing.append(fact.code)
    return Completeness(tuple(required), tuple(present), tuple(noted), tuple(missing))


def fact_by_code(category: Category, code: str) -> Fact | None:
    return next((fact for fact in category.facts if fact.code == code), None)


# --- reasons ---------------------------------------------------------------------------------


def reason_path(policy: Policy, codes: Sequence[str]) -> list[ReasonNode] | None:
    """The nodes of a reason path (level 1 first) if ``codes`` is a valid path from the root."""
    nodes = policy.reasons.tree
    path: list[ReasonNode] = []
    for code in codes:
        node = next((n for n in nodes if n.code == code), None)
        if node is None:
            return None
        path.append(node)
        nodes = node.children
    return path


def reason_children(policy: Policy, codes: Sequence[str]) -> list[ReasonNode]:
    path = reason_path(policy, codes)
    if path is None:
        return []
    return path[-1].children if path else list(policy.reasons.tree)


def responsible_department(policy: Policy, *, reason: Sequence[str] = (), category: str | None = None) -> str | None:
    """The body a complaint is routed to.

    One complaint carries one root cause and goes to the body responsible for it (002 insurer):
    the department of the deepest node on the ``reason`` path that names one; failing that, the
    department of the ``category``; else None (the owner decides).
    """
    path = reason_path(policy, reason) or []
    for node in reversed(path):
        if node.department is not None:
            return node.department
    if category is not None:
        with contextlib.suppress(KeyError):
            return policy.category(category).department
    return None


# --- numbers ---------------------------------------------------------------------------------


def sequence_key(policy: Policy, day: date) -> str:
    reset = policy.number.reset
    if reset == "daily":
        period = day.strftime("%Y%m%d")
    elif reset == "monthly":
        period = day.strftime("%Y%m")
    elif reset == "yearly":
        period = day.strftime("%Y")
    else:
        period = "all"
    return f"{policy.number.prefix}:{period}"


def format_number(policy: Policy, day: date, seq: int) -> str:
    return policy.number.pattern.format(prefix=policy.number.prefix, date=day, seq=seq)


# --- clocks ----------------------------------------------------------------------------------


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
    if applies.tiers and not facts.tiers.intersection(applies.tiers):
        return False
    if applies.legal is not None and applies.legal != facts.legal:
        return False
    return applies.urgent is None or applies.urgent == facts.urgent


def clocks_started_by(policy: Policy, event: ClockEvent, facts: ComplaintFacts) -> list[Clock]:
    return [clock for clock in policy.clocks if clock.starts == event and clock_applies(clock, facts)]


def clocks_stopped_by(policy: Policy, event: ClockEvent) -> list[Clock]:
    return [clock for clock in policy.clocks if event in clock.stops]


def promise_clock(policy: Policy) -> Clock | None:
    return next((clock for clock in policy.clocks if clock.promise), None)


# --- approvals -------------------------------------------------------------------------------

ROLE_ORDER = [
    Role.AGENT,
    Role.SPECIALIST,
    Role.SUPERVISOR,
    Role.QC_MANAGER,
    Role.CS_HEAD,
    Role.VP,
    Role.GM,
]


@dataclass(frozen=True)
class ApprovalRoute:
    """Who must approve: ``roles`` in order (one role unless the matrix is a chain)."""

    roles: tuple[Role, ...]
    within_limit_of: Role | None = None
    reason: str = ""


def authority_limit(policy: Policy, role: Role) -> Decimal | None:
    """The largest amount ``role`` may approve alone, or None if the role has no authority.
    An unbounded limit is returned as ``Decimal('Infinity')``."""
    if policy.approval is None:
        return None
    for limit in policy.approval.limits:
        if limit.role == role:
            return limit.up_to if limit.up_to is not None else Decimal("Infinity")
    return None


def level_standard(policy: Policy, level: str | None, amount: Decimal) -> Role | None:
    """The compensation standard by level (IPTV 投诉赔偿标准): the supervisor of the complaint's
    level when the level has a ``compensation_limit`` that covers ``amount`` (inclusive), else None."""
    if level is None:
        return None
    try:
        definition = policy.level(level)
    except KeyError:
        return None
    limit = definition.compensation_limit
    if limit is None or definition.supervisor is None or amount > limit:
        return None
    return definition.supervisor


def approval_route(
    policy: Policy,
    *,
    amount: Decimal,
    tier: str | None,
    author_roles: Iterable[Role],
    level: str | None = None,
) -> ApprovalRoute:
    """Route an amount to its approvers.

    The first limit whose ``up_to`` is at least ``amount`` names the approver (amounts exactly on
    a limit go to the lower approver: "≤100"); an amount above every bounded limit of a matrix
    without an open-ended last limit goes to the last approver. When the complaint's ``level``
    has a compensation standard that covers the amount (:func:`level_standard`), that level's
    supervisor is the approver instead (``reason="level"``). A tier with its own approver
    needs that approver at least (``reason="tier"`` when the tier raised the approver). If one
    of the author's roles has authority for the amount and the tier (a role at or above the
    tier's approver in the matrix, or the tier's approver itself when that role is outside the
    matrix) the plan is authorised within limit and routes to nobody. With ``chain: true`` every
    holder above the author's own limit up to the needed one approves in turn.
    """
    if amount < 0:
        raise ValueError("amount must not be negative")
    if policy.approval is None:
        raise ValueError("the policy has no approval matrix")
    limits = policy.approval.limits
    authors = set(author_roles)
    index = next(
        (i for i, limit in enumerate(limits) if limit.up_to is None or amount <= limit.up_to),
        len(limits) - 1,
    )
    by_level = False
    standard = level_standard(policy, level, amount)
    if standard is not None:
        standard_index = next((i for i, limit in enumerate(limits) if limit.role == standard), None)
        if standard_index is None:
            # a level supervisor outside the matrix compensates alone, as the standard allows
            extra = policy.tier(tier).approver if tier else None
            roles = tuple(dict.fromkeys(role for role in (standard, extra) if role is not None and role not in authors))
            if not roles:
                return ApprovalRoute((), within_limit_of=standard, reason="within_limit")
            return ApprovalRoute(roles, reason="level")
        index = standard_index
        by_level = True
    tier_role = policy.tier(tier).approver if tier else None
    tier_index: int | None = None
    raised_by_tier = False
    if tier_role is not None:
        tier_index = next((i for i, limit in enumerate(limits) if limit.role == tier_role), None)
        if tier_index is not None and tier_index > index:
            index = tier_index
            raised_by_tier = True
    needed = limits[index].role
    own = [i for i, limit in enumerate(limits) if limit.role in authors]
    tier_satisfied = tier_role is None or tier_index is not None or tier_role in authors
    if own and max(own) >= index and tier_satisfied:
        return ApprovalRoute((), within_limit_of=limits[max(own)].role, reason="within_limit")
    if tier_role is not None and tier_index is None:
        # a tier approver outside the amount matrix approves after the amount approver, unless
        # the author may approve the amount alone
        amount_roles: tuple[Role, ...] = () if own and max(own) >= index else (needed,)
        return ApprovalRoute((*amount_roles, tier_role), reason="tier")
    if policy.approval.chain:
        start = max(own) + 1 if own else 0
        return ApprovalRoute(tuple(limit.role for limit in limits[start : index + 1]), reason="chain")
    return ApprovalRoute((needed,), reason="tier" if raised_by_tier else "level" if by_level else "amount")


def petty_cash_covers(policy: Policy, amount: Decimal) -> bool:
    """Whether ``amount`` may be paid out of petty cash; the limit is inclusive (100元(含)以下)."""
    return policy.petty_cash is not None and Decimal(0) <= amount <= policy.petty_cash.limit


def petty_cash_limit_for(policy: Policy, roles: Iterable[Role]) -> Decimal | None:
    """The largest payout a holder of ``roles`` may make from petty cash at once: the smaller of
    the petty-cash limit and the payer's own authority in the matrix (a payer role outside the
    matrix is bounded by the petty-cash limit alone). None when no role may pay."""
    cash = policy.petty_cash
    if cash is None:
        return None
    best: Decimal | None = None
    for role in roles:
        if role not in cash.payer_roles:
            continue
        own = authority_limit(policy, role)
        limit = cash.limit if own is None else min(cash.limit, own)
        best = limit if best is None else max(best, limit)
    return best


# reporting periods live in policy/reports.py; re-exported here for callers of rules
from complaintdesk.policy.reports import ReportPeriod as ReportPeriod  # noqa: E402
from complaintdesk.policy.reports import report_period as report_period  # noqa: E402

# --- messages --------------------------------------------------------------------------------


def render_message(template: str, **values: object) -> str:
    """Fill a message template; unknown placeholders are left as they are."""

    class _Keep(dict[str, object]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(_Keep(values))


def format_moment(moment: datetime, language: str) -> str:
    if language.lower().startswith("zh"):
        return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    return moment.strftime("%Y-%m-%d %H:%M")
