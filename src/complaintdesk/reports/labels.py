"""Readable names of the codes a report groups by, in the reader's language, from the policy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from django.utils.translation import gettext as _

from complaintdesk.policy.schema import Policy, ReasonNode, Text


class Labelled(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def label(self) -> Text: ...


def label_of(items: Iterable[Labelled], code: str | None, language: str) -> str:
    """The label of ``code`` among ``items``; the code itself for a code the policy no longer has,
    and "(not given)" for an empty one."""
    if not code:
        return _("(not given)")
    for item in items:
        if item.code == code:
            return item.label.get(language)
    return code


def reason_path_label(policy: Policy, codes: Sequence[str], language: str) -> str:
    """``a › b › c`` with each level's label; unknown codes are shown as they are."""
    nodes: list[ReasonNode] = policy.reasons.tree
    parts: list[str] = []
    for code in codes:
        node = next((n for n in nodes if n.code == code), None)
        parts.append(node.label.get(language) if node else code)
        nodes = node.children if node else []
    return " › ".join(parts)


def level_rank(policy: Policy) -> dict[str, int]:
    return {level.code: level.rank for level in policy.levels}


def order_of(items: Iterable[Labelled]) -> dict[str, int]:
    return {item.code: index for index, item in enumerate(items)}
