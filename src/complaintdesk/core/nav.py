"""The navigation bar, contributed to by each app (in its AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    order: int
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    testid: str = ""
    badge: Callable[[Any], int | str] | None = None  # a count, or a bounded one such as "99+"


NAV_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in NAV_ITEMS):
        NAV_ITEMS.append(item)
        NAV_ITEMS.sort(key=lambda i: i.order)


def items_for(user: Any) -> list[dict[str, Any]]:
    out = []
    for item in NAV_ITEMS:
        if item.visible(user):
            out.append({"label": str(item.label), "url": reverse(item.url_name), "testid": item.testid,
                        "badge": item.badge(user) if item.badge else 0})
    return out


# --- landing page ------------------------------------------------------------------------------
# An app may send some users somewhere other than the complaint list after login (management
# lands on the dashboard). The first rule that answers a URL name wins.
LANDINGS: list[Callable[[Any], str | None]] = []


def register_landing(rule: Callable[[Any], str | None]) -> None:
    if rule not in LANDINGS:
        LANDINGS.append(rule)


def landing_for(user: Any, default: str) -> str:
    for rule in LANDINGS:
        name = rule(user)
        if name:
            return name
    return default
