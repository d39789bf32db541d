"""The one NinjaAPI at /api/v1/, mounting each app's router, with token and session auth and the
error format of DESIGN.md §5: {"error", "message", "fields": [{"field", "message"}]}."""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from complaintdesk.accounts.roles_load import roles_load
from complaintdesk.accounts.services import token_user
from complaintdesk.complaints.api import router as complaints_router
from complaintdesk.core.errors import DomainError
from complaintdesk.followup.api import router as followup_router
from complaintdesk.integrations.api import router as integrations_router
from complaintdesk.knowledge.api import router as knowledge_router
from complaintdesk.notify.api import router as notify_router
from complaintdesk.portal.api import router as portal_router
from complaintdesk.privacy.api import router as privacy_router
from complaintdesk.reports.api import router as reports_router
from complaintdesk.resolutions.api import router as resolutions_router
from complaintdesk.security import edges
from complaintdesk.transfers.api import router as transfers_router
from complaintdesk.units.api import router as units_router


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` (``complaintdesk token create USER``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is None:
            return None
        roles_load(user)  # roles and units in one query, for this request only
        request.user = user
        if "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return user


api = NinjaAPI(
    title="complaintdesk API",
    version="1",
    description="Formal complaint handling: registration, lifecycle, work orders, approvals, return visits.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, code: str, message: str,
           fields: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"error": code, "message": message, "fields": fields or []},
                               status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


def _loc(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "header", "cookie", "payload", "data"}]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


def _pydantic_message(error: dict[str, Any]) -> str:
    """What pydantic found, in the caller's language, with the limit it gives (its own ``msg`` is
    English only)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "json_invalid":
        return _("The body is not valid JSON.")
    if kind == "extra_forbidden":
        return _("This field is not expected here.")
    if kind == "string_too_long":
        return _("At most %(limit)d characters.") % {"limit": ctx.get("max_length", 0)}
    if kind == "string_too_short":
        return _("At least %(limit)d characters.") % {"limit": ctx.get("min_length", 0)}
    if kind == "too_long":
        return _("At most %(limit)d items.") % {"limit": ctx.get("max_length", 0)}
    if kind == "too_short":
        return _("At least %(limit)d items.") % {"limit": ctx.get("min_length", 0)}
    if kind in {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}:
        return _("Give a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Give a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Give true or false.")
    if kind in {"string_type", "string_unicode"}:
        return _("Give a text (a string).")
    if kind in {"list_type", "tuple_type", "set_type", "iterable_type"}:
        return _("Give a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type", "dataclass_type"}:
        return _("Give an object (names and values).")
    if kind in {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"}:
        return _("Give a date as YYYY-MM-DD.")
    if kind in {"datetime_parsing", "datetime_type", "datetime_from_date_parsing"}:
        return _("Give a date and time as YYYY-MM-DDTHH:MM, with its offset.")
    if kind in {"enum", "literal_error"}:
        # pydantic joins the choices in English ("'a', 'b' or 'c'"): only the codes are kept
        choices = [part for part in re.split(r", | or ", str(ctx.get("expected", ""))) if part]
        return _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        bound = {"greater_than": ("gt", _("Give a number greater than %(limit)s.")),
                 "greater_than_equal": ("ge", _("Give a number of at least %(limit)s.")),
                 "less_than": ("lt", _("Give a number less than %(limit)s.")),
                 "less_than_equal": ("le", _("Give a number of at most %(limit)s."))}[kind]
        return bound[1] % {"limit": ctx.get(bound[0], "")}
    if kind == "string_pattern_mismatch":
        return _("This value does not have the expected form.")
    if kind in {"value_error", "assertion_error"} and ctx.get("error"):
        return str(ctx["error"])  # our own validators' words, translated where they are written
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return _("This value has the wrong type.")
    return _("Invalid value.")


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = []
    for error in exc.errors:
        message = _pydantic_message(error)
        fields.append({"field": _loc(list(error.get("loc", []))) or "body", "message": message})
    return _error(request, 422, "invalid", _("The request has %(count)d problem(s).") % {"count": len(fields)},
                  fields)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("Log in, or send a valid API token as 'Authorization: Bearer …'."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
    if "CSRF" in str(exc):
        message = _("CSRF check failed: send the CSRF token, or use a bearer token.")
    elif str(exc).startswith("Cannot parse request body"):  # django-ninja's words for a body that is not JSON
        return _error(request, exc.status_code, "invalid", _("The body is not valid JSON."),
                      [{"field": "body", "message": str(_("The body is not valid JSON."))}])
    else:
        message = str(exc)
    return _error(request, exc.status_code, code, message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(exc) or _("Not found."))


def _mount() -> None:
    api.add_router("/", complaints_router)
    api.add_router("/", resolutions_router)
    api.add_router("/", followup_router)
    api.add_router("/", reports_router)
    api.add_router("/", integrations_router)
    api.add_router("/", notify_router)
    api.add_router("/", portal_router)
    api.add_router("/", transfers_router)
    api.add_router("/", privacy_router)
    api.add_router("/", units_router)
    api.add_router("/", knowledge_router)


_mount()
edges.openapi_register(api.get_openapi_schema)
