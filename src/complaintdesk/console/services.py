"""Writes on saved views: save (or replace) one under a name, delete one. Each writes an audit event."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.console.models import SavedView
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import FieldProblem, NotFound, ValidationFailed

# the list's own parameters; anything else in a query string is dropped
LIST_PARAMETERS = ("q", "status", "level", "category", "channel", "complete", "owner", "department", "due",
                   "from", "to", "sort")
NAME_LENGTH = 80


def clean_query(query: str) -> str:
    """The list's filters from a query string, without paging or anything unknown."""
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=False) if k in LIST_PARAMETERS]
    return urlencode(pairs)


@transaction.atomic
def saved_view_save(*, actor: Any, name: str, query: str, now: datetime | None = None) -> SavedView:
    """Save the list's current filters under ``name`` for ``actor``; the same name replaces."""
    name = name.strip()
    if not name:
        raise ValidationFailed([FieldProblem("name", _("Give the view a name."))])
    if len(name) > NAME_LENGTH:
        raise ValidationFailed([FieldProblem("name", _("A view's name has at most %(n)d characters.")
                                             % {"n": NAME_LENGTH})])
    cleaned = clean_query(query)
    existing = SavedView.objects.select_for_update().filter(user=actor, name=name).first()
    before = {"query": existing.query} if existing else None
    if existing is None:
        view = SavedView.objects.create(user=actor, name=name, query=cleaned, created_at=now or timezone.now())
    else:
        view = existing
        view.query = cleaned
        view.save(update_fields=["query"])
    audit(actor=actor, action="saved_view.save", obj=view, before=before, after={"name": name, "query": cleaned})
    return view


@transaction.atomic
def saved_view_delete(*, actor: Any, view_id: int) -> None:
    view = SavedView.objects.select_for_update().filter(user=actor, pk=view_id).first()
    if view is None:
        raise NotFound(_("There is no such saved view."))
    audit(actor=actor, action="saved_view.delete", obj=view, before={"name": view.name, "query": view.query})
    view.delete()
