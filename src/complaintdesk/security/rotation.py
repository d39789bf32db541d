"""``complaintdesk keys rotate search|audit|data``: replace a key and redo what was computed with it.

- ``data``: every encrypted value (customers' contact data, IMEIs, message recipients) is decrypted
  with the old key and encrypted with the new one, in one transaction.
- ``search``: a new key, then every complaint's blind-index digests recomputed, in one transaction.
- ``audit``: the chain and its checkpoint are verified with the old key first (a broken chain is not
  rotated: it would hide the break); then a new key, every event's hash recomputed in order, the head
  updated, and a new checkpoint signed — in one transaction.

If anything fails the old key is put back and the database is left as it was. Stop the server and
the worker while a key is rotated.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from complaintdesk.complaints.contact_index import reindex_complaint
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.audit import GENESIS, event_hash, verify_chain, verify_checkpoint, write_checkpoint
from complaintdesk.core.crypto import decrypt
from complaintdesk.core.keys import key, replace_key, undo_replace
from complaintdesk.core.models import AuditEvent, AuditHead
from complaintdesk.core.policies import policy_of


class RotationRefused(RuntimeError):
    pass


@contextmanager
def _replacing(name: str) -> Iterator[None]:
    """A new key for ``name`` while the block recomputes what depends on it; the old key is put
    back if the block fails, and dropped once it succeeded."""
    path, previous = replace_key(name)
    try:
        yield
    except BaseException:
        undo_replace(path, previous)
        raise
    previous.unlink()


def rotate_search_key() -> int:

    count = 0
    with _replacing("search"), transaction.atomic():
        for complaint in (Complaint.objects.select_related("customer", "product", "policy_version")
                          .order_by("id").iterator(chunk_size=1000)):
            reindex_complaint(complaint, policy_of(complaint.policy_version))
            count += 1
    return count


def rotate_audit_key() -> int:

    problems = [*verify_chain(), *verify_checkpoint()]
    if problems:
        raise RotationRefused(f"the audit chain has {len(problems)} problem(s); run `complaintdesk audit verify` "
                              "and investigate before rotating its key")
    with _replacing("audit"):
        prev = GENESIS
        count = 0
        with transaction.atomic():
            for event in AuditEvent.objects.select_for_update().order_by("id").iterator(chunk_size=2000):
                digest = event_hash(prev, at=event.at, actor_id=event.actor_id, action=event.action,
                                    object_type=event.object_type, object_id=event.object_id,
                                    complaint_number=event.complaint_number, before=event.before,
                                    after=event.after)
                AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=digest)
                prev = digest
                count += 1
            AuditHead.objects.filter(pk=1).update(last_hash=prev, count=count)
        write_checkpoint(force=True)
    return count


ENCRYPTED_COLUMNS = (("complaints", "Customer", ("phone", "email", "social_account", "address")),
                     ("complaints", "Product", ("imei",)), ("notify", "Message", ("recipient",)))


def rotate_data_key() -> int:
    from django.apps import apps
    from django.db.models import TextField
    from django.db.models.functions import Cast


    old = key("data")
    count = 0
    with _replacing("data"), transaction.atomic():
        for app_label, model_name, fields in ENCRYPTED_COLUMNS:
            model = apps.get_model(app_label, model_name)
            raw = {f"raw_{name}": Cast(name, output_field=TextField()) for name in fields}
            for row in model.objects.annotate(**raw).values("pk", *raw).iterator(chunk_size=2000):
                values = {name: decrypt(row[f"raw_{name}"], old) for name in fields if row[f"raw_{name}"]}
                if values:
                    model.objects.filter(pk=row["pk"]).update(**values)
                    count += 1
    return count
