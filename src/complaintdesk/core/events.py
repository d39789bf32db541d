"""Domain events, published by the services and heard by whoever subscribed (webhooks today).

The complaints app publishes every timeline entry it writes (``publish(kind, complaint, data)``)
inside the transaction of the change; subscribers live in higher apps and register themselves in
their ``AppConfig.ready``, so no lower floor imports the app that listens (DESIGN.md rule 13).
A subscriber runs in the same transaction: what it writes commits or rolls back with the change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Event = tuple[str, Any, dict[str, Any]]
Subscriber = Callable[[str, Any, dict[str, Any]], None]
BatchSubscriber = Callable[[Sequence[Event]], None]

_SUBSCRIBERS: list[Subscriber] = []
_MANY: dict[Subscriber, BatchSubscriber] = {}


def subscribe(subscriber: Subscriber, *, many: BatchSubscriber | None = None) -> Subscriber:
    """Register a subscriber once (a repeated ``ready()`` does not register it twice). ``many``, when
    given, hears a batch of events at once (``publish_many``) with the same effect as hearing each."""
    if subscriber not in _SUBSCRIBERS:
        _SUBSCRIBERS.append(subscriber)
    if many is not None:
        _MANY[subscriber] = many
    return subscriber


def publish(kind: str, subject: Any, data: dict[str, Any]) -> None:
    for subscriber in _SUBSCRIBERS:
        subscriber(kind, subject, data)


def publish_many(events: Sequence[Event]) -> None:
    """Publish several events, in order (the clock sweep's batch): each subscriber hears them all,
    through its batch form when it has one."""
    if not events:
        return
    for subscriber in _SUBSCRIBERS:
        many = _MANY.get(subscriber)
        if many is not None:
            many(events)
        else:
            for kind, subject, data in events:
                subscriber(kind, subject, data)
