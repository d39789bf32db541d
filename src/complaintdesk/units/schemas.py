"""The shapes of /api/v1/units. Names start with ``Unit`` so that they stay unique in the OpenAPI
document."""

from __future__ import annotations

from ninja import Field, Schema


class UnitOut(Schema):
    code: str
    kind: str
    name_zh: str
    name_en: str
    parent: str | None = Field(None, description="the parent unit's code; null for head office")
    depth: int = Field(description="0 for head office, 1 for the units directly under it …")
    number_prefix: str
    own_policy_version: str | None = Field(None, description="the unit's own policy version; null: inherited")
    members: int
    open_complaints: int = Field(description="open complaints received by this unit itself")


class UnitCreateIn(Schema):
    code: str
    name_zh: str
    name_en: str
    parent: str | None = Field(None, description="the parent unit's code; head office when empty")
    kind: str = "branch"
    number_prefix: str = ""


class UnitUpdateIn(Schema):
    name_zh: str | None = None
    name_en: str | None = None
    kind: str | None = None
    number_prefix: str | None = None


class UnitMoveIn(Schema):
    parent: str = Field(description="the code of the unit to move under")


class UnitMemberOut(Schema):
    username: str
    name: str
    roles: list[str]


class UnitMembersOut(Schema):
    unit: str
    members: list[UnitMemberOut]


class UnitAssignmentIn(Schema):
    username: str = ""
    unit: str = ""
    roles: list[str] = Field(default_factory=list, description="exactly these roles at the unit; empty removes")


class UnitAssignmentsIn(Schema):
    rows: list[UnitAssignmentIn]


class UnitAssignmentsOut(Schema):
    applied: int
