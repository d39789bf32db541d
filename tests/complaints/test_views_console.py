"""The complaint list as a console: filters by owner, department, registration dates and deadline
state; sorting; the total; a clear message naming the field for a date that cannot be read."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from workkit import act, register

from complaintdesk.complaints.selectors.listing import COUNT_LIMIT, complaint_count
from complaintdesk.complaints.services.work import work_order_dispatch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def rows(page: str) -> list[str]:
    return re.findall(r'<tr data-number="([^"]+)"', page)


@pytest.fixture
def listed(org: Any) -> dict[str, Any]:
    """old: registered 20 days ago, owned by the specialist, overdue, a work order to the service
    centre; fresh: registered now by the agent, not accepted."""
    now = timezone.now()
    old = act(org["specialist"], register(org["agent"], when=now - timedelta(days=20)), "accept",
              now=now - timedelta(days=20))
    work_order_dispatch(actor=org["specialist"], number=old.number, department="service_centre",
                        request="Check the repair record", now=now - timedelta(days=19))
    fresh = register(org["agent"], customer={"first_name": "Ann",
                                             "last_name": "Fresh", "phone": "13912345671", "language": "en"})
    return {"old": old, "fresh": fresh}


def get(client: Any, query: str, language: str = "en") -> str:
    response = client.get(f"/complaints/?{query}", HTTP_ACCEPT_LANGUAGE=language)
    return str(response.content.decode())


def test_filters_by_owner_department_dates_and_deadline(org: Any, client: Any, listed: dict[str, Any]) -> None:
    client.force_login(org["supervisor"])
    old, fresh = listed["old"].number, listed["fresh"].number
    assert rows(get(client, "owner=specialist")) == [old]
    assert rows(get(client, "department=service_centre")) == [old]
    today = timezone.localdate()
    assert rows(get(client, f"from={today:%Y-%m-%d}")) == [fresh]
    assert rows(get(client, f"to={today - timedelta(days=10):%Y-%m-%d}")) == [old]
    assert rows(get(client, "due=overdue")) == [old]
    assert set(rows(get(client, ""))) == {old, fresh}


def test_sorting_and_the_total(org: Any, client: Any, listed: dict[str, Any]) -> None:
    client.force_login(org["supervisor"])
    assert rows(get(client, "sort=registered")) == [listed["old"].number, listed["fresh"].number]
    assert rows(get(client, "sort=-registered")) == [listed["fresh"].number, listed["old"].number]
    assert '<p class="small text-body-secondary mb-1" data-testid="total">2 complaints</p>' in get(client, "")
    assert "共 2 条投诉" in get(client, "", "zh-hans")
    assert "1 complaint<" in get(client, "owner=specialist")


def test_the_total_is_bounded(org: Any, listed: dict[str, Any]) -> None:
    from complaintdesk.complaints.models import Complaint

    assert complaint_count(Complaint.objects.all()) == (2, False)
    assert COUNT_LIMIT >= 1000


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Registered from: “31.02.2026” is not a date (YYYY-MM-DD)."),
    ("zh-hans", "登记日期自：“31.02.2026”不是日期（格式 YYYY-MM-DD）。"),
])
def test_a_date_that_cannot_be_read_is_named_and_the_rest_still_applies(
        org: Any, client: Any, listed: dict[str, Any], language: str, text: str) -> None:
    client.force_login(org["supervisor"])
    response = client.get("/complaints/?from=31.02.2026&owner=specialist", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422
    page = response.content.decode()
    assert text in page and rows(page) == [listed["old"].number]


def test_an_end_before_the_start_is_refused(org: Any, client: Any, listed: dict[str, Any]) -> None:
    client.force_login(org["supervisor"])
    page = get(client, "from=2026-05-02&to=2026-05-01")
    assert "Registered until: the end date is before the start date." in page
