"""Changes made in the Django admin write audit events like every other change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from complaintdesk.core.audit import audit

# fields whose values never enter the audit trail, only the fact that they changed
SECRET_FIELDS = frozenset({"password", "key_hash"})


def _state(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        out[field.name] = field.value_from_object(obj)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            out[field.name] = sorted(str(item) for item in getattr(obj, field.name).all())
    return out


def _changed(message: Any) -> list[str]:
    fields: list[str] = []
    if isinstance(message, list):
        for part in message:
            for detail in part.values() if isinstance(part, dict) else ():
                if isinstance(detail, dict):
                    fields.extend(str(name) for name in detail.get("fields", []))
    elif message:
        fields.append(str(message))
    return fields


class AuditedAdminMixin:
    """Mix into a ModelAdmin: additions, changes and deletions become ``admin.<model>.<verb>`` events."""

    def _audit(self, request: HttpRequest, obj: Any, verb: str, after: dict[str, Any]) -> None:
        with transaction.atomic():
            audit(actor=request.user, action=f"admin.{obj._meta.model_name}.{verb}", obj=obj, after=after)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "add", _state(obj))
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "change", {"fields": _changed(message), "state": _state(obj)})
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Iterable[Any]) -> Any:
        for obj in queryset:
            self._audit(request, obj, "delete", _state(obj))
        return super().log_deletions(request, queryset)  # type: ignore[misc]
