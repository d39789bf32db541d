"""Domain events, published by the services and heard by whoever subscribed (webhooks today).

The complaints app publishes every timeline entry it writes (``publish(kind, complaint, data)``)
inside the transaction of the change; subscribers live in higher apps and register themselves in
their ``AppConfig.ready``, so no lower floor imports the app that listens (DESIGN.md rule 13).
A subscriber runs in the same transaction: what it writes commits or rolls back with the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Subscriber = Callable[[str, Any, dict[str, Any]], None]

_SUBSCRIBERS: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> Subscriber:
    """Register a subscriber once (a repeated ``ready()`` does not register it twice)."""
    if subscriber not in _SUBSCRIBERS:
        _SUBSCRIBERS.append(subscriber)
    return subscriber


def publish(kind: str, subject: Any, data: dict[str, Any]) -> None:
    for subscriber in _SUBSCRIBERS:
        subscriber(kind, subject, data)
