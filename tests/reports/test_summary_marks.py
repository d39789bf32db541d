"""The summary's marks (reports/summary_triggers.py, decision 0009): on PostgreSQL inserts and
deletes are marked by statement triggers reading their transition tables (migration 0010), updates
by row triggers; on SQLite every trigger is a row trigger. Whatever the form, the same writes mark
the same moments — checked here by running one series of writes over every watched table under both
forms — and on PostgreSQL a bulk insert of many rows at one instant writes one mark, not one a row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, transaction

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.followup.models import Judgement, ReturnVisit
from complaintdesk.reports.models import SummaryMark
from complaintdesk.reports.summary_triggers import create_sql, drop_sql

POSTGRES = connection.vendor == "postgresql"


class _Undo(Exception):
    pass


def _triggers(*, per_statement: bool) -> None:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for statement in [*drop_sql(vendor), *create_sql(vendor, per_statement=per_statement)]:
            cursor.execute(statement)


def _writes(org: Any) -> None:
    """Inserts, updates and deletes of every watched table, some of several rows in one statement."""
    from reportkit import build

    data = build(org, seed=11, size=25)
    everything = [*data.numbers.values(), *data.complaints]
    first, second, third = everything[:3]
    due = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # five clocks due at one instant, in one INSERT
    Clock.objects.bulk_create([Clock(complaint=first, code="reply", subject=f"bulk-{n}", started_at=first.registered_at,
                                     due_at=due) for n in range(5)])
    WorkOrder.objects.filter(complaint=first).delete()
    Clock.objects.filter(complaint__in=[first, second]).delete()
    ReturnVisit.objects.filter(complaint__in=everything[:10]).delete()
    Judgement.objects.filter(complaint__in=everything[:10]).delete()
    third.repeats.clear()
    Complaint.repeats.through.objects.filter(from_complaint__in=everything[3:8]).delete()
    Complaint.objects.filter(pk=second.pk).update(closed_at=datetime(2026, 12, 3, 1, 0, tzinfo=UTC),
                                                  status=Complaint.Status.CLOSED)
    moved = first.registered_at + timedelta(days=2)
    Clock.objects.filter(complaint=third).update(due_at=moved)


def _marks_under(org: Any, *, per_statement: bool) -> tuple[set[datetime], int]:
    """The moments marked by ``_writes`` under one form of the triggers, and how many marks; every
    write undone afterwards."""
    found: tuple[set[datetime], int] = (set(), 0)
    try:
        with transaction.atomic():
            _triggers(per_statement=per_statement)
            SummaryMark.objects.all().delete()
            _writes(org)
            marks = list(SummaryMark.objects.values_list("at", flat=True))
            found = (set(marks), len(marks))
            raise _Undo
    except _Undo:
        pass
    return found


@pytest.mark.django_db
def test_statement_and_row_triggers_mark_the_same_moments(pc_org: Any) -> None:
    by_row, row_count = _marks_under(pc_org, per_statement=False)
    by_statement, statement_count = _marks_under(pc_org, per_statement=True)
    assert len(by_row) > 100  # every table's writes marked something
    assert by_statement == by_row
    if POSTGRES:
        # the five clocks due at one instant are marked once (and a delete of rows sharing a moment too)
        assert statement_count <= row_count - 4
    else:
        assert statement_count == row_count  # SQLite: row triggers either way


@pytest.mark.django_db
def test_a_bulk_insert_marks_each_instant_once_on_postgresql(pc_org: Any) -> None:
    from complaintdesk.complaints.models import Customer
    from complaintdesk.core.bulk import Table, allocate_ids

    instants = [datetime(2026, 11, 5, 2, 0, tzinfo=UTC), datetime(2026, 11, 6, 2, 0, tzinfo=UTC)]
    SummaryMark.objects.all().delete()
    customer = Customer.objects.create(last_name="Bulk", created_at=instants[0])
    table = Table(Complaint)
    with transaction.atomic():
        ids = allocate_ids(Complaint, 200)
        table.insert([table.row({
            "id": pk, "number": f"BULK-{pk}", "policy_version_id": pc_org.version.pk, "customer_id": customer.pk,
            "channel": "hotline",
            "category": "machine_quality", "level": "normal", "suggested_level": "normal", "targets": ["product"],
            "reason": "r", "description": "d", "customer_request": "c", "owner_id": pc_org["specialist"].pk,
            "registered_by_id": pc_org["agent"].pk, "received_at": instants[index % 2],
            "registered_at": instants[index % 2], "updated_at": instants[index % 2]})
            for index, pk in enumerate(ids)])
    marks = list(SummaryMark.objects.values_list("at", flat=True))
    assert set(marks) == set(instants)
    assert len(marks) == (2 if POSTGRES else 200)
