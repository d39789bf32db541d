"""Error pages are styled and translated; the API docs viewer loads only files served by us."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

import pytest
from django.test import Client
from ninja import Schema

import complaintdesk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "back"),
    [("en", "Page not found", "Back to my work"), ("zh-hans", "页面不存在", "返回我的工作")],
)
def test_not_found_page_is_styled_in_the_readers_language(language: str, heading: str, back: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/complaints/NO-SUCH-NUMBER/does-not-exist/")
    assert response.status_code == 404
    body = response.content.decode()
    assert heading in body and back in body
    assert 'data-testid="error-page"' in body and "vendor/bootstrap.min.css" in body


def test_csrf_failure_page_is_styled_and_translated() -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "表单已过期" in body and 'data-testid="error-page"' in body


def test_server_error_page_is_translated(settings: Any) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("zh-hans"):
        body = render_to_string("500.html")
    assert "出错了" in body and "vendor/bootstrap.min.css" in body


def test_api_docs_load_no_outside_asset(org: Any) -> None:
    client = Client()
    client.force_login(org.users["agent"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert sources, "the docs page names its assets"
    assert all(src.startswith("/") for src in sources), sources
    for src in sources:
        if src.endswith((".js", ".css")):
            assert client.get(src).status_code == 200, src


def test_schema_names_are_unique_across_the_api() -> None:
    seen: dict[str, str] = {}
    duplicates = []
    for module_info in pkgutil.walk_packages(complaintdesk.__path__, "complaintdesk."):
        if not module_info.name.endswith(("schemas", ".api")) and ".schemas" not in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == module.__name__:
                if name in seen and seen[name] != module.__name__:
                    duplicates.append((name, seen[name], module.__name__))
                seen.setdefault(name, module.__name__)
    assert not duplicates


def test_openapi_components_match_the_classes() -> None:
    from complaintdesk.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    assert "CustomerDecisionOut" in components and "CallbackProgressOut" in components
    assert "title" in components["CustomerOut"]["properties"]
