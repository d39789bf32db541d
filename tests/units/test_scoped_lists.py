"""Lists, search, queues, the work-order inbox, the return-visit queue, notices and pickers by unit:
dealer B's people never see dealer A's complaint; A's people and head office do (the control that
the negative checks look at a list that would show it). The list's unit filter; roles and notices
at the complaint's unit; the nearest supervisor takes a breached complaint."""

from __future__ import annotations

import json
from typing import Any

import pytest
from scopekit import Units

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Any:
    from django.test import Client

    from complaintdesk.accounts.services import token_create

    _token, clear = token_create(actor=None, username=user.username)
    return Client(HTTP_AUTHORIZATION=f"Bearer {clear}", HTTP_ACCEPT_LANGUAGE="en")


def _web(user: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _lists(kit: Units) -> list[tuple[str, str]]:
    """(client kind, URL) of every list, search and queue that could show a complaint."""
    complaint = kit.complaint_a
    searches = [complaint.number, "13812345678", "Carter", "Emily Carter"]
    out = [("api", f"/api/v1/complaints?q={term}") for term in searches]
    out += [("web", f"/complaints/?q={term}") for term in searches]
    out += [("api", "/api/v1/complaints?status=registered"), ("api", "/api/v1/work-orders?status=all"),
            ("api", "/api/v1/notifications"), ("api", "/api/v1/appeals"), ("api", "/api/v1/judgements")]
    out += [("api", f"/api/v1/return-visits?state={state}") for state in ("due", "overdue", "mine", "unassigned")]
    out += [("web", f"/complaints/queues/{kind}/") for kind in ("new", "mine", "soon", "overdue")]
    out += [("web", "/complaints/"), ("web", "/work-orders/?status=all"), ("web", "/supervision/"),
            ("web", "/notices/"), ("web", "/return-visits/?state=due"), ("web", "/return-visits/?state=unassigned"),
            ("web", "/appeals/"), ("web", "/")]
    return out


def _shown(user: Any, kit: Units) -> dict[str, bool]:
    api, web = _api(user), _web(user)
    out = {}
    for kind, url in _lists(kit):
        response = (api if kind == "api" else web).get(url, follow=kind == "web")
        text = response.content.decode()
        # pages echo a search term: a page shows the complaint when it links to it
        mark = f'"{kit.complaint_a.number}"' if kind == "api" else f"/complaints/{kit.complaint_a.number}/"
        out[f"{kind} {url}"] = mark in text
    return out


def test_dealer_b_never_sees_dealer_as_complaint_in_any_list(units: Units) -> None:
    for name in ("b_agent", "b_supervisor", "b_legal"):
        shown = _shown(units[name], units)
        assert not any(shown.values()), f"{name} sees A's complaint in: {[k for k, v in shown.items() if v]}"


def test_dealer_a_and_head_office_see_it(units: Units) -> None:
    for name in ("a_supervisor", "ho_supervisor"):
        shown = _shown(units[name], units)
        for where in (f"api /api/v1/complaints?q={units.complaint_a.number}", "api /api/v1/complaints?q=13812345678",
                      "web /complaints/?q=Carter", "web /complaints/queues/new/", "api /api/v1/work-orders?status=all",
                      "api /api/v1/return-visits?state=unassigned", "web /work-orders/?status=all"):
            assert shown[where], f"{name} does not see A's complaint in {where}"


def test_the_list_filters_by_unit_within_the_users_units(units: Units) -> None:
    head_office = _api(units["ho_supervisor"])
    rows = json.loads(head_office.get("/api/v1/complaints?unit=dealer-a").content)["results"]
    assert [row["number"] for row in rows] == [units.complaint_a.number]
    assert rows[0]["unit"] == {"code": "dealer-a", "name": "Dealer A"}
    everything = json.loads(head_office.get("/api/v1/complaints").content)["results"]
    assert {units.complaint_a.number, units.complaint_b.number} <= {row["number"] for row in everything}
    dealer_b = _api(units["b_supervisor"])
    for code in ("dealer-a", "nowhere"):
        refused = dealer_b.get(f"/api/v1/complaints?unit={code}")
        assert refused.status_code == 422
        assert [field["field"] for field in json.loads(refused.content)["fields"]] == ["unit"]
    assert json.loads(dealer_b.get("/api/v1/complaints?unit=dealer-b").content)["results"][0]["number"] == \
        units.complaint_b.number


def test_the_list_page_offers_the_users_units_and_shows_the_unit(units: Units) -> None:
    page = _web(units["ho_supervisor"]).get("/complaints/?unit=dealer-b").content.decode()
    assert 'data-testid="filter-unit"' in page and '<option value="dealer-a"' in page
    assert units.complaint_b.number in page and units.complaint_a.number not in page
    assert 'data-testid="row-unit">Dealer B<' in page
    chinese = _web(units["ho_supervisor"]).get("/complaints/?unit=dealer-b", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'data-testid="row-unit">经销商乙<' in chinese.content.decode()
    refused = _web(units["b_supervisor"]).get("/complaints/?unit=dealer-a").content.decode()
    assert "There is no unit dealer-a among your units." in refused
    assert units.complaint_b.number in refused  # the other filters still apply
    assert '<option value="dealer-a"' not in refused


def test_notices_go_to_the_role_holders_of_the_complaints_unit(units: Units) -> None:
    from complaintdesk.complaints.services.attributes import complaint_escalate
    from complaintdesk.notify.models import Message

    complaint_escalate(actor=units["a_supervisor"], number=units.complaint_a.number, reason="Angry customer",
                       level="major")
    told = set(Message.objects.filter(complaint=units.complaint_a).values_list("recipient_user__username", flat=True))
    assert told, "the escalation told nobody"
    assert not {name for name in told if name and name.startswith("b_")}, told


def test_handover_only_to_people_of_the_complaints_unit(units: Units) -> None:
    from complaintdesk.complaints.services.attributes import complaint_handover
    from complaintdesk.core.errors import ValidationFailed

    number = units.complaint_a.number
    with pytest.raises(ValidationFailed) as refused:
        complaint_handover(actor=units["a_supervisor"], number=number, to="b_agent", reason="Holiday")
    assert [p.field for p in refused.value.problems] == ["to"]
    assert "does not work in the unit" in str(refused.value.problems[0].message)
    complaint_handover(actor=units["a_supervisor"], number=number, to="ho_supervisor", reason="Head office takes it")
    page = _web(units["a_supervisor"]).get(f"/complaints/{number}/").content.decode()
    assert 'value="a_agent"' in page and 'value="b_agent"' not in page


def test_a_breach_goes_to_the_nearest_supervisor(units: Units) -> None:
    from complaintdesk.clocks.actions import least_loaded

    assert least_loaded("supervisor", at=units.complaint_a) == units["a_supervisor"]
    assert least_loaded("supervisor", at=units.complaint_b) == units["b_supervisor"]
    # no head of service at B: head office's (the preset's cs_head, or ho_supervisor)
    assert least_loaded("cs_head", at=units.complaint_b) in (units.org["cs_head"], units["ho_supervisor"])


def test_a_supervisor_supervises_only_in_the_unit_where_the_role_is_held(units: Units) -> None:
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.complaints.selectors.supervision import supervised_complaints

    Complaint.objects.filter(pk__in=[units.complaint_a.pk, units.complaint_b.pk]).update(level="major")
    assert [c.number for c in supervised_complaints(units["a_supervisor"])] == [units.complaint_a.number]
    assert {c.number for c in supervised_complaints(units["ho_supervisor"])} == {
        units.complaint_a.number, units.complaint_b.number}


def test_a_handler_in_one_unit_sees_there_only_the_complaints_of_its_work_orders(units: Units) -> None:
    from complaintdesk.accounts.models import Department
    from complaintdesk.accounts.services import user_create
    from complaintdesk.complaints.models import Complaint, WorkOrder
    from complaintdesk.complaints.selectors.access import visible_complaints
    from complaintdesk.units.services import membership_set
    from orgkit import PASSWORD

    department = Department.objects.order_by("id").first()
    assert department is not None
    user = user_create(actor=None, username="split", password=PASSWORD, roles=[], language="en",
                       department_code=department.code)
    membership_set(actor=None, username="split", unit="dealer-a", roles=["agent"])
    membership_set(actor=None, username="split", unit="dealer-b", roles=["handler"])
    WorkOrder.objects.filter(complaint=units.complaint_b).update(department=department)
    other = Complaint.objects.get(pk=units.complaint_b.pk)
    other.pk, other.number, other.search_text = None, "B-NO-ORDER", ""
    other.save()
    seen = set(visible_complaints(user).values_list("number", flat=True))
    assert seen == {units.complaint_a.number, units.complaint_b.number}
