"""Work orders (工单) to the policy's departments: a due time from the policy in working days, the
department's own inbox (in the policy's order), its reply, the owner's follow-up; a
department handler sees only its own work orders' complaints (DOMAIN.md §6, seed 004)."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import at, bring_to, notices, register, state_of

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.models import WorkOrder
from complaintdesk.complaints.selectors.work_orders import work_order_inbox
from complaintdesk.complaints.services.work import work_order_dispatch, work_order_follow_up, work_order_reply
from complaintdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from orgkit import install_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def problems_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


def second_handler(department: str = "headquarters") -> Any:
    from complaintdesk.accounts.services import user_create
    from complaintdesk.policy.schema import Role

    return user_create(actor=None, username=f"handler.{department}", password="correct-horse-battery",
                       roles=[Role.HANDLER], first_name="Hu", last_name="Wei", department_code=department,
                       language="en")


def dispatch(org: Any, complaint: Any, department: str = "service_centre", **kwargs: Any) -> WorkOrder:
    kwargs.setdefault("request", "Check the repair record and call the customer")
    return work_order_dispatch(actor=org["specialist"], number=complaint.number, department=department, **kwargs)


@pytest.fixture
def handled(org: Any) -> Any:
    """A complaint in progress, owned by the specialist, registered Wednesday 2026-06-10 10:00."""
    return bring_to(org, register(org["agent"], when=at("2026-06-10 10:00")), "in_progress",
                    now=at("2026-06-10 10:00"))


def test_dispatch_gives_the_departments_due_time_in_working_days(org: Any, handled: Any) -> None:
    """phone_maker: service centre 1 working day, headquarters 2 working days."""
    order = dispatch(org, handled, now=at("2026-06-10 11:00"))
    assert order.number == f"{handled.number}-W1" and order.status == "open"
    # 1 working day: Thursday, to the end of its working hours
    assert order.due_at == at("2026-06-11 18:00") and order.due_provisional is False
    clock = Clock.objects.get(complaint=handled, code="work_order", subject=f"work_order:{order.pk}")
    assert clock.due_at == order.due_at
    # warn_before 2 working hours: Thursday 16:00–18:00 is all that is left
    assert clock.warn_at == at("2026-06-11 16:00")
    hq = dispatch(org, handled, "headquarters", now=at("2026-06-12 17:00"))  # Friday
    assert hq.number.endswith("-W2")
    assert hq.due_at == at("2026-06-16 18:00")  # Monday and Tuesday, to the end of Tuesday
    assert AuditEvent.objects.filter(action="work_order.dispatch").count() == 2
    entry = handled.timeline.filter(kind="work_order_dispatched").first()
    assert entry.data["department"] == "service_centre"
    assert [n.kind for n in notices(org["handler"])] == ["work_order"]  # the service-centre handler only


def test_pc_maker_departments_including_an_urgent_one(db: Any) -> None:
    pc = install_org("pc_maker")
    complaint = bring_to(pc, register(pc["agent"], when=at("2026-02-13 09:00")), "in_progress",
                         now=at("2026-02-13 09:00"))
    # repair station: 3 working days across the Spring Festival (Sat 14 is a working day)
    repair = dispatch(pc, complaint, "repair_station", now=at("2026-02-13 10:00"))
    assert repair.due_at == at("2026-02-25 18:00")
    assert Clock.objects.get(subject=f"work_order:{repair.pk}").due_at == at("2026-02-25 18:00")
    # spare parts, urgent: 4 working hours from Friday 16:00 → 16–18 on Friday, 9–11 on Saturday 14
    parts = dispatch(pc, complaint, "spare_parts", urgent=True, now=at("2026-02-13 16:00"))
    assert parts.due_at == at("2026-02-14 11:00")
    # the product department answers in 24 hours of real time
    product = dispatch(pc, complaint, "product_dept", now=at("2026-02-13 16:00"))
    assert product.due_at == at("2026-02-14 16:00")


@pytest.mark.parametrize(("department", "request_text", "fields"), [
    ("space_agency", "Please check", {"department"}),
    ("", "Please check", {"department"}),
    ("service_centre", "   ", {"request"}),
    ("space_agency", "", {"department", "request"}),
])
def test_bad_work_orders_are_refused_and_change_nothing(org: Any, handled: Any, department: str,
                                                       request_text: str, fields: set[str]) -> None:
    before = state_of(handled)
    with pytest.raises(ValidationFailed) as info:
        dispatch(org, handled, department, request=request_text)
    assert set(problems_of(info)) == fields
    if "department" in fields:
        assert "service_centre" in problems_of(info)["department"]  # names the policy's departments
    assert state_of(handled) == before
    assert WorkOrder.objects.count() == 0 and notices(org["handler"]) == []


def test_only_the_owner_of_an_open_complaint_dispatches(org: Any, handled: Any) -> None:
    with pytest.raises(PermissionDenied):
        work_order_dispatch(actor=org["agent"], number=handled.number, department="service_centre",
                            request="Check")
    closed = bring_to(org, register(org["agent"], customer={"first_name": "Ann",
                                                            "last_name": "Xu", "phone": "13912345673",
                                                             "language": "en"}), "closed")
    with pytest.raises(Conflict):
        dispatch(org, closed)
    assert WorkOrder.objects.count() == 0


def test_the_department_answers_and_the_owner_follows_up(org: Any, handled: Any) -> None:
    order = dispatch(org, handled, now=at("2026-06-10 11:00"))
    answered = work_order_reply(actor=org["handler"], order_id=order.pk, reply="Mainboard replaced on 9 June",
                                now=at("2026-06-10 15:00"))
    assert answered.status == "answered" and answered.replied_by == org["handler"]
    clock = Clock.objects.get(subject=f"work_order:{order.pk}")
    assert clock.status == "stopped" and clock.next_fire_at is None
    assert [n.kind for n in notices(org["specialist"])].count("work_order_reply") == 1
    entry = handled.timeline.get(kind="work_order_replied")
    assert entry.data["reply"] == "Mainboard replaced on 9 June" and entry.data["late"] is False
    with pytest.raises(Conflict):  # answered once
        work_order_reply(actor=org["handler"], order_id=order.pk, reply="again")
    with pytest.raises(PermissionDenied):  # the follow-up is the owner's
        work_order_follow_up(actor=org["handler"], order_id=order.pk, note="ok")
    followed = work_order_follow_up(actor=org["specialist"], order_id=order.pk,
                                    note="Customer confirmed the phone works", now=at("2026-06-10 16:00"))
    assert followed.status == "followed_up" and followed.follow_up == "Customer confirmed the phone works"
    assert handled.timeline.filter(kind="work_order_followed_up").count() == 1
    assert AuditEvent.objects.filter(action__startswith="work_order.").count() == 3


def test_a_handler_of_another_department_cannot_answer(org: Any, handled: Any) -> None:
    other = second_handler()
    order = dispatch(org, handled)
    with pytest.raises(PermissionDenied):
        work_order_reply(actor=other, order_id=order.pk, reply="Not ours but fine")
    with pytest.raises(ValidationFailed):
        work_order_reply(actor=org["handler"], order_id=order.pk, reply="  ")
    with pytest.raises(NotFound):
        work_order_reply(actor=org["handler"], order_id=order.pk + 1000, reply="Which?")
    order.refresh_from_db()
    assert order.status == "open" and order.reply == ""


def test_a_late_reply_is_marked_and_the_breach_notifies_department_and_owner(org: Any, handled: Any) -> None:
    order = dispatch(org, handled, now=at("2026-06-10 11:00"))
    sweep(now=at("2026-06-11 18:00"))
    assert "clock_warning" in [n.kind for n in notices(org["handler"])]
    assert "clock_breach" in [n.kind for n in notices(org["handler"])]
    assert "clock_breach" in [n.kind for n in notices(org["specialist"])]
    work_order_reply(actor=org["handler"], order_id=order.pk, reply="Sorry, late", now=at("2026-06-11 18:30"))
    assert handled.timeline.get(kind="work_order_replied").data["late"] is True


def test_the_inbox_shows_the_department_only_by_level_and_due_time(org: Any, handled: Any) -> None:
    """phone_maker has no work_order_priority: a request for information sorts with the rest."""
    other = second_handler()
    info = dispatch(org, handled, kind="information", request="Send the repair log", now=at("2026-06-10 10:30"))
    complaint_order = dispatch(org, handled, request="Call the customer today", now=at("2026-06-10 11:00"))
    hq = dispatch(org, handled, "headquarters", now=at("2026-06-10 11:30"))
    urgent_major = bring_to(org, register(org["agent"], level="major", level_override_reason="Media",
                                          customer={"first_name": "Ann",
                                                    "last_name": "Ma", "phone": "13912345674", "language": "en"},
                                          when=at("2026-06-10 09:00")), "in_progress", now=at("2026-06-10 09:00"))
    major_order = dispatch(org, urgent_major, request="Inspect the swollen battery", now=at("2026-06-10 12:00"))
    mine = list(work_order_inbox(org["handler"]))
    # the most severe level first, then the earlier due time (both are due Thursday 18:00: by number)
    assert [o.pk for o in mine] == [major_order.pk, info.pk, complaint_order.pk]
    assert [o.pk for o in work_order_inbox(other)] == [hq.pk]
    assert [o.pk for o in work_order_inbox(org["supervisor"], department="headquarters")] == [hq.pk]
    with pytest.raises(PermissionDenied):
        work_order_inbox(org["agent"])


def test_a_handler_sees_only_its_work_orders_complaints(org: Any, api: Any, handled: Any) -> None:
    unrelated = register(org["agent"], customer={"first_name": "Ann",
                                                 "last_name": "Zhou", "phone": "13912345675", "language": "en"})
    order = dispatch(org, handled)
    client = api("handler")
    listed = client.get("/complaints").json_body["results"]
    assert [row["number"] for row in listed] == [handled.number]
    assert client.get(f"/complaints/{handled.number}").status_code == 200
    assert client.get(f"/complaints/{unrelated.number}").status_code == 404  # outside the scope: as if it did not exist
    assert client.get(f"/work-orders/{order.pk}").status_code == 200
    org.users["handler.headquarters"] = second_handler()
    other = api("handler.headquarters")  # a handler of another department sees neither
    assert other.get(f"/work-orders/{order.pk}").status_code == 404
    assert other.get(f"/complaints/{handled.number}").status_code == 404
    assert other.get("/complaints").json_body["results"] == []


# --- through the API ----------------------------------------------------------------------------


def test_work_orders_through_the_api(org: Any, api: Any, handled: Any) -> None:
    specialist, handler = api("specialist"), api("handler")
    response = specialist.post(f"/complaints/{handled.number}/work-orders",
                               {"department": "service_centre", "request": "Check the repair"})
    assert response.status_code == 201, response.json_body
    order = response.json_body
    assert order["department"]["code"] == "service_centre" and order["status"] == "open"
    inbox = handler.get("/work-orders")
    assert inbox.status_code == 200 and [o["id"] for o in inbox.json_body] == [order["id"]]
    assert specialist.get("/work-orders").status_code == 403
    response = handler.post(f"/work-orders/{order['id']}/reply", {"reply": "Replaced the screen"})
    assert response.status_code == 200 and response.json_body["status"] == "answered"
    assert response.json_body["replied_by"] == org["handler"].display_name()
    assert handler.post(f"/work-orders/{order['id']}/reply", {"reply": "Again"}).status_code == 409
    assert handler.get("/work-orders?status=open").json_body == []
    detail = specialist.get(f"/complaints/{handled.number}").json_body
    assert detail["work_orders"][0]["reply"] == "Replaced the screen"
    response = specialist.post(f"/work-orders/{order['id']}/follow-up", {"note": "Customer satisfied"})
    assert response.status_code == 200 and response.json_body["follow_up"] == "Customer satisfied"


def test_bad_work_order_requests_through_the_api(org: Any, api: Any, handled: Any) -> None:
    specialist = api("specialist")
    response = specialist.post(f"/complaints/{handled.number}/work-orders", {"department": "mars", "request": ""})
    assert response.status_code == 422
    assert {f["field"] for f in response.json_body["fields"]} == {"department", "request"}
    response = specialist.post(f"/complaints/{handled.number}/work-orders", {"request": "x"})
    assert response.status_code == 422
    assert WorkOrder.objects.count() == 0
    order = dispatch(org, handled)
    org.users["handler.headquarters"] = second_handler()
    response = api("handler.headquarters").post(f"/work-orders/{order.pk}/reply", {"reply": "We fixed it"})
    assert response.status_code == 403
    assert handled.work_orders.get().status == "open"
    assert api("handler").post("/work-orders/999999/reply", {"reply": "x"}).status_code == 404
    assert api("handler").post(f"/work-orders/{order.pk}/reply", {"reply": " "}).status_code == 422


@pytest.mark.parametrize("state", ["closed", "rejected", "withdrawn"])
def test_a_finished_complaint_cancels_its_open_work_orders(org: Any, state: str) -> None:
    from workkit import act, resolve_fields

    complaint = bring_to(org, register(org["agent"]), "accepted")
    order = dispatch(org, complaint)
    if state == "closed":
        act(org["specialist"], complaint, "start")
        act(org["specialist"], complaint, "resolve", **resolve_fields(org.policy))
        act(org["specialist"], complaint, "close")
    elif state == "rejected":
        act(org["specialist"], complaint, "reject", reason="duplicate")
    else:
        act(org["specialist"], complaint, "withdraw", withdrawn_by="The customer")
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert list(work_order_inbox(org["handler"])) == []
    action = {"closed": "close", "rejected": "reject", "withdrawn": "withdraw"}[state]
    assert AuditEvent.objects.get(action=f"complaint.{action}").after["work_orders_cancelled"] == [order.number]
    with pytest.raises(Conflict) as info:
        work_order_reply(actor=org["handler"], order_id=order.pk, reply="Too late")
    assert "cancelled" in str(info.value.message)
    assert Clock.objects.get(subject=f"work_order:{order.pk}").status == "cancelled"
