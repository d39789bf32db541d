"""The lists read complaints as plain rows (``selectors.rows.complaint_rows``): a row must read
exactly as the complaint it comes from, in both languages, and cost one query for the whole page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from workkit import act, register

from complaintdesk.accounts.models import User
from complaintdesk.complaints import display
from complaintdesk.complaints.models import Attachment, Complaint, Customer, WorkOrder
from complaintdesk.complaints.selectors.listing import ComplaintFilter, complaint_list
from complaintdesk.complaints.selectors.rows import complaint_rows
from complaintdesk.complaints.selectors.work_orders import order_attachments
from complaintdesk.complaints.services.work import work_order_dispatch
from complaintdesk.core import policies
from complaintdesk.units.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def some_complaints(org: Any) -> list[str]:
    """Complaints that differ in what a row shows: a named and an unnamed customer, an owner with a
    name and one with only a username, open and finished, with and without a reply due time."""
    named = register(org["agent"], customer={"first_name": "晓梅", "last_name": "王", "phone": "13912340001"})
    unnamed = register(org["agent"], when=timezone.now() - timedelta(days=2),
                       customer={"first_name": "Ann", "last_name": "Tmp", "phone": "13912340002"})
    Customer.objects.filter(pk=unnamed.customer_id).update(first_name="", last_name="")
    accepted = act(org["specialist"], register(org["agent"], customer={"first_name": "Ann", "last_name": "O'Brien <b>",
                                                                           "phone": "13912340003"}), "accept")
    Complaint.objects.filter(pk=named.pk).update(status=Complaint.Status.CLOSED, reply_due_at=None)
    User.objects.filter(pk=org["specialist"].pk).update(first_name="", last_name="")
    Unit.objects.filter(pk=accepted.unit_id).update(name_zh="总部 & 分部", name_en="Head office & branch")
    return [named.number, unnamed.number, accepted.number]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_row_reads_as_its_complaint(org: Any, language: str) -> None:
    numbers = some_complaints(org)
    user = org["specialist"]
    qs = complaint_list(user, ComplaintFilter())
    with translation.override(language):
        plain = {c.number: display.summary(c) for c in qs}
        with CaptureQueriesContext(connection) as captured:
            rows = complaint_rows(qs, 0, 100)
        lean = {row.number: display.summary(row) for row in rows}
    assert len(captured.captured_queries) == 1
    assert lean == plain and set(numbers) <= set(lean)
    assert [row.number for row in rows] == [c.number for c in qs]
    assert {row.number: row.is_open for row in rows} == {c.number: c.is_open for c in qs}
    assert {row.number: (row.waiting_on, row.major_opened_at, row.policy_version_id) for row in rows} == {
        c.number: (c.waiting_on, c.major_opened_at, c.policy_version_id) for c in qs}


def test_rows_are_sliced_like_the_query(org: Any) -> None:
    some_complaints(org)
    qs = complaint_list(org["specialist"], ComplaintFilter())
    assert [row.number for row in complaint_rows(qs, 1, 3)] == [c.number for c in qs[1:3]]
    assert complaint_rows(qs, 50, 100) == []


def test_a_row_of_a_version_this_process_has_not_parsed_reads_its_text(org: Any, monkeypatch: Any) -> None:
    some_complaints(org)
    qs = complaint_list(org["specialist"], ComplaintFilter())
    expected = [display.summary(c) for c in qs]
    monkeypatch.setattr(policies, "_PARSED", {})
    rows = complaint_rows(qs, 0, 100)
    with CaptureQueriesContext(connection) as captured:
        assert [display.summary(row) for row in rows] == expected
    assert len(captured.captured_queries) == 1  # the text of the one version, once


def test_the_inbox_reads_the_attachments_of_all_its_orders_at_once(org: Any) -> None:
    orders = []
    for i in range(3):
        complaint = act(org["specialist"], register(org["agent"], customer={"first_name": "Ann",
                                                                            "last_name": f"Order{i}",
                                                                             "phone": f"1391234010{i}"}), "accept")
        orders.append(work_order_dispatch(actor=org["specialist"], number=complaint.number,
                                          department="service_centre", request="Check the repair record"))
    for order, count in zip(orders, (2, 0, 1), strict=True):
        for n in range(count):
            Attachment.objects.create(complaint_id=order.complaint_id, work_order=order, file=f"attachments/{n}.pdf",
                                      name=f"proof <{n}>.pdf", content_type="application/pdf", size=10,
                                      sha256="0" * 64, uploaded_by=org["specialist"], uploaded_at=timezone.now())
    loaded = list(WorkOrder.objects.filter(pk__in=[o.pk for o in orders]).select_related(
        "complaint__policy_version", "department", "created_by", "replied_by"))
    with CaptureQueriesContext(connection) as captured:
        files = order_attachments([o.pk for o in loaded])
    assert len(captured.captured_queries) == 1 and order_attachments([]) == {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for order in loaded:
                policy = policies.policy_of(order.complaint.policy_version)
                assert display.work_order_view(order, policy, files[order.pk]) == display.work_order_view(order, policy)
    assert [len(files[o.pk]) for o in orders] == [2, 0, 1]
