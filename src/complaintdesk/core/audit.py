"""Writing and verifying the hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from complaintdesk.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def canonical(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=_default, separators=(",", ":"))


def jsonable(data: object) -> Any:
    return json.loads(canonical(data))


def event_hash(prev_hash: str, *, at: datetime, actor_id: int | None, action: str, object_type: str,
               object_id: str, complaint_number: str, before: object, after: object) -> str:
    payload = canonical(
        {
            "prev": prev_hash,
            "at": at.isoformat(),
            "actor": actor_id,
            "action": action,
            "object": f"{object_type}:{object_id}",
            "complaint": complaint_number,
            "before": before,
            "after": after,
        }
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def audit(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    complaint_number: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction that makes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit() must be called inside the transaction that changes the data")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        head = AuditHead.objects.select_for_update().get(pk=1)
    at = timezone.now()
    before_json = jsonable(before or {})
    after_json = jsonable(after or {})
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    digest = event_hash(head.last_hash, at=at, actor_id=actor_id, action=action, object_type=object_type,
                        object_id=object_id, complaint_number=complaint_number, before=before_json,
                        after=after_json)
    event = AuditEvent.objects.create(
        at=at, actor_id=actor_id, action=action, object_type=object_type, object_id=object_id,
        complaint_number=complaint_number, before=before_json, after=after_json,
        prev_hash=head.last_hash, hash=digest,
    )
    AuditHead.objects.filter(pk=1).update(last_hash=digest, count=head.count + 1)
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    message: str


def verify_chain(batch: int = 5000) -> Iterator[ChainProblem]:
    """Recompute every hash in order; yield each break."""
    prev = GENESIS
    count = 0
    last_id = 0
    while True:
        events = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not events:
            break
        for event in events:
            count += 1
            if event.prev_hash != prev:
                yield ChainProblem(event.id, "previous hash does not match the event before it "
                                             "(an event was removed or inserted)")
            expected = event_hash(event.prev_hash, at=event.at, actor_id=event.actor_id, action=event.action,
                                  object_type=event.object_type, object_id=event.object_id,
                                  complaint_number=event.complaint_number, before=event.before,
                                  after=event.after)
            if expected != event.hash:
                yield ChainProblem(event.id, "content does not match its hash (the event was changed)")
            prev = event.hash
            last_id = event.id
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.count != count):
        yield ChainProblem(last_id, "the chain's recorded end does not match the last event "
                                    "(events were removed from the end)")
