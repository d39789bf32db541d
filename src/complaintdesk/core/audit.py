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
import functools
import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from complaintdesk.core.bulk import JsonText, Table
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
    return _hash_text(prev_hash, at=at.isoformat(), actor_id=actor_id, action=action,
                      obj=f"{object_type}:{object_id}", complaint_number=complaint_number,
                      before=canonical(before), after=canonical(after))


@functools.lru_cache(maxsize=256, typed=True)  # the action, actor and time repeat across a bulk's events
def _json_scalar(value: str | int | None) -> str:
    return json.dumps(value, ensure_ascii=False)


def _hash_text(prev_hash: str, *, at: str, actor_id: int | None, action: str, obj: str, complaint_number: str,
               before: str, after: str, secret: bytes | None = None) -> str:
    """The event's HMAC over the canonical JSON of {prev, at, actor, action, object, complaint,
    before, after}, assembled from the canonical texts of ``before`` and ``after`` (keys in sorted
    order, as ``canonical`` writes them) so that a bulk writer can reuse those texts for the insert."""
    same, text = _json_scalar, json.dumps
    payload = (f'{{"action":{same(action)},"actor":{same(actor_id)},"after":{after},"at":{same(at)},'
               f'"before":{before},"complaint":{text(complaint_number, ensure_ascii=False)},'
               f'"object":{text(obj, ensure_ascii=False)},"prev":{text(prev_hash, ensure_ascii=False)}}}')
    return hmac.new(secret or key("audit"), payload.encode(), hashlib.sha256).hexdigest()


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
    prev_hash, count = _take_head()
    at = timezone.now()
    before_json = jsonable(sealed(before or {}))
    after_json = jsonable(sealed(after or {}))
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    digest = event_hash(prev_hash, at=at, actor_id=actor_id, action=action, object_type=object_type,
                        object_id=object_id, complaint_number=complaint_number, before=before_json,
                        after=after_json)
    event = AuditEvent(at=at, actor_id=actor_id, action=action, object_type=object_type, object_id=object_id,
                       complaint_number=complaint_number, before=before_json, after=after_json,
                       prev_hash=prev_hash, hash=digest)
    _append(event, count)
    _checkpoint_on_commit()
    return event


def _take_head(events: int = 1) -> tuple[str, int]:
    """Lock the chain's head row until the transaction ends, count the new events on it, and return
    (the previous event's hash, the last new event's position): one round trip (``UPDATE … RETURNING``)."""
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(AuditHead._meta.db_table)} SET {quote('count')} = {quote('count')} + %s "  # noqa: S608
           f"WHERE {quote('id')} = 1 RETURNING {quote('last_hash')}, {quote('count')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [events])
        row = cursor.fetchone()
        if row is None:  # the first event ever: create the head, then lock it as above
            AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
            cursor.execute(sql, [events])
            row = cursor.fetchone()
    return str(row[0]), int(row[1])


@dataclass(frozen=True)
class Change:
    """One event of :func:`audit_many`."""

    action: str
    object_type: str
    object_id: str
    complaint_number: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    # ``before`` and ``after`` are already sealed and JSON-native (``jsonable(sealed(...))``): a bulk
    # import seals the row's part in its validating processes (integrations/import_prepare.py)
    ready: bool = False


def audit_many(*, actor: Any, changes: Sequence[Change]) -> int:
    """Append one event per change, in order, as :func:`audit` would one by one (same hashes, same
    sealing, same head and checkpoint), with one lock of the head and one bulk insert
    (``core/bulk.py``: COPY on PostgreSQL). The chain stays valid: the head row is locked before
    the first hash is computed, so no other event can come between. Returns the number written."""
    if not changes:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_many() must be called inside the transaction that changes the data")
    prev_hash, _count = _take_head(len(changes))
    at = timezone.now()
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    table = Table(AuditEvent, with_pk=False)
    rows = []
    at_text, secret = at.isoformat(), key("audit")
    for change in changes:
        before_json = (change.before or {}) if change.ready else jsonable(sealed(change.before or {}))
        after_json = (change.after or {}) if change.ready else jsonable(sealed(change.after or {}))
        before_text, after_text = canonical(before_json), canonical(after_json)
        digest = _hash_text(prev_hash, at=at_text, actor_id=actor_id, action=change.action,
                            obj=f"{change.object_type}:{change.object_id}", complaint_number=change.complaint_number,
                            before=before_text, after=after_text, secret=secret)
        rows.append(table.row({"at": at, "actor_id": actor_id, "action": change.action,
                               "object_type": change.object_type, "object_id": change.object_id,
                               "complaint_number": change.complaint_number, "before": JsonText(before_text),
                               "after": JsonText(after_text), "prev_hash": prev_hash, "hash": digest}))
        prev_hash = digest
    table.insert(rows)
    AuditHead.objects.filter(pk=1).update(last_hash=prev_hash)
    _checkpoint_on_commit()
    return len(rows)


_EVENT_FIELDS = ("at", "actor_id", "action", "object_type", "object_id", "complaint_number", "before", "after",
                 "prev_hash", "hash")


def _append(event: AuditEvent, count: int) -> None:
    """Insert the event and move the head to it. On PostgreSQL one statement does both (a
    data-modifying CTE); elsewhere two."""
    if connection.vendor != "postgresql":
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(last_hash=event.hash)
        return
    quote = connection.ops.quote_name
    by_attname = {f.attname: f for f in AuditEvent._meta.concrete_fields}
    fields = [by_attname[name] for name in _EVENT_FIELDS]
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = (f"WITH event AS (INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) VALUES ({marks}) "  # noqa: S608
           f"RETURNING {quote('id')}) UPDATE {quote(AuditHead._meta.db_table)} SET {quote('last_hash')} = %s "
           f"WHERE {quote('id')} = 1 AND {quote('count')} = %s RETURNING (SELECT {quote('id')} FROM event)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, event.hash, count])
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - the head is locked by this transaction since _take_head
        raise RuntimeError("the audit head moved while it was locked")
    event.pk = row[0]
    event._state.adding = False
    event._state.db = connection.alias


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
    return _parse_checkpoint(path.read_bytes()) or {"count": -1, "hash": "", "signature": "", "at": ""}


# The checkpoint is one JSON record padded to a single disk sector and overwritten in place: a write
# of one sector is whole or absent after a crash (the assumption SQLite's journal makes too), so it
# needs neither a temporary file nor a rename, and ``fdatasync`` need not flush any metadata.
CHECKPOINT_SIZE = 512


def write_checkpoint(force: bool = False) -> None:
    """Record the current head, unless the file already holds a later one (another process) and
    ``force`` (after a key rotation re-hashed the chain) is not given. Runs after the commit."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return
    path = checkpoint_path()
    private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            waited = False
        except BlockingIOError:
            fcntl.flock(fd, fcntl.LOCK_EX)
            waited = True
        current = _parse_checkpoint(os.pread(fd, 4 * CHECKPOINT_SIZE, 0))
        if current is not None and current["count"] >= head.count and not force:
            return  # another process's checkpoint already covers this commit
        if waited:
            # Group commit: other processes are writing too; the head as it is now also covers the
            # commits of those still waiting for the lock, which then find the file current and skip.
            head = AuditHead.objects.filter(pk=1).first() or head
        data = json.dumps({"count": head.count, "hash": head.last_hash, "at": timezone.now().isoformat(),
                           "signature": _signature(head.count, head.last_hash)}).encode()
        if len(data) > CHECKPOINT_SIZE:  # pragma: no cover - four short fields
            raise ValueError("the audit checkpoint does not fit its record")
        os.pwrite(fd, data.ljust(CHECKPOINT_SIZE, b" "), 0)
        if os.fstat(fd).st_size > CHECKPOINT_SIZE:  # an older, longer file
            os.ftruncate(fd, CHECKPOINT_SIZE)
        os.fdatasync(fd)
    finally:
        os.close(fd)  # and with it the lock


def _parse_checkpoint(raw: bytes) -> dict[str, Any] | None:
    text = raw.decode(errors="replace").strip()
    if not text:
        return None
    try:
        data = json.loads(text)
        return {"count": int(data["count"]), "hash": str(data["hash"]), "signature": str(data["signature"]),
                "at": str(data.get("at", ""))}
    except (ValueError, KeyError, TypeError):
        return {"count": -1, "hash": "", "signature": "", "at": ""}


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
