"""The capability test, by unit: head office with dealers A and B. Every complaint-scoped route of
the API (read from its own OpenAPI document) and every complaint page (read from the URL
configuration) is called for A's complaint by B's people: each answers 404 and nothing changes.
Head office reads them all. A user who is supervisor in A and agent in B acts as supervisor on A's
complaint only. A new route that takes a complaint's number or one of its rows' ids is crawled
without touching this file; a route with a path parameter this file does not know fails the test
until the parameter is placed below."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from scopekit import CUSTOMER_FILE, ROW_MODELS, STAFF_ATTACHMENT, Units

pytestmark = pytest.mark.django_db

# path parameters that name a complaint, a row hanging off one, or the complaint's unit (``code``:
# a unit never sees a sibling, nor its members)
COMPLAINT_PARAMS = {"number", "attachment_id", "code", "message_id", *ROW_MODELS}
# path parameters that travel with a complaint's (the action's name, the letter's kind)
COMPANIONS = {"name", "kind"}
# path parameters of routes that are about no single complaint: such a route is not crawled here
NOT_COMPLAINT = {
    "token": "a signed survey link (public) or the administrator's import report",
    "endpoint_id": "webhook endpoints: the administrator's configuration",
    "delegation_id": "a user's own delegation of approvals",
    "view_id": "a user's own saved view of the list",
    "group_id": "quality alert groups span many complaints (reports/quality, tested with the reports)",
    "chart": "dashboard exports (reports, grouped by unit there)",
    "fmt": "list exports (reports: they read the scoped complaint list)",
    "article_id": "knowledge-base articles belong to no complaint (tests/knowledge)",
    "customer_id": "a customer spans complaints of many units: its page shows only the reader's complaints and "
                   "answers 404 without one (tests/complaints/test_views_customers.py)",
    "job_id": "an export belongs to the user who asked for it, whatever the unit: anyone else gets 404 "
              "(tests/reports/test_export_jobs.py)",
}
# routes that carry a complaint's number but are the customer's side: the one-time code of the
# session decides there, not the staff member's units (tests/portal)
CUSTOMER_SIDE = ("/api/v1/surveys/", "/portal/")
# head office reads every GET route with 200, except the customer's files, which the portal keeps
# outside the media storage (tests/portal downloads them)
NO_FILE = {"complaint-attachment", "/api/v1/complaints/{number}/attachments/{attachment_id}"}
# bodies the smallest sample cannot stand for: the view reads them before it looks for the row
BODIES: dict[str, Any] = {
    "/api/v1/approvals/{approval_id}/decision": {"decision": "approve"},
    "approval-decide": {"decision": "approve"},
}
# routes closed to every role but a few, whatever the row: anyone else is refused (403) before a row
# is looked for. The crawl accepts that refusal only if the route gives the very same answer for a
# row that does not exist (it tells nothing), and B's holder of the role still gets the 404.
ROLE_GATED: dict[str, str] = {
    "/api/v1/privacy/holds/{hold_id}/release": "privacy requests are the administrator's and legal's",
    "privacy-release": "the privacy page is the administrator's and legal's",
    "/api/v1/units/{code}": "changing or deleting a unit is the administrator's",
    "/api/v1/units/{code}/move": "moving a unit is the administrator's",
}
# B's people who call every route: besides agent and supervisor, the holder of a role some route
# checks (legal advice): a refusal of the role must not stand in for the 404
CRAWLERS = ("b_agent", "b_supervisor", "b_legal")


@dataclass(frozen=True)
class Route:
    method: str  # GET, POST, PATCH …
    template: str  # /api/v1/complaints/{number} or a URL name
    params: tuple[str, ...]
    body: Any = None  # a JSON body, or ("form", {...}) for a multipart one


def _action_names() -> list[str]:
    from complaintdesk.complaints.services.actions import ACTIONS

    return sorted(ACTIONS)


def _check_params(where: str, params: tuple[str, ...]) -> bool:
    """Whether the route is complaint-scoped; a parameter nobody placed fails the test."""
    unknown = set(params) - COMPLAINT_PARAMS - COMPANIONS - set(NOT_COMPLAINT)
    assert not unknown, f"{where}: place the path parameter(s) {sorted(unknown)} in COMPLAINT_PARAMS or NOT_COMPLAINT"
    return bool(set(params) & COMPLAINT_PARAMS)


# --- the API, from its OpenAPI document -------------------------------------------------------------


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def sample(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """The smallest value the schema accepts (required fields only): enough for the request to
    pass validation and reach the view, whose first step is to find the complaint."""
    schema = _resolve(schema, spec)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [_resolve(option, spec) for option in schema[key]]
            chosen = next((o for o in options if o.get("type") != "null"), options[0])
            return sample(chosen, spec)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: sample(properties[name], spec) for name in schema.get("required", []) if name in properties}
    if kind == "array":
        items = _resolve(schema.get("items", {}), spec)
        count = max(schema.get("minItems", 0), 1 if items.get("format") == "binary" else 0)
        return [sample(items, spec) for _ in range(count)]
    if kind == "integer" or kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "binary":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    formats = {"date": "2026-03-01", "date-time": "2026-03-01T10:00:00+08:00", "email": "a@example.com"}
    return formats.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))


def api_routes() -> Iterator[Route]:
    from complaintdesk.api import api

    spec = api.get_openapi_schema()
    for path, operations in spec["paths"].items():
        if path.startswith(CUSTOMER_SIDE):
            continue
        for method, operation in operations.items():
            params = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "path")
            if not _check_params(f"{method.upper()} {path}", params):
                continue
            body: Any = None
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = sample(content["application/json"]["schema"], spec)
            elif "multipart/form-data" in content:
                body = ("form", sample(content["multipart/form-data"]["schema"], spec))
            yield Route(method.upper(), path, params, BODIES.get(path, body))


def _fill(kit: Units, complaint: Any, route: Route, action: str, *, missing: bool = False) -> str:
    """The route's URL for the complaint and its rows (``missing``: ids no row has)."""
    rows = kit.rows[complaint.number]
    values: dict[str, Any] = {"number": complaint.number, "name": action, "kind": "acknowledgement",
                              "code": "no-such-unit" if missing else complaint.unit.code}
    for param in route.params:
        if param in ROW_MODELS:
            values[param] = 999_999 if missing else rows[ROW_MODELS[param]].pk
        elif param == "message_id":  # the complaint's acknowledgement
            from complaintdesk.notify.models import Message

            values[param] = 999_999 if missing else Message.objects.filter(complaint=complaint).values_list(
                "pk", flat=True).first()
        elif param == "attachment_id":
            values[param] = rows[STAFF_ATTACHMENT if route.template == "attachment" else CUSTOMER_FILE].pk
    if route.template.startswith("/"):
        return route.template.format(**values)
    from django.urls import reverse

    return reverse(route.template, kwargs={p: values[p] for p in route.params})


def _expanded(routes: list[Route]) -> list[tuple[Route, str]]:
    """Each route once, and a route with an action name once per action."""
    return [(route, action) for route in routes
            for action in (_action_names() if "name" in route.params else [""])]


class Caller:
    """Calls the API with a bearer token and the pages with a session, as one user."""

    def __init__(self, user: Any) -> None:
        from django.test import Client

        from complaintdesk.accounts.services import token_create

        _token, clear = token_create(actor=None, username=user.username)
        self.api = Client(HTTP_AUTHORIZATION=f"Bearer {clear}", HTTP_ACCEPT_LANGUAGE="en")
        self.web = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.web.force_login(user)

    def call(self, route: Route, url: str) -> Any:
        client = self.api if url.startswith("/api/") else self.web
        if route.method == "GET":
            return client.get(url)
        if isinstance(route.body, tuple):
            return client.post(url, data=route.body[1])
        if not url.startswith("/api/"):
            return client.post(url, data=route.body or {})
        data = json.dumps(route.body if route.body is not None else {})
        # PATCH needs the version read (If-Match); any version will do: the complaint is looked for first
        return client.generic(route.method, url, data, content_type="application/json", HTTP_IF_MATCH="1")


# --- the pages, from the URL configuration ------------------------------------------------------------


def page_routes() -> Iterator[Route]:
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list[Any], prefix: str, converters: tuple[str, ...]) -> Iterator[Route]:
        for pattern in patterns:
            names = (*converters, *getattr(pattern.pattern, "converters", {}).keys())
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route, names)
            elif isinstance(pattern, URLPattern) and pattern.name and not route.startswith(("api/", "admin/")):
                if ("/" + route).startswith(CUSTOMER_SIDE) or not names:
                    continue
                if _check_params(route, tuple(names)):
                    yield Route("GET", pattern.name, tuple(names), BODIES.get(pattern.name))

    yield from walk(get_resolver().url_patterns, "", ())


# --- the crawl ------------------------------------------------------------------------------------------


def _state(kit: Units) -> tuple[Any, ...]:
    from complaintdesk.complaints.models import Complaint, TimelineEntry
    from complaintdesk.core.models import AuditEvent
    from complaintdesk.notify.models import Message

    row = Complaint.objects.filter(pk=kit.complaint_a.pk).values(
        "version", "status", "level", "owner_id", "unit_id", "updated_at").get()
    return (row, AuditEvent.objects.count(), TimelineEntry.objects.filter(complaint=kit.complaint_a).count(),
            Message.objects.count())


def _crawl(kit: Units, caller: Caller, routes: list[tuple[Route, str]]) -> list[str]:
    """Every route for A's complaint; the answers that are not 404."""
    wrong = []
    for route, action in routes:
        url = _fill(kit, kit.complaint_a, route, action)
        response = caller.call(route, url)
        if response.status_code == 405 and route.method == "GET":  # a page that only takes a POST
            route = Route("POST", route.template, route.params, route.body)
            response = caller.call(route, url)
        if response.status_code == 403 and route.template in ROLE_GATED:
            elsewhere = caller.call(route, _fill(kit, kit.complaint_a, route, action, missing=True))
            same = elsewhere.content == response.content or not url.startswith("/api/")  # a page's 403 varies (CSRF)
            if elsewhere.status_code == 403 and same:
                continue
        if response.status_code != 404:
            wrong.append(f"{route.method} {url}: {response.status_code} {response.content[:160]!r}")
    return wrong


def test_every_complaint_route_answers_404_to_another_units_people(units: Units) -> None:
    api = list(api_routes())
    pages = list(page_routes())
    assert len(api) >= 40 and len(pages) >= 30  # the crawl found the routes (not an empty loop)
    routes = _expanded(api) + _expanded(pages)
    callers = {name: Caller(units[name]) for name in CRAWLERS}  # their tokens are audited: before the count
    before = _state(units)
    for name, caller in callers.items():
        wrong = _crawl(units, caller, routes)
        assert not wrong, f"{name} reached dealer A's complaint:\n" + "\n".join(wrong)
    assert _state(units) == before


def test_head_office_reads_every_complaint_route(units: Units) -> None:
    caller = Caller(units["ho_supervisor"])
    wrong = []
    for route in [*api_routes(), *page_routes()]:
        if route.method != "GET" or route.template in NO_FILE:
            continue
        for action in _action_names() if "name" in route.params else [""]:
            url = _fill(units, units.complaint_a, route, action)
            status = caller.call(route, url).status_code
            if status not in (200, 405):  # 405: a page that only takes a POST
                wrong.append(f"GET {url}: {status}")
    assert not wrong, "head office could not read dealer A's complaint:\n" + "\n".join(wrong)


def test_a_user_acts_with_the_roles_held_at_the_complaints_unit(units: Units) -> None:
    caller = Caller(units["mixed"])
    body = json.dumps({"reason": "The customer called three times"})
    on_a = caller.api.post(f"/api/v1/complaints/{units.complaint_a.number}/actions/escalate", body,
                           content_type="application/json")
    assert on_a.status_code == 200, on_a.content
    on_b = caller.api.post(f"/api/v1/complaints/{units.complaint_b.number}/actions/escalate", body,
                           content_type="application/json")
    assert on_b.status_code == 403, on_b.content
    assert json.loads(on_b.content)["error"] == "forbidden"
