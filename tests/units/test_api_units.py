"""/api/v1/units through HTTP: reads scoped to the caller's units (outside them is 404), writes the
administrator's (403 otherwise), bulk assignment all or nothing, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from complaintdesk.complaints.models import Complaint
from complaintdesk.units import services
from complaintdesk.units.models import Membership, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dealers(org: Any) -> dict[str, Unit]:
    units = {code: services.unit_create(actor=None, code=code, name_zh=f"经销商{code[-1].upper()}",
                                        name_en=f"Dealer {code[-1].upper()}", kind="dealer",
                                        number_prefix=f"D{code[-1].upper()}")
             for code in ("dealer-a", "dealer-b")}
    # a user who belongs to dealer A only (no roles at head office)
    org.users["dealer_a_supervisor"] = get_user_model().objects.create_user(
        username="dealer_a_supervisor", password="x", first_name="Dealer", last_name="Chief", language="en")
    services.membership_set(actor=None, username="dealer_a_supervisor", unit="dealer-a", roles=["supervisor"])
    return units


def _delete(client: Any, path: str) -> Any:
    return client._call("delete", path)


def test_the_tree_in_order_with_counts(org: Any, api: Any, dealers: dict[str, Unit], registration: Any) -> None:
    admin = api("admin")
    number = api("agent").post("/complaints", registration()).json_body["number"]
    Complaint.objects.filter(number=number).update(unit=dealers["dealer-b"])
    created = admin.post("/units", {"code": "store-1", "name_zh": "一号店", "name_en": "Store 1",
                                    "parent": "dealer-a", "kind": "store", "number_prefix": "S1"})
    assert created.status_code == 201, created.json_body
    assert created.json_body == {"code": "store-1", "kind": "store", "name_zh": "一号店", "name_en": "Store 1",
                                 "parent": "dealer-a", "depth": 2, "number_prefix": "S1",
                                 "own_policy_version": None, "members": 0, "open_complaints": 0}
    body = admin.get("/units").json_body
    assert [(u["code"], u["depth"], u["parent"]) for u in body] == [
        ("hq", 0, None), ("dealer-a", 1, "hq"), ("store-1", 2, "dealer-a"), ("dealer-b", 1, "hq")]
    by_code = {u["code"]: u for u in body}
    assert by_code["dealer-b"]["open_complaints"] == 1 and by_code["dealer-a"]["members"] == 1
    assert admin.get("/units/dealer-a").json_body["kind"] == "dealer"


def test_reads_are_scoped_to_the_callers_units(api: Any, dealers: dict[str, Unit]) -> None:
    supervisor = api("dealer_a_supervisor")
    assert [u["code"] for u in supervisor.get("/units").json_body] == ["dealer-a"]
    assert supervisor.get("/units/dealer-a").status_code == 200
    for path in ("/units/dealer-b", "/units/hq", "/units/dealer-b/members", "/units/nowhere"):
        response = supervisor.get(path)
        assert response.status_code == 404, path
        assert response.json_body["error"] == "not_found"
    members = api("admin").get("/units/dealer-a/members").json_body
    assert members == {"unit": "dealer-a", "members": [{"username": "dealer_a_supervisor", "name": "Dealer Chief",
                                                        "roles": ["supervisor"]}]}


def test_writes_are_the_administrators(api: Any, dealers: dict[str, Unit]) -> None:
    supervisor = api("dealer_a_supervisor")
    for method, path, body in (("post", "/units", {"code": "x", "name_zh": "x", "name_en": "x"}),
                               ("patch", "/units/dealer-a", {"name_en": "Mine"}),
                               ("post", "/units/dealer-a/move", {"parent": "dealer-b"}),
                               ("post", "/units/members", {"rows": [{"username": "agent", "unit": "dealer-a",
                                                                     "roles": ["agent"]}]})):
        response = getattr(supervisor, method)(path, body)
        assert response.status_code == 403, (path, response.json_body)
    assert _delete(supervisor, "/units/dealer-a").status_code == 403
    assert Unit.objects.get(code="dealer-a").name_en == "Dealer A"


def test_update_move_and_delete(api: Any, dealers: dict[str, Unit]) -> None:
    admin = api("admin")
    changed = admin.patch("/units/dealer-a", {"name_en": "Dealer Alpha", "number_prefix": "DA1"})
    assert changed.status_code == 200 and changed.json_body["name_en"] == "Dealer Alpha"
    assert changed.json_body["number_prefix"] == "DA1" and changed.json_body["name_zh"] == "经销商A"
    refused = admin.patch("/units/dealer-a", {"kind": "planet", "number_prefix": "bad"})
    assert refused.status_code == 422
    assert {f["field"] for f in refused.json_body["fields"]} == {"kind", "number_prefix"}
    moved = admin.post("/units/dealer-b/move", {"parent": "dealer-a"})
    assert moved.status_code == 200 and moved.json_body["parent"] == "dealer-a" and moved.json_body["depth"] == 2
    loop = admin.post("/units/dealer-a/move", {"parent": "dealer-b"})
    assert loop.status_code == 422 and loop.json_body["fields"][0]["field"] == "parent"
    assert _delete(admin, "/units/dealer-a").status_code == 422  # dealer B is below it
    assert _delete(admin, "/units/dealer-b").status_code == 204
    assert admin.get("/units/dealer-b").status_code == 404


def test_deleting_a_unit_with_open_complaints_is_refused(api: Any, dealers: dict[str, Unit],
                                                         registration: Any) -> None:
    number = api("agent").post("/complaints", registration()).json_body["number"]
    Complaint.objects.filter(number=number).update(unit=dealers["dealer-b"])
    response = _delete(api("admin"), "/units/dealer-b")
    assert response.status_code == 422
    assert "1 open complaints" in response.json_body["fields"][0]["message"]
    assert Unit.objects.filter(code="dealer-b", active=True).exists()


def test_bulk_assignment_is_all_or_nothing(api: Any, dealers: dict[str, Unit]) -> None:
    admin = api("admin")
    rows = [{"username": "agent", "unit": "dealer-a", "roles": ["agent"]},
            {"username": "handler", "unit": "dealer-b", "roles": ["handler"]},
            {"username": "ghost", "unit": "dealer-b", "roles": ["agent"]},
            {"username": "specialist", "unit": "nowhere", "roles": ["specialist", "wizard"]},
            {"username": "agent", "unit": "dealer-a", "roles": []}]
    response = admin.post("/units/members", {"rows": rows})
    assert response.status_code == 422
    assert [(f["field"], f["message"]) for f in response.json_body["fields"]] == [
        ("rows[2].username", "There is no user ghost."),
        ("rows[3].unit", "There is no organisation unit nowhere."),
        ("rows[3].roles", "Unknown role wizard."),
        ("rows[4].unit", "agent is already assigned to dealer-a in an earlier row."),
    ]
    assert not Membership.objects.filter(user__username__in=["agent", "handler"]).exists()
    leave = {"username": "dealer_a_supervisor", "unit": "dealer-a", "roles": []}
    good = admin.post("/units/members", {"rows": [*rows[:2], leave]})
    assert good.status_code == 200 and good.json_body == {"applied": 3}
    assert set(Membership.objects.filter(unit__code__in=["dealer-a", "dealer-b"])
               .values_list("user__username", "unit__code", "role")) == {
        ("agent", "dealer-a", "agent"), ("handler", "dealer-b", "handler")}
    assert admin.post("/units/members", {"rows": []}).json_body["fields"] == [
        {"field": "rows", "message": "Give at least one row."}]


def test_the_openapi_document_lists_the_unit_endpoints(api: Any) -> None:
    document = api("admin").get("/openapi.json").json_body
    for path in ("/api/v1/units", "/api/v1/units/{code}", "/api/v1/units/{code}/move", "/api/v1/units/{code}/members",
                 "/api/v1/units/members"):
        assert path in document["paths"], path
    assert set(document["paths"]["/api/v1/units/{code}"]) == {"get", "patch", "delete"}
    components = document["components"]["schemas"]
    assert {"UnitOut", "UnitCreateIn", "UnitUpdateIn", "UnitMoveIn", "UnitMembersOut", "UnitAssignmentsIn"} <= set(
        components)
    assert "open_complaints" in components["UnitOut"]["properties"]


def test_tree_order_follows_the_ids_not_the_path_text(api: Any) -> None:
    from complaintdesk.units.models import root_unit

    root = root_unit()
    parent = services.unit_create(actor=None, code="nine", name_zh="九", name_en="Nine", kind="region")
    # make the first unit's own id one digit shorter than its sibling's and child's, whatever the sequence
    Unit.objects.filter(pk=parent.pk).update(path=f"{root.path}9/")
    Unit.objects.create(code="ten", name_zh="十", name_en="Ten", parent=root, path=f"{root.path}10/")
    Unit.objects.create(code="child", name_zh="子", name_en="Child", parent=parent, path=f"{root.path}9/11/")
    codes = [u["code"] for u in api("admin").get("/units").json_body]
    assert codes == ["hq", "nine", "child", "ten"]
