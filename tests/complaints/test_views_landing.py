"""The new queue (registered, not yet accepted) with accept from the queue, and where each role
lands after signing in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from workkit import register

from complaintdesk.complaints.models import Complaint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def rows(page: str) -> list[str]:
    return re.findall(r'<tr data-number="([^"]+)"', page)


@pytest.fixture
def new_ones(org: Any) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    older = register(org["agent"], when=timezone.now() - timedelta(hours=3))
    newer = register(org["agent"], customer={"first_name": "Ann",
                                             "last_name": "Newer", "phone": "13912345679", "language": "en"})
    incomplete = register(org["agent"], facts={}, customer={"first_name": "Ann",
                                                            "last_name": "Gap", "phone": "13912345670",
                                                           "language": "en"})
    return {"older": older, "newer": newer, "incomplete": incomplete}


def test_the_new_queue_lists_registered_complaints_longest_waiting_first(
        org: Any, client: Any, new_ones: dict[str, Any]) -> None:
    assert not new_ones["incomplete"].complete
    client.force_login(org["specialist"])
    page = client.get("/complaints/queues/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert rows(page)[0] == new_ones["older"].number
    assert set(rows(page)) == {c.number for c in new_ones.values()}
    assert 'data-testid="queue-title">New complaints<' in page
    # an accept button on each complete one; the incomplete one links to its facts instead
    assert page.count('data-testid="queue-accept"') == 2
    assert page.count('data-testid="queue-complete"') == 1
    page = client.get("/complaints/queues/new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="queue-title">新投诉<' in page and "受理" in page


def test_accepting_from_the_queue_makes_the_user_owner_and_says_so(
        org: Any, client: Any, new_ones: dict[str, Any]) -> None:
    client.force_login(org["specialist"])
    number = new_ones["older"].number
    response = client.post(f"/complaints/queues/new/{number}/accept/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain[-1][0] == "/complaints/queues/new/"
    page = response.content.decode()
    assert f"Complaint {number} accepted; you own it now." in page
    assert number not in rows(page)
    complaint = Complaint.objects.get(number=number)
    assert complaint.status == "accepted" and complaint.owner == org["specialist"]


def test_accepting_an_incomplete_complaint_from_the_queue_is_refused_in_chinese(
        org: Any, client: Any, new_ones: dict[str, Any]) -> None:
    client.force_login(org["specialist"])
    number = new_ones["incomplete"].number
    response = client.post(f"/complaints/queues/new/{number}/accept/", HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    page = response.content.decode()
    assert 'class="alert alert-danger' in page or "alert-error" in page
    assert number in rows(page)
    assert Complaint.objects.get(number=number).status == "registered"


def test_an_agent_accepts_from_the_new_queue(org: Any, client: Any, new_ones: dict[str, Any]) -> None:
    """Decision 0010: the front line accepts what it can answer at once; legal does not accept."""
    client.force_login(org["agent"])
    page = client.get("/complaints/queues/new/").content.decode()
    assert len(rows(page)) == 3 and page.count('data-testid="queue-accept"') == 2
    response = client.post(f"/complaints/queues/new/{new_ones['older'].number}/accept/")
    assert response.status_code == 302
    accepted = Complaint.objects.get(number=new_ones["older"].number)
    assert (accepted.status, accepted.owner) == ("accepted", org["agent"])
    client.force_login(org["legal"])
    response = client.post(f"/complaints/queues/new/{new_ones['newer'].number}/accept/")
    assert response.status_code == 403
    assert Complaint.objects.get(number=new_ones["newer"].number).status == "registered"


def test_the_navigation_counts_new_complaints(org: Any, client: Any, new_ones: dict[str, Any]) -> None:
    client.force_login(org["specialist"])
    page = client.get("/complaints/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    link = re.search(r'data-testid="nav-new">([^<]*)<span class="badge[^"]*">(\d+)</span>', page)
    assert link is not None and link.group(2) == "3"


LANDINGS = [
    ("agent", "/complaints/queues/new/"),
    ("specialist", "/complaints/queues/mine/"),
    ("handler", "/work-orders/"),
    ("supervisor", "/supervision/"),
    ("qc_manager", "/supervision/"),
    ("legal", "/approvals/"),
]


@pytest.mark.parametrize(("role", "url"), LANDINGS)
def test_each_role_lands_on_its_work(org: Any, client: Any, role: str, url: str) -> None:
    client.force_login(org[role])
    response = client.get("/")
    assert response.status_code == 302 and response.url == url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["cs_head", "vp", "gm", "admin"])
def test_management_lands_on_the_dashboard_or_the_supervision_of_every_level(
        org: Any, client: Any, role: str) -> None:
    from django.urls import NoReverseMatch, reverse

    from complaintdesk.core.policies import active_policy

    client.force_login(org[role])
    response = client.get("/")
    try:
        expected = reverse("dashboard")
    except NoReverseMatch:
        expected = "/supervision/"
    assert response.status_code == 302 and response.url == expected
    page = client.get("/supervision/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You supervise no level" not in page
    _version, policy = active_policy()
    for level in policy.levels:
        assert level.label.en in page
