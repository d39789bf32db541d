"""The audit chain's hashes become HMACs under the audit key (kept outside the database).

The chain written so far is first verified with the plain SHA-256 it was written with; only an
intact chain is re-hashed. A broken one stops the migration: investigate it first (``complaintdesk
audit verify`` on the previous release names the events), or set COMPLAINTDESK_AUDIT_REHASH_BROKEN=1
to re-hash it as it is, knowing that its earlier breaks can no longer be seen.
"""

import hashlib
import os
from typing import Any

from django.db import migrations

GENESIS = "0" * 64


def rehash(apps: Any, schema_editor: Any) -> None:
    from complaintdesk.core.audit import canonical, event_hash

    event_model = apps.get_model("core", "AuditEvent")
    head_model = apps.get_model("core", "AuditHead")
    old_prev = GENESIS
    new_prev = GENESIS
    count = 0
    for event in event_model.objects.order_by("id").iterator(chunk_size=2000):
        fields = {"at": event.at, "actor_id": event.actor_id, "action": event.action,
                  "object_type": event.object_type, "object_id": event.object_id,
                  "complaint_number": event.complaint_number, "before": event.before, "after": event.after}
        payload = canonical({"prev": event.prev_hash, "at": event.at.isoformat(), "actor": event.actor_id,
                             "action": event.action, "object": f"{event.object_type}:{event.object_id}",
                             "complaint": event.complaint_number, "before": event.before, "after": event.after})
        intact = event.prev_hash == old_prev and hashlib.sha256(payload.encode()).hexdigest() == event.hash
        if not intact and os.environ.get("COMPLAINTDESK_AUDIT_REHASH_BROKEN") != "1":
            raise RuntimeError(f"audit event {event.id} does not match the chain written so far; see the "
                               "docstring of security/migrations/0002_audit_keyed_hashes.py")
        old_prev = event.hash
        digest = event_hash(new_prev, **fields)
        event_model.objects.filter(pk=event.pk).update(prev_hash=new_prev, hash=digest)
        new_prev = digest
        count += 1
    head_model.objects.filter(pk=1).update(last_hash=new_prev, count=count)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_idempotency_records"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]
