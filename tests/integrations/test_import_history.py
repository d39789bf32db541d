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


def test_imported_complaints_count_in_the_month_they_were_received(org: Any, tmp_path: Path) -> None:
    """A register imported in December of complaints received in October counts in October's
    statistics and the dashboard's October weeks, not as December's complaints; the list shows them
    registered when they were received. A complaint registered at the desk counts when it was keyed in."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from complaintdesk.core.policies import active_policy
    from complaintdesk.reports.periods import Month
    from complaintdesk.reports.selectors.monthly import monthly_statistics
    from complaintdesk.reports.services.summary import summary_refresh

    shanghai = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    received = "Received at"
    rows = [good_row(1), good_row(2)]
    for row, when in zip(rows, ["2026-10-08 09:30", "2026-10-31 23:50"], strict=True):
        row[HEADINGS.index(received)] = when
    source = tmp_path / "october.xlsx"
    write_xlsx(source, HEADINGS, rows)
    result = complaints_import(actor=org["agent"], path=source, now=now)
    assert result.imported == 2
    imported = Complaint.objects.filter(number__in=result.numbers).order_by("received_at")
    assert [c.registered_at.astimezone(shanghai).strftime("%m-%d %H:%M") for c in imported] == [
        "10-08 09:30", "10-31 23:50"]
    assert all(c.registered_at == c.received_at for c in imported)
    assert imported[0].timeline.get(kind="imported").at == now  # when it was imported stays on record
    desk = complaint_register(actor=org["agent"], data=ComplaintIn(**{
        **row_data(column_paths(HEADINGS, {}), good_row(3)), "received_at": "2026-11-30 10:00"}).to_input(), now=now)
    assert desk.registered_at == now  # keyed in today, received in November: counted today
    summary_refresh(now=now, tz=shanghai)
    _version, policy = active_policy()
    opened = {month: monthly_statistics(policy, Month(2026, month, shanghai), language="en", now=now)
              ["totals"]["opened"] for month in (10, 11, 12)}
    assert opened == {10: 2, 11: 0, 12: 1}
