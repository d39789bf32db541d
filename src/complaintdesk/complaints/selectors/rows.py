"""Complaints as the rows of the queues, the list page and the list API, read as plain tuples: the
columns a row shows and nothing else, without building a complaint with its customer, owner, unit and
policy version as five model instances per row (``display.summary`` reads a :class:`ComplaintRow` as
it reads a complaint; tests/complaints/test_complaint_rows.py checks that both give the same summary)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.models.complaint import FINISHED_STATUSES
from complaintdesk.core.models import PolicyVersion
from complaintdesk.core.names import full_name


class CustomerRow:
    __slots__ = ("first_name", "last_name")

    def __init__(self, first_name: str, last_name: str) -> None:
        self.first_name, self.last_name = first_name, last_name

    def display_name(self) -> str:
        """As ``Customer.display_name``."""
        return full_name(self.first_name, self.last_name) or str(_("(name not given)"))


class OwnerRow:
    __slots__ = ("first_name", "last_name", "username")

    def __init__(self, first_name: str, last_name: str, username: str) -> None:
        self.first_name, self.last_name, self.username = first_name, last_name, username

    def display_name(self) -> str:
        """As ``User.display_name``."""
        return full_name(self.first_name, self.last_name) or self.username


class UnitRow:
    __slots__ = ("code", "name_en", "name_zh")

    def __init__(self, code: str, name_zh: str, name_en: str) -> None:
        self.code, self.name_zh, self.name_en = code, name_zh, name_en

    @property
    def name(self) -> str:
        """As ``Unit.name``: in the current language."""
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en


class ComplaintRow:
    """What a row reads of a complaint, with the same attribute names."""

    __slots__ = ("category", "channel", "complete", "customer", "level", "major_opened_at", "number", "owner", "pk",
                 "policy_version", "policy_version_id", "primary_target", "reason", "received_at", "registered_at",
                 "reply_due_at", "status", "unit", "waiting_on")

    pk: int
    number: str
    status: str
    level: str
    category: str
    channel: str
    primary_target: str
    complete: bool
    received_at: datetime
    registered_at: datetime
    reply_due_at: datetime | None
    reason: str
    waiting_on: str
    major_opened_at: datetime | None
    policy_version_id: int
    policy_version: PolicyVersion
    customer: CustomerRow
    owner: OwnerRow
    unit: UnitRow

    def __init__(self, values: tuple[Any, ...]) -> None:
        (self.pk, self.number, self.status, self.level, self.category, self.channel, self.primary_target,
         self.complete, self.received_at, self.registered_at, self.reply_due_at, self.reason, self.waiting_on,
         self.major_opened_at, self.policy_version_id) = values

    @property
    def is_open(self) -> bool:
        """As ``Complaint.is_open``."""
        return self.status not in FINISHED_STATUSES


# the row's own columns, in the order ComplaintRow takes them, then its relations' few columns
_OWN = ("pk", "number", "status", "level", "category", "channel", "primary_target", "complete", "received_at",
        "registered_at", "reply_due_at", "reason", "waiting_on", "major_opened_at", "policy_version_id")
ROW_COLUMNS = (*(("id" if name == "pk" else name) for name in _OWN), "policy_version__sha256", "customer__first_name",
               "customer__last_name", "owner__first_name", "owner__last_name", "owner__username", "unit__code",
               "unit__name_zh", "unit__name_en")


def complaint_rows(qs: QuerySet[Complaint], start: int, stop: int) -> list[ComplaintRow]:
    """The complaints ``qs[start:stop]`` as rows, in one query. The policy version of a row holds its
    id and content hash only: ``policy_of`` finds the parsed policy by them, and reads the text (one
    query) only the first time this process meets the version."""
    versions: dict[int, PolicyVersion] = {}
    out: list[ComplaintRow] = []
    own = len(_OWN)
    for values in qs.values_list(*ROW_COLUMNS)[start:stop]:
        row = ComplaintRow(values[:own])
        version_id = row.policy_version_id
        version = versions.get(version_id)
        if version is None:
            version = versions[version_id] = PolicyVersion.from_db(qs.db, ["id", "sha256"], [version_id, values[own]])
        row.policy_version = version
        row.customer = CustomerRow(*values[own + 1 : own + 3])
        row.owner = OwnerRow(*values[own + 3 : own + 6])
        row.unit = UnitRow(*values[own + 6 : own + 9])
        out.append(row)
    return out

