"""Input at the edges: values no field of complaintdesk can hold are refused before any view runs.

- a NUL character (U+0000) anywhere in the path, a query parameter, a form field or a JSON string
  (PostgreSQL cannot store it; SQLite would store a string that later fails elsewhere);
- in the API, an integer outside the 32-bit range (the database's integer columns end at 2³¹-1);
- in the API, a date whose year is before 1900 or after 2999 (nothing in a complaint happens then,
  and the year 1 cannot even be moved to another time zone).

Each is answered 422 in the error format of the API, naming the field, in the reader's language;
nothing is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import get_resolver
from django.utils.functional import Promise
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
INT_LIMIT = 2**31
YEAR_MIN, YEAR_MAX = 1900, 2999
# a whole value that is a date, a month or a date and time (ISO 8601)
_DATE = re.compile(r"^\s*[+-]?(\d{4,6})-(0[1-9]|1[0-2])(?:-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?\s*$")
_DIGITS = re.compile(r"^\s*[+-]?\d+\s*$")


# the API's OpenAPI document, registered by ``complaintdesk.api`` once its routers are mounted (the
# edge guard sits below the API in the floors and never imports it)
_openapi: list[Callable[[], dict[str, Any]]] = []


def openapi_register(document: Callable[[], dict[str, Any]]) -> None:
    """Tell the edge guard where the API's OpenAPI document comes from."""
    _openapi[:] = [document]
    integer_query_parameters.cache_clear()


@lru_cache(maxsize=1)
def integer_query_parameters() -> frozenset[str]:
    """The query parameters the API's OpenAPI document declares as integers (page, page_size…)."""
    if not _openapi:
        get_resolver().url_patterns  # noqa: B018  (loads the URLconf, which mounts the API and registers it)
    if not _openapi:
        raise ImproperlyConfigured("The API did not register its OpenAPI document with the edge guard.")
    names = set()
    for operations in _openapi[0]()["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                types = {schema.get("type"), *(option.get("type") for option in schema.get("anyOf", []))}
                if parameter.get("in") == "query" and "integer" in types:
                    names.add(str(parameter["name"]))
    return frozenset(names)


def _too_large(digits: str) -> bool:
    text = digits.strip().lstrip("+-")
    return len(text) > 12 or int(text) >= INT_LIMIT


def _text_problem(value: str, api: bool) -> str | None:
    if "\x00" in value:
        return _("This text contains a NUL character, which is not allowed.")
    if api:
        date = _DATE.match(value)
        if date and not YEAR_MIN <= int(date.group(1)) <= YEAR_MAX:
            return _("The year must be between %(low)d and %(high)d.") % {"low": YEAR_MIN, "high": YEAR_MAX}
    return None


def _number_problem(value: int) -> str | None:
    if abs(value) >= INT_LIMIT:
        return _("This number is too large (at most %(limit)d).") % {"limit": INT_LIMIT - 1}
    return None


def _walk(value: Any, path: str, api: bool) -> Iterator[tuple[str, str | None]]:
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            yield name, _text_problem(str(key), api=False)
            yield from _walk(item, name, api)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]", api)
    elif isinstance(value, str):
        yield path or "body", _text_problem(value, api)
    elif api and isinstance(value, int) and not isinstance(value, bool):
        yield path or "body", _number_problem(value)


def _problems(request: HttpRequest, api: bool) -> Iterator[tuple[str, str | None]]:
    for segment in request.path.split("/"):
        yield "path", _text_problem(segment, api=False)
        if api and _DIGITS.match(segment) and _too_large(segment):
            yield "path", _("This number is too large (at most %(limit)d).") % {"limit": INT_LIMIT - 1}
    integers = integer_query_parameters() if api else frozenset()
    for name in request.GET:
        yield name, _text_problem(name, api=False)
        for value in request.GET.getlist(name):
            yield name, _text_problem(value, api)
            if name in integers and _DIGITS.match(value) and _too_large(value):
                yield name, _("This number is too large (at most %(limit)d).") % {"limit": INT_LIMIT - 1}
    if request.method not in {"POST", "PUT", "PATCH"}:
        return
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return  # the API answers malformed JSON itself
        yield from _walk(data, "", api)
    elif content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        try:
            form = request.POST
        except Exception:
            return
        for name in form:
            yield name, _text_problem(name, api=False)
            for value in form.getlist(name):
                yield name, _text_problem(value, api)


class EdgeGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith(API_PREFIX)
        problems: list[dict[str, str]] = []
        for field, message in _problems(request, api):
            if message is not None and all(p["field"] != field for p in problems):
                problems.append({"field": field, "message": message})
        if not problems:
            return self.get_response(request)
        summary: str | Promise = _("The request has %(count)d problem(s).") % {"count": len(problems)}
        if api:
            return JsonResponse({"error": "invalid", "message": str(summary), "fields": problems}, status=422)
        text = "\n".join(f"{p['field']}: {p['message']}" for p in problems)
        return HttpResponse(f"{summary}\n{text}\n", status=422, content_type="text/plain; charset=utf-8")
