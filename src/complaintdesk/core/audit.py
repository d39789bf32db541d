"""Writing and verifying the hash-chained audit trail.

Each event's hash is an HMAC-SHA256 under the ``audit`` key (core/keys.py), which is kept outside the
database: someone who can edit the database cannot recompute a valid chain after changing an event.
After every commit that adds events, a checkpoint of the chain's head (count and hash), signed with
the same key, is written to a file outside the database (``COMPLAINTDESK_AUDIT_CHECKPOINT``; by default
``var/audit/<database>.checkpoint``). ``verify_chain`` checks every hash; that the head
recorded in the checkpoint is still in the chain with no fewer events (``verify_checkpoint``) — so even
a rewrite made with the key, or events cut from the end, is found. ``complaintdesk audit verify`` runs both.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from complaintdesk.core.keys import key, private_dir
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


# Free text and contact data never enter the append-only chain in clear: a value under one of these
# keys is stored as a keyed digest ("hmac:…"), unless it is a code (lower-case letters, digits, _ . : -).
# The text itself lives in its record (progress entry, work order, plan …), where erasing a customer's
# data (privacy/erasure.py) can scrub it without breaking the chain; the digest still proves what
# was written (``seal_text(text)`` gives the same digest).
SEALED_KEYS = frozenset({
    "note", "comment", "reason", "text", "words", "terms", "verified", "done", "next_step", "no_update_reason",
    "request", "reply", "follow_up", "grounds", "advice", "phone_note", "description", "customer_request",
    "case_origin", "what", "why", "how", "subject", "message", "sender", "recipient", "release_reason",
    "review_note", "implementation_note", "customer_words", "emergency_reason", "outcome_note", "answer",
    "body", "corrective_action", "level_override_reason", "withdrawn_by", "address", "phone", "email",
})
_CODE = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")


def seal_text(text: str) -> str:
    return "hmac:" + hmac.new(key("audit"), f"seal\x1f{text}".encode(), hashlib.sha256).hexdigest()[:32]


def sealed(data: Any) -> Any:
    """``data`` with the values of SEALED_KEYS (at any depth) replaced by their digests."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for name, value in data.items():
            if name in SEALED_KEYS and isinstance(value, str) and value and not _CODE.match(value):
                out[name] = seal_text(value)
            else:
                out[name] = sealed(value)
        return out
    if isinstance(data, list):
        return [sealed(item) for item in data]
    return data


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
    return hmac.new(key("audit"), payload.encode(), hashlib.sha256).hexdigest()


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
    before_json = jsonable(sealed(before or {}))
    after_json = jsonable(sealed(after or {}))
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
    _checkpoint_on_commit()
    return event


# --- the signed checkpoint of the chain's head, outside the database -------------------------------


def checkpoint_path() -> Path:
    configured = getattr(settings, "COMPLAINTDESK_AUDIT_CHECKPOINT", "") or os.environ.get(
        "COMPLAINTDESK_AUDIT_CHECKPOINT", "")
    if configured:
        return Path(configured)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{connection.vendor}-{Path(str(connection.settings_dict['NAME'])).name}")
    return Path(settings.VAR_DIR) / "audit" / f"{name}.checkpoint"


def _signature(count: int, head: str) -> str:
    return hmac.new(key("audit"), f"checkpoint\x1f{count}\x1f{head}".encode(), hashlib.sha256).hexdigest()


def read_checkpoint() -> dict[str, Any] | None:
    path = checkpoint_path()
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        return {"count": int(data["count"]), "hash": str(data["hash"]), "signature": str(data["signature"]),
                "at": str(data.get("at", ""))}
    except (ValueError, KeyError, TypeError):
        return {"count": -1, "hash": "", "signature": "", "at": ""}


def write_checkpoint(force: bool = False) -> None:
    """Record the current head, unless the file already holds a later one (another process) and
    ``force`` (after a key rotation re-hashed the chain) is not given."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return
    path = checkpoint_path()
    private_dir(path.parent)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = read_checkpoint()
        if current is not None and current["count"] >= head.count and not force:
            return
        data = {"count": head.count, "hash": head.last_hash, "at": timezone.now().isoformat(),
                "signature": _signature(head.count, head.last_hash)}
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)


def _checkpoint_on_commit() -> None:
    # after a transaction with several events the first callback writes, the others find it current
    transaction.on_commit(write_checkpoint)


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


def verify_checkpoint() -> Iterator[ChainProblem]:
    """Compare the chain with the signed checkpoint outside the database (run after verify_chain)."""
    count = AuditEvent.objects.count()
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    last_id = last or 0
    saved = read_checkpoint()
    where = checkpoint_path()
    if saved is None:
        if count:
            yield ChainProblem(last_id, f"no checkpoint at {where}: the chain cannot be checked against it")
        return
    if not hmac.compare_digest(saved["signature"], _signature(saved["count"], saved["hash"])):
        yield ChainProblem(last_id, f"the checkpoint at {where} is not signed with the audit key")
        return
    if count < saved["count"]:
        yield ChainProblem(last_id, f"the chain has {count} events but the checkpoint recorded {saved['count']} "
                                    "(events were removed)")
    if saved["count"] and not AuditEvent.objects.filter(hash=saved["hash"]).exists():
        yield ChainProblem(last_id, "the event the checkpoint recorded as the head is not in the chain "
                                    "(the chain was rewritten)")
    elif saved["count"]:
        position = AuditEvent.objects.filter(id__lte=AuditEvent.objects.get(hash=saved["hash"]).id).count()
        if position != saved["count"]:
            yield ChainProblem(last_id, "the checkpoint's head is no longer at its recorded position "
                                        "(events before it were removed or inserted)")
