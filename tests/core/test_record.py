"""record(): one change writes its audit event and its timeline entry together; the entry is a kind
with parameters, read in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from complaintdesk.complaints.display import timeline_text
from complaintdesk.complaints.models import Complaint, TimelineEntry
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.audit import seal_text, verify_chain
from complaintdesk.core.models import AuditEvent
from complaintdesk.core.record import Entry, on_timeline, record

pytestmark = pytest.mark.django_db


def _complaint(org: Any, registration: Any) -> Complaint:
    return complaint_register(actor=org["agent"], data=ComplaintIn(**registration()).to_input())


def test_one_change_writes_one_event_and_its_entry(org: Any, registration: Any) -> None:
    complaint = _complaint(org, registration)
    events, entries = AuditEvent.objects.count(), complaint.timeline.count()
    at = datetime(2026, 6, 15, 2, 30, tzinfo=UTC)
    with transaction.atomic():
        event = record(actor=org["specialist"], action="work_order.follow_up", obj=complaint, complaint=complaint,
                       before={"note": ""}, after={"note": "called the centre"},
                       timeline=on_timeline("work_order_followed_up", order="W1", note="called the centre"), at=at)
    assert AuditEvent.objects.count() == events + 1
    assert (event.action, event.complaint_number, event.actor_id) == (
        "work_order.follow_up", complaint.number, org["specialist"].pk)
    assert event.before == {"note": ""} and event.after == {"note": seal_text("called the centre")}
    assert complaint.timeline.count() == entries + 1
    written = complaint.timeline.order_by("-id").first()
    assert written is not None
    assert (written.kind, written.data, written.at, written.actor_id) == (
        "work_order_followed_up", {"order": "W1", "note": "called the centre"}, at, org["specialist"].pk)
    assert list(verify_chain()) == []


def test_the_entry_reads_in_the_readers_language(org: Any, registration: Any) -> None:
    """Written while the page was English, read in Chinese and in English; typed text stays as typed."""
    complaint = _complaint(org, registration)
    with translation.override("en"), transaction.atomic():
        record(actor=org["specialist"], action="complaint.handover", obj=complaint, complaint=complaint,
               timeline=on_timeline("handover", from_user="Li Lei", to_user="Han Meimei", reason="顾客要求"))
    written = TimelineEntry.objects.get(complaint=complaint, kind="handover")
    with translation.override("zh-hans"):
        chinese = timeline_text(written, org.policy)
    with translation.override("en"):
        english = timeline_text(written, org.policy)
    assert english == "Ownership passed from Li Lei to Han Meimei. Reason: 顾客要求"
    assert chinese != english and "Li Lei" in chinese and "Han Meimei" in chinese and "顾客要求" in chinese
    assert "Ownership" not in chinese


def test_without_a_timeline_entry_only_the_event_is_written(org: Any, registration: Any) -> None:
    complaint = _complaint(org, registration)
    entries = complaint.timeline.count()
    with transaction.atomic():
        event = record(actor=None, action="customer.reveal", obj=complaint.customer, complaint=complaint,
                       after={"fields": ["phone"]})
    assert event.complaint_number == complaint.number and event.actor_id is None
    assert complaint.timeline.count() == entries


def test_an_entry_without_a_complaint_is_refused_and_nothing_is_written(org: Any) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="no complaint"), transaction.atomic():
        record(actor=None, action="test.change", object_type="thing", object_id="1",
               timeline=Entry("handover", {}))
    assert AuditEvent.objects.count() == events
    assert not TimelineEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_record_runs_only_inside_the_changing_transaction() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(actor=None, action="test.change", object_type="thing", object_id="1")
    assert not AuditEvent.objects.exists()
