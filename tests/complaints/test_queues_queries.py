"""The queues, the list page, the list API and the department inbox cost a fixed number of queries
whatever the number of rows (no query per row for badges, clocks, policies or attachments); their
rows still show what they showed; the partial indexes of open complaints match the lists' "open"
filter (issue 14)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from workkit import act, register

from complaintdesk.complaints import display
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.models.complaint import FINISHED_STATUSES
from complaintdesk.complaints.selectors.listing import ComplaintFilter, complaint_list
from complaintdesk.complaints.services.work import work_order_dispatch
from complaintdesk.complaints.views import queues

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]

PAGES = [
    ("/complaints/queues/overdue/", "specialist"),
    ("/complaints/queues/mine/", "specialist"),
    ("/complaints/queues/soon/", "specialist"),
    ("/complaints/queues/level-general/", "specialist"),
    ("/complaints/", "specialist"),
    ("/api/v1/complaints?page_size=50", "specialist"),
    ("/api/v1/complaints?status=open&page_size=25", "specialist"),
    ("/work-orders/", "handler"),
]


def add_work(org: Any, count: int, *, late: bool = True) -> list[str]:
    """``count`` complaints owned by the specialist, late (registered two days ago) or registered now
    (due soon), each with a work order to the service centre."""
    numbers = []
    for i in range(count):
        complaint = register(org["agent"], when=timezone.now() - timedelta(days=2 if late else 0),
                             customer={"first_name": "Ann", "last_name": f"Row{i}", "phone": f"139123400{i:02d}"})
        complaint = act(org["specialist"], complaint, "accept")
        work_order_dispatch(actor=org["specialist"], number=complaint.number, department="service_centre",
                            request="Check the repair record")
        numbers.append(complaint.number)
    return numbers


def queries(client: Any, url: str) -> tuple[int, str]:
    client.get(url)  # warm the caches (policy parse, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize(("url", "role"), PAGES)
def test_a_page_costs_the_same_queries_for_one_row_and_for_many(org: Any, client: Any, url: str,
                                                                role: str) -> None:
    late = "/soon/" not in url
    first = add_work(org, 1, late=late)
    client.force_login(org[role])
    few, page = queries(client, url)
    assert first[0] in page
    more = add_work(org, 6, late=late)
    many, page = queries(client, url)
    assert all(number in page for number in more)
    assert many == few


def test_rows_link_to_their_complaint_pages(org: Any, client: Any) -> None:
    numbers = add_work(org, 2)
    client.force_login(org["specialist"])
    for url in ("/complaints/", "/complaints/queues/overdue/"):
        page = client.get(url).content.decode()
        for number in numbers:
            assert f'href="{reverse("complaint-detail", args=[number])}"' in page
    make = display.detail_url_maker()
    assert make("TS-20261123-0042") == reverse("complaint-detail", args=["TS-20261123-0042"])


def test_the_open_indexes_have_the_condition_the_open_filter_writes(org: Any) -> None:
    condition = ~Q(status__in=FINISHED_STATUSES)
    partial = [index for index in Complaint._meta.indexes if index.condition is not None]
    assert {index.name for index in partial} >= {"complaint_open_registered", "complaint_open_owner",
                                                 "complaint_open_level"}
    assert all(index.condition == condition for index in partial if index.name.startswith("complaint_open"))
    listed = str(complaint_list(org["specialist"], ComplaintFilter(status="open")).query)
    indexed = str(Complaint.objects.filter(condition).query)
    assert indexed.split(" WHERE ", 1)[1].split(" ORDER BY ")[0] in listed


def test_a_page_reads_the_policy_in_force_once(org: Any, client: Any) -> None:
    add_work(org, 1)
    client.force_login(org["specialist"])
    client.get("/complaints/queues/overdue/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/complaints/queues/overdue/").status_code == 200
    reads = [sql for sql in (q["sql"] for q in captured.captured_queries)
             if 'FROM "core_policyversion"' in sql and '"core_policyversion"."active"' in sql.split("WHERE")[-1]]
    assert len(reads) == 1


def test_the_new_complaints_badge_counts_up_to_its_limit(org: Any, client: Any, monkeypatch: Any) -> None:
    for _ in range(3):
        register(org["agent"])
    assert queues.new_count(org["agent"]) == 3
    monkeypatch.setattr(queues, "NEW_BADGE_LIMIT", 2)
    assert queues.new_count(org["agent"]) == "2+"
    client.force_login(org["agent"])
    page = client.get("/complaints/").content.decode()
    assert '<span class="badge text-bg-danger">2+</span>' in page
