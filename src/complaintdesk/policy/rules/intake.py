"""Intake rules answered from the policy alone: trigger keywords and the suggested level, the
primary target, completeness of the facts, the reason taxonomy, the responsible department and
the complaint number. Pure: nothing here touches a database."""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from complaintdesk.policy.schema import Category, Fact, Level, Policy, ReasonNode, Role, Trigger

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


def _keywords_in(keywords: list[str], haystack: str) -> list[str]:
    """The keywords found in the normalised ``haystack`` by :func:`keyword_in`, in the policy's
    order. A keyword that is not even a substring cannot match as a whole word either: the plain
    substring test answers most of them (a bulk import tests every keyword against every row)."""
    return [keyword for keyword in keywords
            if (needle := _needle(keyword)[0]) and needle in haystack and keyword_in(keyword, haystack)]


def trigger_matches(
    trigger: Trigger,
    *,
    text: str,
    flags: Iterable[str],
    channel: str | None,
    category: str | None,
    units: int | None = None,
    special_identities: Iterable[str] = (),
    normalised: str | None = None,
) -> TriggerMatch | None:
    """``normalised`` is ``normalise_text(text)`` when the caller already has it (one text, many
    triggers)."""
    haystack = normalise_text(text) if normalised is None else normalised
    because: list[str] = []
    because.extend(f"keyword:{kw}" for kw in _keywords_in(trigger.keywords.all(), haystack))
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
    haystack = normalise_text(text)
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
                normalised=haystack,
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


def applied_level(policy: Policy, suggested: str) -> str:
    """The level a suggestion sets by itself: the suggested level, or — where that level is only
    suggested (``suggested_only``) — the highest level below it that is not, else the default level."""
    level = policy.level(suggested)
    if not level.suggested_only:
        return suggested
    lower = [each for each in policy.levels if each.rank < level.rank and not each.suggested_only]
    return max(lower, key=lambda each: each.rank).code if lower else policy.default_level


def registration_notices(policy: Policy, level: str, suggested: str) -> list[tuple[str, Role]]:
    """Who hears of a registration at once: the supervising roles of the level it was registered at
    (its supervisor and the roles that follow it), and of the level the policy suggested when another
    was chosen — each only above the first level and only where the level names them (registering
    at a higher level is an escalation from the start and tells the people an escalation would).
    Returns (notice kind, role) pairs, the registered level first, a role at most once."""
    first = min(each.rank for each in policy.levels)
    out: list[tuple[str, Role]] = []
    for code, kind in ((level, "registered_at_level"), (suggested, "registered_suggested_level")):
        if kind == "registered_suggested_level" and code == level:
            continue
        chosen = policy.level(code)
        if chosen.rank == first:
            continue
        told = {role for _kind, role in out}
        out.extend((kind, role) for role in chosen.supervising_roles() if role not in told)
    return out


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


def fact_required(fact: Fact, channel: str) -> bool:
    """Whether a complaint through ``channel`` must give ``fact`` (or a note why it is missing)."""
    return fact.required and (not fact.channels or channel in fact.channels)


def completeness(
    category: Category,
    *,
    facts: Mapping[str, object],
    notes: Mapping[str, str],
    bound: Mapping[str, object],
    channel: str,
) -> Completeness:
    """Which required facts are present, explained by a "why missing" note, or still missing.

    ``bound`` holds the values of customer/product fields (``product.imei`` …) that facts with a
    ``field`` read from. A fact required only through some doors (``channels``) is optional for a
    complaint through ``channel`` when that is not one of them.
    """
    required, present, noted, missing = [], [], [], []
    for fact in category.facts:
        needed = fact_required(fact, channel)
        value = bound.get(fact.field) if fact.field else facts.get(fact.code)
        if fact.field and not _has_value(value):
            value = facts.get(fact.code)
        if _has_value(value):
            present.append(fact.code)
            if needed:
                required.append(fact.code)
            continue
        if not needed:
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


def unit_part(policy: Policy, unit_prefix: str = "") -> str:
    """What ``{unit}`` stands for in the number pattern: the receiving unit's own number prefix, or
    the policy's prefix for a unit without one."""
    return unit_prefix or policy.number.prefix


def numbers_per_unit(policy: Policy) -> bool:
    """Whether the number pattern names the unit (``{unit}``): then each unit counts on its own."""
    return "{unit" in policy.number.pattern


def sequence_key(policy: Policy, day: date, unit_prefix: str = "") -> str:
    """The counter a number is drawn from: one per policy prefix and reset period, and per unit
    prefix when the pattern names the unit (units without a prefix of their own share the policy
    prefix's counter, as they share its numbers)."""
    reset = policy.number.reset
    if reset == "daily":
        period = day.strftime("%Y%m%d")
    elif reset == "monthly":
        period = day.strftime("%Y%m")
    elif reset == "yearly":
        period = day.strftime("%Y")
    else:
        period = "all"
    if numbers_per_unit(policy):
        return f"{policy.number.prefix}:{unit_part(policy, unit_prefix)}:{period}"
    return f"{policy.number.prefix}:{period}"


def format_number(policy: Policy, day: date, seq: int, unit_prefix: str = "") -> str:
    """The complaint number: the policy's pattern with ``{prefix}``, ``{unit}`` (the receiving unit's
    number prefix, or the policy's), ``{date:…}`` and ``{seq:…}``."""
    return policy.number.pattern.format(prefix=policy.number.prefix, unit=unit_part(policy, unit_prefix), date=day,
                                        seq=seq)
