"""Watchers: code of higher floors told, in the same transaction, after a complaint is registered
or amended (a registry, house rule 13: the complaints app never imports them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from complaintdesk.complaints.models import Complaint

Watcher = Callable[[Complaint, Any, datetime], None]

REGISTERED: list[Watcher] = []
AMENDED: list[Watcher] = []


def watch_registered(watcher: Watcher) -> None:
    if watcher not in REGISTERED:
        REGISTERED.append(watcher)


def watch_amended(watcher: Watcher) -> None:
    if watcher not in AMENDED:
        AMENDED.append(watcher)


def registered(complaint: Complaint, actor: Any, at: datetime) -> None:
    for watcher in REGISTERED:
        watcher(complaint, actor, at)


def amended(complaint: Complaint, actor: Any, at: datetime) -> None:
    for watcher in AMENDED:
        watcher(complaint, actor, at)
