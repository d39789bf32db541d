"""The cross-reference checks run on a policy whose shape is valid: every name used is defined,
codes are unique, the rules are executable. Each problem is a path in the file and a message.
Pure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from complaintdesk.policy.events import check_clock_events
from complaintdesk.policy.rules.inheritance import MISSING, path_in_schema, value_at
from complaintdesk.policy.schema import (
    ActionKind,
    Clock,
    Policy,
    ReasonNode,
    Role,
)
from complaintdesk.policy.yaml_lines import PathKey

# --- cross-references ------------------------------------------------------------------------


def _duplicates(items: list[Any], field: str, where: str) -> Iterator[tuple[PathKey, str]]:
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = getattr(item, field)
        if value in seen:
            yield (where, index, field), f"duplicate {field} {value!r} (also item {seen[value]})"
        else:
            seen[value] = index


def _walk_reasons(nodes: list[ReasonNode], path: PathKey, depth: int) -> Iterator[tuple[PathKey, ReasonNode, int]]:
    for index, node in enumerate(nodes):
        here = (*path, index)
        yield here, node, depth
        yield from _walk_reasons(node.children, (*here, "children"), depth + 1)


def _promise_doors(policy: Policy) -> list[tuple[PathKey, str]]:
    """Several promise clocks are one promise per door: each applies to some channels and to nothing
    else, no channel has two, and every channel has one (the restaurant: "solve quickly" face to face,
    "before the guest leaves" for a written complaint) — so that every complaint is told one time."""
    promises = [(i, clock) for i, clock in enumerate(policy.clocks) if clock.promise]
    if len(promises) < 2:
        return []
    out: list[tuple[PathKey, str]] = []
    owner: dict[str, str] = {}
    for i, clock in promises:
        others = clock.applies.model_dump(exclude={"channels"}, exclude_defaults=True)
        if not clock.applies.channels or others:
            out.append((("clocks", i, "applies"), "with several promise clocks each applies to some channels "
                        "and to nothing else (applies: {channels: [...]})"))
            continue
        for code in clock.applies.channels:
            if code in owner:
                out.append((("clocks", i, "applies", "channels"),
                            f"channel {code!r} has two promise clocks: {owner[code]} and {clock.code}"))
            owner.setdefault(code, clock.code)
    if not out:
        out.extend((("clocks",), f"channel {channel.code!r} has no promise clock (the reply time told to the "
                    "customer)") for channel in policy.channels if channel.code not in owner)
    return out


def check_references(policy: Policy) -> list[tuple[PathKey, str]]:
    """Every name used must be defined; codes must be unique; the rules must be executable."""
    out: list[tuple[PathKey, str]] = []
    for section in (
        "channels",
        "flags",
        "levels",
        "triggers",
        "targets",
        "categories",
        "departments",
        "clocks",
        "solution_tiers",
        "cost_kinds",
        "reject_reasons",
        "special_identities",
        "emotions",
        "retention",
        "reports",
        "responsibility",
    ):
        field = "record" if section == "retention" else "code"
        out.extend(_duplicates(getattr(policy, section), field, section))
    out.extend(_duplicates(policy.levels, "rank", "levels"))
    out.extend(_duplicates(policy.targets, "priority", "targets"))

    levels = {level.code for level in policy.levels}
    flags = {flag.code for flag in policy.flags}
    channels = {channel.code for channel in policy.channels}
    categories = {category.code for category in policy.categories}
    targets = {target.code for target in policy.targets}
    tiers = {tier.code for tier in policy.solution_tiers}
    cost_kinds = {kind.code for kind in policy.cost_kinds}
    departments = {department.code for department in policy.departments}
    identities = {identity.code for identity in policy.special_identities}

    def unknown(kind: str, value: str, known: set[str]) -> str:
        hint = f"; known: {', '.join(sorted(known))}" if known else f"; the policy defines no {kind}s"
        return f"unknown {kind} {value!r}{hint}"

    if policy.default_level not in levels:
        out.append((("default_level",), unknown("level", policy.default_level, levels)))
    for currency_index, currency in enumerate(policy.currencies):
        if len(currency) != 3 or not currency.isupper():
            out.append((("currencies", currency_index), f"{currency!r} is not an ISO 4217 code"))
    if policy.currency not in policy.currencies:
        out.append((("currency",), f"the main currency {policy.currency!r} must be listed in currencies"))

    for i, channel in enumerate(policy.channels):
        for j, flag in enumerate(channel.flags):
            if flag not in flags:
                out.append((("channels", i, "flags", j), unknown("flag", flag, flags)))
        if channel.requires_origin and channel.origin_label is None:
            out.append(
                (
                    ("channels", i, "origin_label"),
                    "a channel that requires the case origin must label it",
                )
            )
    for i, trigger in enumerate(policy.triggers):
        if trigger.level not in levels:
            out.append((("triggers", i, "level"), unknown("level", trigger.level, levels)))
        for key, known_set, kind in (
            ("flags", flags, "flag"),
            ("channels", channels, "channel"),
            ("categories", categories, "category"),
            ("special_identities", identities, "special identity"),
        ):
            for j, value in enumerate(getattr(trigger, key)):
                if value not in known_set:
                    out.append((("triggers", i, key, j), unknown(kind, value, known_set)))
    for i, category in enumerate(policy.categories):
        if category.target is not None and category.target not in targets:
            out.append((("categories", i, "target"), unknown("target", category.target, targets)))
        out.extend(((("categories", i, *loc), msg) for loc, msg in _duplicates(category.facts, "code", "facts")))
        for j, fact in enumerate(category.facts):
            out.extend((("categories", i, "facts", j, "channels", k), unknown("channel", code, channels))
                       for k, code in enumerate(fact.channels) if code not in channels)
        if category.department is not None and category.department not in departments:
            out.append(
                (
                    ("categories", i, "department"),
                    unknown("department", category.department, departments),
                )
            )

    for path, node, depth in _walk_reasons(policy.reasons.tree, ("reasons", "tree"), 1):
        if depth > policy.reasons.root_cause_depth:
            out.append(
                (
                    path,
                    f"reason {node.code!r} is at level {depth}, deeper than root_cause_depth "
                    f"{policy.reasons.root_cause_depth}",
                )
            )
    codes_seen: set[str] = set()
    for path, node, _depth in _walk_reasons(policy.reasons.tree, ("reasons", "tree"), 1):
        if node.code in codes_seen:
            out.append(((*path, "code"), f"duplicate reason code {node.code!r}"))
        codes_seen.add(node.code)
        if node.department is not None and node.department not in departments:
            out.append(((*path, "department"), unknown("department", node.department, departments)))

    for i, clock in enumerate(policy.clocks):
        out.extend(_check_clock(policy, clock, ("clocks", i), levels, categories, channels, flags, tiers))

    if policy.approval is not None and policy.approval.currency not in policy.currencies:
        out.append(
            (
                ("approval", "currency"),
                f"currency {policy.approval.currency!r} is not in currencies",
            )
        )
    if policy.budget is not None:
        for j, kind in enumerate(policy.budget.kinds):
            if kind not in cost_kinds:
                out.append((("budget", "kinds", j), unknown("cost kind", kind, cost_kinds)))
    if policy.petty_cash is not None:
        for j, kind in enumerate(policy.petty_cash.kinds):
            if kind not in cost_kinds:
                out.append((("petty_cash", "kinds", j), unknown("cost kind", kind, cost_kinds)))
    if policy.legal is not None:
        out.extend((("legal", *loc), msg) for loc, msg in _duplicates(policy.legal.agreement_kinds, "code",
                                                                      "agreement_kinds"))
    if policy.major_team is not None:
        team = policy.major_team
        for j, department in enumerate(team.departments):
            if department not in departments:
                out.append(
                    (
                        ("major_team", "departments", j),
                        unknown("department", department, departments),
                    )
                )
    if policy.judgement is not None:
        judgement = policy.judgement
        out.extend((("judgement", *loc), msg) for loc, msg in _duplicates(judgement.valid, "code", "valid"))
        out.extend((("judgement", *loc), msg) for loc, msg in _duplicates(judgement.invalid, "code", "invalid"))
        valid = {option.code for option in judgement.valid}
        for j, option in enumerate(judgement.invalid):
            if option.code in valid:
                out.append(
                    (
                        ("judgement", "invalid", j, "code"),
                        f"{option.code!r} is listed both as valid and as invalid",
                    )
                )
        for j, code in enumerate(judgement.staff_pays):
            if code not in valid:
                out.append((("judgement", "staff_pays", j), unknown("valid judgement", code, valid)))
        judged = valid | {option.code for option in judgement.invalid}
        for code in judgement.consequences:
            if code not in judged:
                out.append((("judgement", "consequences", code), unknown("judgement", code, judged)))
    if (
        any(item.answer_from_knowledge_base for item in policy.responsibility)
        and policy.messages.no_fault_reply is None
    ):
        out.append(
            (
                ("messages",),
                "a responsibility answered from the knowledge base needs messages.no_fault_reply",
            )
        )
    if policy.unreachable is not None and policy.messages.unreachable_sms is None:
        out.append((("messages",), "the unreachable path needs messages.unreachable_sms"))
    if policy.return_visit is not None:
        rv = policy.return_visit
        out.extend(((("return_visit", *loc), msg) for loc, msg in _duplicates(rv.scale, "code", "scale")))
        if not any(point.outcome == "close" and not point.reason_required for point in rv.scale):
            out.append((("return_visit", "scale"), "the scale needs a point that closes the complaint"))
        for key in ("dealer_department", "difficult_department"):
            code = getattr(rv, key)
            if code is not None and code not in departments:
                out.append((("return_visit", key), unknown("department", code, departments)))
        if rv.difficult_flag is not None and rv.difficult_flag not in flags:
            out.append((("return_visit", "difficult_flag"), unknown("flag", rv.difficult_flag, flags)))
        if rv.dealer_department is None and any(point.outcome == "dealer" for point in rv.scale):
            out.append(
                (
                    ("return_visit", "dealer_department"),
                    "a scale point with outcome dealer needs return_visit.dealer_department",
                )
            )
    if not any(clock.promise for clock in policy.clocks) and policy.clocks:
        out.append(
            (
                ("clocks",),
                "one clock must be marked promise: true (the reply time told to the customer)",
            )
        )
    out.extend(_promise_doors(policy))
    out.extend(_check_fixed(policy))
    for placeholder in ("{number}", "{received_at}", "{reply_by}"):
        for language in ("zh", "en"):
            if placeholder not in getattr(policy.messages.acknowledgement, language):
                out.append(
                    (
                        ("messages", "acknowledgement", language),
                        f"the acknowledgement must contain {placeholder}",
                    )
                )
    return out


def _check_fixed(policy: Policy) -> Iterator[tuple[PathKey, str]]:
    """Each fixed path names a field of the schema and something this policy has."""
    seen: set[str] = set()
    for index, path in enumerate(policy.fixed):
        if path in seen:
            yield ("fixed", index), f"{path!r} is listed twice"
        seen.add(path)
        if not path_in_schema(path):
            yield ("fixed", index), f"{path!r} is not a path of the policy (dotted field names; list items by code)"
        elif value_at(policy, path) is MISSING:
            yield ("fixed", index), f"{path!r} names nothing in this policy"


def _check_clock(
    policy: Policy,
    clock: Clock,
    path: PathKey,
    levels: set[str],
    categories: set[str],
    channels: set[str],
    flags: set[str],
    tiers: set[str],
) -> Iterator[tuple[PathKey, str]]:
    applies = clock.applies
    for key, known, kind in (
        ("levels", levels, "level"),
        ("categories", categories, "category"),
        ("channels", channels, "channel"),
        ("flags", flags, "flag"),
        ("tiers", tiers, "solution tier"),
    ):
        for j, value in enumerate(getattr(applies, key)):
            if value not in known:
                yield (*path, "applies", key, j), f"unknown {kind} {value!r}"
    if clock.starts in clock.stops and not clock.repeats:
        yield (*path, "stops"), "a clock cannot stop on the event that starts it"
    yield from check_clock_events(clock, path)
    if (
        clock.warn_before is not None
        and clock.warn_before.unit != clock.duration.unit
        and (clock.warn_before.is_working != clock.duration.is_working)
    ):
        yield (
            (*path, "warn_before"),
            "warn_before must count time the same way as duration (working or calendar)",
        )
    for key in ("on_warning", "on_breach"):
        for j, action in enumerate(getattr(clock, key)):
            where = (*path, key, j)
            if action.do == ActionKind.NOTIFY:
                if not action.to:
                    yield where, "notify needs at least one recipient in 'to'"
                for recipient in action.to:
                    if recipient not in {
                        "owner",
                        "level_supervisor",
                        "department",
                        "customer",
                    } and (recipient not in Role._value2member_map_):
                        yield (
                            (*where, "to"),
                            (
                                f"unknown recipient {recipient!r}: owner, level_supervisor, "
                                "department, customer or a role"
                            ),
                        )
            elif action.do == ActionKind.RAISE_LEVEL:
                if action.level is None or (action.level != "next" and action.level not in levels):
                    yield (*where, "level"), "raise_level needs level: next or a level code"
            elif action.do == ActionKind.REASSIGN:
                if len(action.to) != 1 or action.to[0] not in Role._value2member_map_:
                    yield (*where, "to"), "reassign needs exactly one role in 'to'"
            elif action.do == ActionKind.CLOSE and action.reason is None:
                yield (*where, "reason"), "close needs a reason"
