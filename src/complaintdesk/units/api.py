"""REST endpoints for the unit tree (/api/v1/units). Reads are scoped to the caller's units (a unit
outside them is 404); every write is the administrator's and goes through the services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from complaintdesk.core.errors import PermissionDenied
from complaintdesk.core.schemas import ERRORS
from complaintdesk.policy.schema import Role
from complaintdesk.units import selectors, services
from complaintdesk.units.schemas import (
    UnitAssignmentsIn,
    UnitAssignmentsOut,
    UnitCreateIn,
    UnitMembersOut,
    UnitMoveIn,
    UnitOut,
    UnitUpdateIn,
)
from complaintdesk.units.scope import held

router = Router(tags=["units"])


def _out(row: selectors.UnitRow) -> dict[str, Any]:
    unit = row.unit
    return {"code": unit.code, "kind": unit.kind, "name_zh": unit.name_zh, "name_en": unit.name_en,
            "parent": row.parent_code, "depth": row.depth, "number_prefix": unit.number_prefix,
            "own_policy_version": row.own_version, "members": row.members, "open_complaints": row.open_complaints}


def _admin(request: HttpRequest) -> Any:
    """Writes are the administrator's; the services check the unit itself."""
    if not any(row.role == Role.ADMIN.value for row in held(request.user)):
        raise PermissionDenied(_("Only the administrator manages organisation units."))
    return request.user


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="The units the caller reaches, in tree order")
def units_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(row) for row in selectors.unit_tree(request.user)]


@router.post("/units", response={201: UnitOut, **ERRORS}, summary="Create a unit")
def units_create(request: HttpRequest, payload: UnitCreateIn) -> Status[dict[str, Any]]:
    actor = _admin(request)
    unit = services.unit_create(actor=actor, code=payload.code, name_zh=payload.name_zh, name_en=payload.name_en,
                                parent=payload.parent, kind=payload.kind, number_prefix=payload.number_prefix)
    return Status(201, _out(selectors.unit_for(actor, unit.code)))


@router.post("/units/members", response={200: UnitAssignmentsOut, **ERRORS},
             summary="Assign users to units in bulk: all rows or none")
def units_assign(request: HttpRequest, payload: UnitAssignmentsIn) -> dict[str, Any]:
    actor = _admin(request)
    rows = [row.dict() for row in payload.rows]
    return {"applied": services.memberships_bulk_set(actor=actor, rows=rows)}


@router.get("/units/{code}", response={200: UnitOut, **ERRORS}, summary="One unit")
def units_get(request: HttpRequest, code: str) -> dict[str, Any]:
    return _out(selectors.unit_for(request.user, code))


@router.patch("/units/{code}", response={200: UnitOut, **ERRORS}, summary="Change a unit's names, kind or prefix")
def units_update(request: HttpRequest, code: str, payload: UnitUpdateIn) -> dict[str, Any]:
    actor = _admin(request)
    selectors.unit_for(actor, code)
    services.unit_update(actor=actor, code=code, name_zh=payload.name_zh, name_en=payload.name_en,
                         kind=payload.kind, number_prefix=payload.number_prefix)
    return _out(selectors.unit_for(actor, code))


@router.post("/units/{code}/move", response={200: UnitOut, **ERRORS},
             summary="Move a unit and everything below it under another unit")
def units_move(request: HttpRequest, code: str, payload: UnitMoveIn) -> dict[str, Any]:
    actor = _admin(request)
    selectors.unit_for(actor, code)
    services.unit_move(actor=actor, code=code, parent=payload.parent)
    return _out(selectors.unit_for(actor, code))


@router.delete("/units/{code}", response={204: None, **ERRORS},
               summary="Delete a unit (kept inactive when it has closed complaints)")
def units_delete(request: HttpRequest, code: str) -> Status[None]:
    actor = _admin(request)
    selectors.unit_for(actor, code)
    services.unit_delete(actor=actor, code=code)
    return Status(204, None)


@router.get("/units/{code}/members", response={200: UnitMembersOut, **ERRORS},
            summary="Who holds which roles at a unit")
def units_members(request: HttpRequest, code: str) -> dict[str, Any]:
    row = selectors.unit_for(request.user, code)
    return {"unit": row.unit.code, "members": [{"username": m.username, "name": m.name, "roles": list(m.roles)}
                                               for m in selectors.unit_members(row.unit)]}
