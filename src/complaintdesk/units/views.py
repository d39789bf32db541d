"""The administrator's units page (/units/): the tree with its counts, and the create, move and
assign forms. Each form calls one service; a refusal shows each problem next to its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from complaintdesk.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed, error_text
from complaintdesk.core.policies import active_policy
from complaintdesk.core.role_names import ROLE_LABELS, role_label
from complaintdesk.policy.schema import Role
from complaintdesk.units import services
from complaintdesk.units.models import Unit
from complaintdesk.units.scope import held
from complaintdesk.units.selectors import unit_tree

FORMS: dict[str, tuple[str, ...]] = {
    "create": ("code", "name_zh", "name_en", "parent", "kind", "number_prefix"),
    "move": ("code", "parent"),
    "assign": ("username", "unit", "roles"),
}


def may_manage_units(user: Any) -> bool:
    """The units page and its navigation entry: administrators."""
    return any(row.role == Role.ADMIN.value for row in held(user))


def _create(request: HttpRequest, data: dict[str, Any]) -> str:
    unit = services.unit_create(actor=request.user, code=data["code"], name_zh=data["name_zh"],
                                name_en=data["name_en"], parent=data["parent"] or None, kind=data["kind"],
                                number_prefix=data["number_prefix"])
    return _("Unit %(code)s created.") % {"code": unit.code}


def _move(request: HttpRequest, data: dict[str, Any]) -> str:
    unit = services.unit_move(actor=request.user, code=data["code"], parent=data["parent"])
    return _("Unit %(code)s moved under %(parent)s.") % {"code": unit.code, "parent": data["parent"]}


def _role(code: str) -> str:
    """A role as the organisation calls it (the head-office policy's title, else the product's name)."""
    try:
        return role_label(active_policy()[1], code)
    except NotFound:  # no policy installed yet
        return str(ROLE_LABELS[Role(code)])


def _assign(request: HttpRequest, data: dict[str, Any]) -> str:
    held_roles = services.membership_set(actor=request.user, username=data["username"], unit=data["unit"],
                                         roles=data["roles"])
    if held_roles:
        return _("%(user)s now holds %(roles)s at %(unit)s.") % {
            "user": data["username"], "roles": ", ".join(_role(m.role) for m in held_roles), "unit": data["unit"]}
    return _("%(user)s no longer belongs to %(unit)s.") % {"user": data["username"], "unit": data["unit"]}


ACTIONS: dict[str, Callable[[HttpRequest, dict[str, Any]], str]] = {
    "create": _create, "move": _move, "assign": _assign}


def _posted(request: HttpRequest, form: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in FORMS[form]:
        if name == "roles":
            data[name] = request.POST.getlist("roles")
        else:
            data[name] = request.POST.get(name, "").strip()
    return data


@login_required
@require_http_methods(["GET", "POST"])
def units_view(request: HttpRequest) -> HttpResponse:
    if not may_manage_units(request.user):
        raise DjangoPermissionDenied(_("Only the administrator manages organisation units."))
    form = request.POST.get("form", "") if request.method == "POST" else ""
    values: dict[str, dict[str, Any]] = {name: {} for name in FORMS}
    errors: dict[str, dict[str, list[str]]] = {name: {} for name in FORMS}
    status = 200
    if form in ACTIONS:
        data = _posted(request, form)
        try:
            messages.success(request, ACTIONS[form](request, data))
            return redirect("units")
        except ValidationFailed as exc:
            for problem in exc.problems:
                errors[form].setdefault(problem.field, []).append(str(problem.message))
        except NotFound as exc:
            errors[form].setdefault("unit" if form == "assign" else "code", []).append(str(exc.message))
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, error_text(exc))
        values[form] = data
        status = 422
    rows = unit_tree(request.user)
    context = {
        "rows": rows, "values": values, "errors": errors, "open_form": form,
        "kinds": [(value, label) for value, label in Unit.Kind.choices if value != Unit.Kind.HEAD_OFFICE],
        "roles": [(role.value, _role(role.value)) for role in Role],
    }
    return render(request, "units/units.html", context, status=status)
