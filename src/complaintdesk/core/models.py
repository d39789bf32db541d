"""Shared models: the audit trail, installed policy versions and number sequences."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    """One state change: who, when, what, before → after. Append-only and hash-chained: each
    event's ``hash`` covers its content and the previous event's hash, so that a changed or
    deleted event breaks the chain (``complaintdesk audit verify``)."""

    at = models.DateTimeField(db_index=True, verbose_name=_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
            verbose_name=_("actor")
    )
    action = models.CharField(max_length=64, verbose_name=_("action"))
    object_type = models.CharField(max_length=64, verbose_name=_("object type"))
    object_id = models.CharField(max_length=64, verbose_name=_("object ID"))
    # indexed in Meta: no LIKE index beside it
    complaint_number = models.CharField(max_length=48, blank=True, verbose_name=_("complaint number"))
    before = models.JSONField(default=dict, blank=True, verbose_name=_("before"))
    after = models.JSONField(default=dict, blank=True, verbose_name=_("after"))
    prev_hash = models.CharField(max_length=64, verbose_name=_("previous hash"))
    # unique by a constraint in Meta: unique=True would give it a second, LIKE index on PostgreSQL
    # (varchar_pattern_ops) that no query uses and every event wrote
    hash = models.CharField(max_length=64, verbose_name=_("hash"))

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["complaint_number"], name="audit_complaint_number")]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_event_hash_unique")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditHead(models.Model):
    """The end of the chain. Its row is locked by every writer, which orders events and makes
    the chain linear even with concurrent transactions on PostgreSQL."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, verbose_name=_("ID"))
    last_hash = models.CharField(max_length=64, verbose_name=_("last hash"))
    count = models.BigIntegerField(default=0, verbose_name=_("count"))

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"audit head #{self.count}"


class PolicyVersion(models.Model):
    """A policy file as installed. Complaints point at the version they were registered under."""

    policy_id = models.CharField(max_length=48, verbose_name=_("policy"))
    version = models.CharField(max_length=32, verbose_name=_("version"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    text = models.TextField(verbose_name=_("text"))
    source = models.CharField(max_length=255, blank=True, verbose_name=_("source"))
    installed_at = models.DateTimeField(verbose_name=_("installed at"))
    active = models.BooleanField(default=False, verbose_name=_("active"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy_id", "version"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_policy"
            ),
        ]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")

    def __str__(self) -> str:
        return f"{self.policy_id} {self.version}"


class Sequence(models.Model):
    """Counters for readable numbers, incremented under a row lock."""

    key = models.CharField(max_length=64, unique=True, verbose_name=_("key"))
    value = models.BigIntegerField(default=0, verbose_name=_("value"))

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class TaskHeartbeat(models.Model):
    """A live worker's renewal of the lease on a task it runs (complaintdesk.task_lease): a RUNNING
    task whose heartbeat is recent is not taken over, however long ago it started."""

    task_id = models.UUIDField(verbose_name=_("task"), primary_key=True)  # django_tasks_db's DBTaskResult.id
    worker_id = models.CharField(verbose_name=_("worker"), max_length=64)
    renewed_at = models.DateTimeField(verbose_name=_("renewed at"))


    class Meta:
        verbose_name = _("task heartbeat")
        verbose_name_plural = _("task heartbeats")

    def __str__(self) -> str:
        return f"{self.task_id} by {self.worker_id} at {self.renewed_at:%H:%M:%S}"
