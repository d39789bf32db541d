"""Imported complaints are history (docs/decisions/0011): no acknowledgement, no clocks, no webhooks,
no repeat links at import; an open imported complaint starts its clocks when its owner accepts it;
later complaints count the repeat window from when the imported one was received."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.actions import complaint_accept
from complaintdesk.integrations.importer import column_paths, complaints_import, row_data
from complaintdesk.integrations.models import WebhookDelivery, WebhookEndpoint
from complaintdesk.notify.models import Message
from registerkit import HEADINGS, good_row, write_xlsx

pytestmark = pytest.mark.django_db


def _import(org: Any, tmp_path: Path, rows: list[list[Any]]) -> list[Complaint]:
    source = tmp_path / "history.xlsx"
    # with every fact the category requires, so that an imported complaint can be accepted
    write_xlsx(source, [*HEADINGS, "product.build_number", "product.purchase_date"],
               [[*row, "A.1.2", "2026-01-05"] for row in rows])
    result = complaints_import(actor=org["agent"], path=source)
    assert result.refused == []
    return list(Complaint.objects.filter(number__in=result.numbers).order_by("number"))


def test_an_import_sends_nothing_starts_nothing_and_accepting_starts_the_clocks(org: Any, tmp_path: Path) -> None:
    now = timezone.now()
    WebhookEndpoint.objects.create(name="crm", url="https://crm.example.com/hook", secret="s" * 32,
                                   events=["complaint.registered", "complaint.accepted"],
                                   created_at=now, updated_at=now)
    same_phone = good_row(1)
    imported = _import(org, tmp_path, [good_row(1), same_phone])
    assert len(imported) == 2
    assert not Clock.objects.exists() and not Message.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert all(c.repeats.count() == 0 for c in imported)  # the register's rows are not linked at import
    assert all(c.status == Complaint.Status.REGISTERED and c.reply_due_at is None for c in imported)
    accepted = complaint_accept(actor=org["specialist"], number=imported[0].number)
    assert set(Clock.objects.filter(complaint=accepted).values_list("code", flat=True)) == {"daily_update"}
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["complaint.accepted"]
    assert not Message.objects.exists()  # accepting sends the customer nothing by itself


@pytest.mark.parametrize(("days_ago", "repeat"), [(400, False), (5, True)])
def test_the_repeat_window_counts_from_when_an_imported_complaint_was_received(
        org: Any, tmp_path: Path, days_ago: int, repeat: bool) -> None:
    received = (timezone.localtime() - timedelta(days=days_ago)).strftime("%Y-%m-%d %H:%M")
    row = good_row(7)
    row[HEADINGS.index("Received at")] = received
    (old,) = _import(org, tmp_path, [row])
    again = good_row(7)
    again[13:17] = ["", "", "", ""]  # registered now, without the facts
    new = complaint_register(actor=org["agent"], data=ComplaintIn(**row_data(
        column_paths(HEADINGS, {}), again)).to_input())
    assert (old in new.repeats.all()) is repeat
