"""The capability table (accounts/capabilities.py): every route is in it, docs/security.md shows
what ``complaintdesk capabilities --markdown`` prints, and every route of a role-based entry answers
each role over HTTP as the table says: allowed → 2xx, a redirect, 409 (the state) or 422 naming the
fields; refused → 403 when the role sees the complaint, 404 when it does not."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from complaintdesk.accounts.capabilities import ROUTES, markdown
from complaintdesk.accounts.roles import CAPABILITIES
from complaintdesk.complaints.selectors.access import visible_complaints
from complaintdesk.policy.schema import Role
from orgkit import valid_registration

ROOT = Path(__file__).resolve().parents[2]
ROLES = [role.value for role in Role]


def _api_routes() -> Iterator[str]:
    from complaintdesk.api import api

    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            yield f"{method.upper()} {path}"


def _page_names() -> Iterator[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and pattern.name and not route.startswith(("api/", "admin/")):
                yield pattern.name

    yield from walk(get_resolver().url_patterns, "")


def test_every_route_is_in_the_table() -> None:
    routes = {*_api_routes(), *_page_names()}
    assert len(routes) > 150  # the walk found the routes
    missing = sorted(routes - set(ROUTES))
    assert not missing, f"add these routes to accounts/capabilities.py ROUTES: {missing}"
    # a key that is no route: a concrete action of the actions route, or a route that went away
    actions = {key for key in ROUTES if "/actions/" in key and "{name}" not in key}
    assert not sorted(set(ROUTES) - routes - actions), "routes in the table that do not exist"


def test_docs_show_the_generated_table() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    shown = re.search(r"(?s)<!-- capabilities:start -->\n(.*?)<!-- capabilities:end -->", text)
    assert shown is not None, "docs/security.md lost its capability markers"
    assert shown.group(1) == markdown(), "paste the output of: complaintdesk capabilities --markdown"


def test_the_command_prints_the_table(capsys: Any) -> None:
    from complaintdesk.cli import main

    assert main(["capabilities", "--markdown"]) == 0
    assert capsys.readouterr().out == markdown()


# --- every role-based route × every role, over HTTP ---------------------------------------------------

REGISTRATION = valid_registration()
ARTICLE = {"title_zh": "退货须知", "title_en": "Returns", "body_zh": "七日内可退货。",
           "body_en": "Returns within 7 days.", "status": "published"}
# what each route is sent: (method, url template, body); ``form`` bodies go to pages
CALLS: dict[str, tuple[str, str, Any]] = {
    "POST /api/v1/complaints": ("POST", "/api/v1/complaints", REGISTRATION),
    "PATCH /api/v1/complaints/{number}": ("PATCH", "/api/v1/complaints/{number}", {"reason": "Calls drop often"}),
    "POST /api/v1/complaints/{number}/actions/accept": ("POST", "/api/v1/complaints/{number}/actions/accept",
                                                        {"note": "ok"}),
    "POST /api/v1/complaints/{number}/actions/withdraw": ("POST", "/api/v1/complaints/{number}/actions/withdraw",
                                                          {"reason": "The customer withdrew by phone"}),
    "POST /api/v1/complaints/{number}/actions/reopen": ("POST", "/api/v1/complaints/{number}/actions/reopen",
                                                        {"reason": "The customer called again"}),
    "POST /api/v1/complaints/{number}/progress": ("POST", "/api/v1/complaints/{number}/progress",
                                                  {"verified": "Checked", "done": "Called", "next_step": "Wait"}),
    "POST /api/v1/complaints/{number}/progress-with-proof": (
        "POST", "/api/v1/complaints/{number}/progress-with-proof",
        ("form", {"verified": "Checked", "done": "Called", "next_step": "Wait", "files": "{pdf}"})),
    "POST /api/v1/complaints/{number}/work-orders": ("POST", "/api/v1/complaints/{number}/work-orders",
                                                     {"department": "{department}", "request": "Check the unit"}),
    "POST /api/v1/work-orders/{order_id}/follow-up": ("POST", "/api/v1/work-orders/{order_id}/follow-up",
                                                      {"note": "Any news?"}),
    "POST /api/v1/complaints/{number}/contacts": ("POST", "/api/v1/complaints/{number}/contacts",
                                                  {"outcome": "reached", "note": "Explained"}),
    "POST /api/v1/complaints/{number}/unreachable-sms": ("POST", "/api/v1/complaints/{number}/unreachable-sms", {}),
    "POST /api/v1/complaints/{number}/transfer": ("POST", "/api/v1/complaints/{number}/transfer", {}),
    "POST /api/v1/privacy/search": ("POST", "/api/v1/privacy/search", {"contact": "13812345678"}),
    "POST /api/v1/privacy/export": ("POST", "/api/v1/privacy/export", {"contact": "13812345678"}),
    "POST /api/v1/privacy/export.xlsx": ("POST", "/api/v1/privacy/export.xlsx", {"contact": "13812345678"}),
    "POST /api/v1/privacy/erase": ("POST", "/api/v1/privacy/erase", {"contact": "13812345678", "reason": "Asked"}),
    "POST /api/v1/privacy/holds": ("POST", "/api/v1/privacy/holds", {"number": "{number}", "reason": "Court case"}),
    "POST /api/v1/privacy/holds/{hold_id}/release": ("POST", "/api/v1/privacy/holds/{hold_id}/release",
                                                     {"reason": "Case closed"}),
    "GET /api/v1/privacy/retention": ("GET", "/api/v1/privacy/retention", None),
    "complaint-register": ("GET", "/complaints/new/", None),
    "complaint-register-facts": ("GET", "/complaints/new/facts/?category=product", None),
    "complaint-register-preview": ("POST", "/complaints/new/preview/", ("form", {"category": "product"})),
    "complaint-queue-accept": ("POST", "/complaints/queues/new/{number}/accept/", ("form", {})),
    "complaint-reveal": ("POST", "/complaints/{number}/reveal/", ("form", {})),
    "complaint-amend": ("POST", "/complaints/{number}/amend/", ("form", {"reason": "Calls drop often"})),
    "complaint-progress": ("POST", "/complaints/{number}/progress/",
                           ("form", {"verified": "Checked", "done": "Called", "next_step": "Wait", "files": "{pdf}"})),
    "complaint-work-order": ("POST", "/complaints/{number}/work-orders/",
                             ("form", {"department": "{department}", "request": "Check the unit"})),
    "complaint-contact": ("POST", "/complaints/{number}/contacts/", ("form", {"outcome": "reached"})),
    "complaint-unreachable": ("POST", "/complaints/{number}/unreachable/", ("form", {})),
    "complaint-message-resend": ("POST", "/complaints/{number}/messages/{message_id}/resend/", ("form", {})),
    "work-order-follow-up": ("POST", "/work-orders/{order_id}/follow-up/", ("form", {"note": "Any news?"})),
    "transfer-record": ("POST", "/complaints/{number}/transfer/", ("form", {})),
    "privacy": ("GET", "/privacy/", None),
    "privacy-search": ("POST", "/privacy/search/", ("form", {"contact": "13812345678"})),
    "privacy-export": ("POST", "/privacy/export.json", ("form", {})),
    "privacy-hold": ("POST", "/privacy/holds/", ("form", {"number": "{number}", "reason": "Court case"})),
    "privacy-release": ("POST", "/privacy/holds/{hold_id}/release/", ("form", {"reason": "Case closed"})),
    "privacy-erase": ("POST", "/privacy/erase/", ("form", {})),
    "GET /api/v1/knowledge": ("GET", "/api/v1/knowledge", None),
    "GET /api/v1/knowledge/{article_id}": ("GET", "/api/v1/knowledge/{article_id}", None),
    "POST /api/v1/knowledge": ("POST", "/api/v1/knowledge", ARTICLE),
    "PUT /api/v1/knowledge/{article_id}": ("PUT", "/api/v1/knowledge/{article_id}", {**ARTICLE, "version": 1}),
    "knowledge-list": ("GET", "/knowledge/", None),
    "knowledge-detail": ("GET", "/knowledge/{article_id}/", None),
    "knowledge-new": ("GET", "/knowledge/new/", None),
    "knowledge-edit": ("GET", "/knowledge/{article_id}/edit/", None),
    "customer-merge": ("POST", "/customers/{customer_id}/merge/", ("form", {"duplicate": "{customer_id}"})),
}
ROLE_ROUTES = sorted(route for route, entry in ROUTES.items() if entry in CAPABILITIES)


def test_every_role_based_route_has_a_call() -> None:
    assert ROLE_ROUTES and not sorted(set(ROLE_ROUTES) - set(CALLS)), "give the new route a call in CALLS"


def _fill(value: Any, names: dict[str, str]) -> Any:
    if value == "{pdf}":  # a fresh upload for each call
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    if isinstance(value, str):
        return value.format(**names) if "{" in value else value
    if isinstance(value, dict):
        return {key: _fill(item, names) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_fill(item, names) for item in value)
    return value


def _call(user: Any, token: str, method: str, url: str, body: Any) -> Any:
    if url.startswith("/api/"):
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
        if isinstance(body, tuple):
            return client.post(url, data=body[1])
        if method == "GET":
            return client.get(url)
        return client.generic(method, url, json.dumps(body), content_type="application/json", HTTP_IF_MATCH="1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    if method == "GET":
        return client.get(url)
    return client.post(url, data=body[1] if isinstance(body, tuple) else {})


@pytest.fixture
def scene(org: Any) -> dict[str, Any]:
    """A complaint owned by a user outside every tested role, with a work order, a legal hold and its
    acknowledgement message."""
    from complaintdesk.accounts.services import token_create, user_create
    from complaintdesk.complaints.models import Complaint, WorkOrder
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register
    from complaintdesk.knowledge.inputs import ArticleInput
    from complaintdesk.knowledge.services import article_create
    from complaintdesk.notify.models import Message
    from complaintdesk.privacy.services import hold_place
    from orgkit import PASSWORD

    owner = user_create(actor=None, username="owner", password=PASSWORD, roles=[Role.AGENT])
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**valid_registration()).to_input())
    Complaint.objects.filter(pk=complaint.pk).update(owner=owner)
    complaint.refresh_from_db()
    department = org.policy.departments[0].code
    from complaintdesk.complaints.services.work import work_order_dispatch

    work_order_dispatch(actor=org["supervisor"], number=complaint.number, department=department,
                        request="Check the unit")
    hold = hold_place(actor=org["admin"], number=complaint.number, reason="Court case")
    article = article_create(actor=org["admin"], data=ArticleInput(
        title_zh="退货须知", title_en="Returns", body_zh="七日内可退货。", body_en="Returns within 7 days.",
        status="published"))
    names = {"number": complaint.number, "department": department,
             "order_id": str(WorkOrder.objects.get(complaint=complaint).pk), "hold_id": str(hold.pk),
             "message_id": str(Message.objects.filter(complaint=complaint).exclude(channel="internal").first().pk),
             "article_id": str(article.pk), "customer_id": str(complaint.customer_id)}
    tokens = {role: token_create(actor=None, username=org[role].username)[1] for role in ROLES}
    return {"complaint": complaint, "names": names, "tokens": tokens}


ALLOWED = {200, 201, 204, 302, 409, 422}


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROLE_ROUTES)
def test_each_role_gets_what_the_table_says(org: Any, scene: dict[str, Any], route: str) -> None:
    entry = ROUTES[route]
    method, url, body = _fill(CALLS[route], scene["names"])
    complaint = scene["complaint"]
    # a route about the scene's complaint (or its customer) answers 404 to a role that cannot see it
    about_complaint = any(part in CALLS[route][1] for part in ("{number}", "{order_id}", "{hold_id}", "{customer_id}"))
    wrong = []
    for role in ROLES:
        user = org[role]
        method, url, body = _fill(CALLS[route], scene["names"])
        with transaction.atomic():
            response = _call(user, scene["tokens"][role], method, url, body)
            transaction.set_rollback(True)  # every call starts from the same scene
        status = response.status_code
        if Role(role) in CAPABILITIES[entry]:
            ok = status in ALLOWED
            if ok and status == 422 and url.startswith("/api/"):
                ok = bool(json.loads(response.content).get("fields"))
        else:
            sees = visible_complaints(user).filter(pk=complaint.pk).exists() if about_complaint else True
            ok = status == (403 if sees else 404)
        if not ok:
            wrong.append(f"{role}: {status} {response.content[:200]!r}")
    assert not wrong, f"{route} ({entry}) answers against the table:\n" + "\n".join(wrong)
