"""The queues — mine, due soon, overdue, by level, my department's work orders — as pages with
deadline badges (both languages) and as API filters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from workkit import act, register

from complaintdesk.complaints.services.work import work_order_dispatch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


@pytest.fixture
def queues(org: Any) -> dict[str, Any]:
    """mine: accepted by the specialist just now (due soon); late: registered by the agent two days
    ago (overdue); major: a major complaint registered by the agent just now; an open work order
    to the service centre (the handler's department)."""
    now = timezone.now()
    mine = act(org["specialist"], register(org["agent"]), "accept")
    late = register(org["agent"], when=now - timedelta(days=2),
                    customer={"first_name": "Ann", "last_name": "Late", "phone": "13912345677", "language": "en"})
    major = register(org["agent"], level="major", level_override_reason="Battery swelling",
                     customer={"first_name": "Ann", "last_name": "Major", "phone": "13912345678", "language": "en"})
    order = work_order_dispatch(actor=org["specialist"], number=mine.number, department="service_centre",
                                request="Check the repair record")
    return {"mine": mine, "late": late, "major": major, "order": order}


def rows(page: str) -> set[str]:
    import re

    return set(re.findall(r'<tr data-number="([^"]+)"', page))


PAGES = [
    ("mine", "specialist", {"mine"}, "My complaints", "我的投诉"),
    ("soon", "specialist", {"mine", "major"}, "Due soon", "即将到期"),
    ("overdue", "specialist", {"late"}, "Overdue", "已超时"),
    ("level-major", "supervisor", {"major"}, "Major complaint", "重大投诉"),
]


@pytest.mark.parametrize(("kind", "role", "expected", "english", "chinese"), PAGES)
def test_each_queue_page_lists_its_complaints_with_deadline_badges(
        org: Any, client: Any, queues: dict[str, Any], kind: str, role: str, expected: set[str], english: str,
        chinese: str) -> None:
    client.force_login(org[role])
    response = client.get(f"/complaints/queues/{kind}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert rows(page) == {queues[name].number for name in expected}
    assert f'data-testid="queue-title">{english}<' in page
    assert page.count('data-testid="deadline"') == len(expected)
    assert "Next deadline" in page
    if kind == "overdue":
        assert 'data-state="overdue"' in page and "overdue" in page
    else:
        assert 'data-state="overdue"' not in page
    response = client.get(f"/complaints/queues/{kind}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert f'data-testid="queue-title">{chinese}<' in page
    assert "最近时限" in page and "Next deadline" not in page
    assert rows(page) == {queues[name].number for name in expected}


def test_the_queue_refreshes_its_rows_alone(org: Any, client: Any, queues: dict[str, Any]) -> None:
    client.force_login(org["specialist"])
    response = client.get("/complaints/queues/mine/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and queues["mine"].number in page


def test_unknown_queues_are_404(org: Any, client: Any) -> None:
    client.force_login(org["specialist"])
    assert client.get("/complaints/queues/everything/").status_code == 404
    assert client.get("/complaints/queues/level-purple/").status_code == 404


def test_my_departments_work_orders_page(org: Any, client: Any, queues: dict[str, Any]) -> None:
    client.force_login(org["handler"])
    page = client.get("/work-orders/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert queues["order"].number in page and 'data-testid="inbox-order"' in page
    assert 'data-testid="deadline"' in page and 'title="working time"' in page
    assert "Service centre (SC)" in page and "complaint work order" in page
    page = client.get("/work-orders/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "工单" in page and "服务中心（SC）" in page and "答复" in page
    assert 'title="工作时间"' in page
    client.force_login(org["agent"])
    assert client.get("/work-orders/").status_code == 403


def test_the_queues_as_api_filters(org: Any, api: Any, queues: dict[str, Any]) -> None:
    client = api("specialist")

    def numbers(query: str) -> set[str]:
        response = client.get(f"/complaints?{query}")
        assert response.status_code == 200, response.json_body
        return {row["number"] for row in response.json_body["results"]}

    assert numbers("owner=me") == {queues["mine"].number}
    assert numbers("due=soon") == {queues["mine"].number, queues["major"].number}
    assert numbers("due=overdue") == {queues["late"].number}
    assert numbers("level=major") == {queues["major"].number}
    assert numbers("owner=agent&level=general") == {queues["late"].number}
    response = client.get("/complaints?due=someday")
    assert response.status_code == 422 and response.json_body["fields"][0]["field"] == "due"
    inbox = api("handler").get("/work-orders")
    assert inbox.status_code == 200
    assert [row["number"] for row in inbox.json_body] == [queues["order"].number]
    assert inbox.json_body[0]["department"]["code"] == "service_centre"
