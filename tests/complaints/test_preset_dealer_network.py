"""The dealer network (seed 003, process 1) replayed through the services on an organisation tree:
dealers register the complaints their customers bring and own them, each dealer sees only its own
dealership's complaints, the region sees its dealers', head office sees all; the dealer answers
within 24 hours and reports what it cannot handle to head office within 48 hours."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from workkit import act, at, register

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint, visible_complaints
from complaintdesk.complaints.services.work import contact_record
from complaintdesk.core.errors import NotFound
from orgkit import PASSWORD, install_org
from unittree import build_tree

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]

MONDAY = at("2026-11-23 10:00")


def dealer_staff(unit: str) -> Any:
    """A dealer's after-sales complaint handler: the specialist role held at the dealer's own unit."""
    from complaintdesk.accounts.services import user_create
    from complaintdesk.units.services import membership_set

    user = user_create(actor=None, username=f"after_sales_{unit}", password=PASSWORD, roles=[],
                       first_name="After-sales", last_name=unit, language="en")
    membership_set(actor=None, username=user.username, unit=unit, roles=["specialist"])
    user.refresh_from_db()
    return user


def numbers(user: Any) -> set[str]:
    return set(visible_complaints(user).values_list("number", flat=True))


def test_dealers_register_and_own_their_complaints_while_head_office_sees_all() -> None:
    org = install_org("dealer_network")
    tree = build_tree()
    after_sales_a, after_sales_b = dealer_staff("dealer-a"), dealer_staff("dealer-b")
    at_a = register(tree.users["agent_a"], when=MONDAY, channel="dealer")
    at_b = register(tree.users["agent_b"], when=MONDAY + timedelta(minutes=5), channel="dealer",
                    customer={"title": "mr", "first_name": "Wei", "last_name": "Li", "phone": "13912345674",
                              "address": "Hangzhou, Xihu", "language": "en"})
    assert at_a.unit == tree["dealer-a"] and at_b.unit == tree["dealer-b"]
    assert at_a.policy_version == org.version

    # dealer A's own after-sales handler accepts and owns it; the 24-hour response clock runs
    owned = act(after_sales_a, at_a, "accept", now=MONDAY + timedelta(minutes=10))
    assert owned.status == Complaint.Status.ACCEPTED and owned.owner == after_sales_a
    response = Clock.objects.get(complaint=at_a, code="dealer_response")
    assert response.status == "running" and response.due_at == MONDAY + timedelta(hours=24)

    # each dealership sees only its own complaints; another dealer's is answered as not existing
    assert numbers(tree.users["agent_a"]) == numbers(after_sales_a) == {at_a.number}
    assert numbers(tree.users["agent_b"]) == numbers(after_sales_b) == {at_b.number}
    assert numbers(tree.users["sup_c"]) == set()
    with pytest.raises(NotFound):
        access_complaint(after_sales_b, at_a.number)
    with pytest.raises(NotFound):
        act(after_sales_b, at_a, "escalate", reason="Not ours", now=MONDAY + timedelta(minutes=20))
    own_b = act(after_sales_b, at_b, "accept", now=MONDAY + timedelta(minutes=20))
    assert own_b.owner == after_sales_b

    # the region sees its dealers' complaints; head office sees every complaint
    assert numbers(tree.users["sup_east"]) == {at_a.number, at_b.number}
    assert numbers(tree.users["hq_sup"]) == {at_a.number, at_b.number}
    assert numbers(org["specialist"]) == {at_a.number, at_b.number}  # a head-office member

    # the dealer reaches the customer within 24 hours and reports the case to head office in 48
    contact_record(actor=after_sales_a, number=at_a.number, outcome="reached",
                   note="Visited the site", now=MONDAY + timedelta(hours=3))
    assert Clock.objects.get(complaint=at_a, code="dealer_response").status == "stopped"
    act(after_sales_a, owned, "report_to_hq", reason="Cracked tiles beyond the dealer's warranty",
        now=MONDAY + timedelta(hours=30))
    report = Clock.objects.get(complaint=at_a, code="escalate_to_hq")
    assert report.status == "stopped" and report.stopped_at == MONDAY + timedelta(hours=30)
    # dealer B's report clock still runs: its 48 hours end on Wednesday at 10:05
    running = Clock.objects.get(complaint=at_b, code="escalate_to_hq")
    assert running.status == "running" and running.due_at == MONDAY + timedelta(hours=48, minutes=5)
