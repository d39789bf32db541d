"""Doors, levels and triggers, targets, categories and their facts, reasons, departments."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from complaintdesk.policy.schema.base import (
    Code,
    Duration,
    Role,
    Strict,
    Text,
)


class ChannelKind(StrEnum):
    PHONE = "phone"
    WALK_IN = "walk_in"
    LETTER = "letter"
    COMMENT_CARD = "comment_card"
    EMAIL = "email"
    WEB = "web"
    APP = "app"
    SOCIAL = "social"
    REGULATOR = "regulator"
    MEDIA = "media"
    INTERNAL = "internal"
    DEALER = "dealer"
    CALL_CENTRE = "call_centre"


class Channel(Strict):
    code: Code
    kind: ChannelKind
    label: Text
    requires_origin: bool = Field(
        default=False,
        description=("the case origin (e.g. the social-media account, the regulator's case number) must be recorded"),
    )
    origin_label: Text | None = None
    flags: list[Code] = Field(default_factory=list, description="flags set on every complaint from this door")


class Flag(Strict):
    code: Code
    label: Text
    irreversible: bool = Field(
        default=False,
        description=("once recorded on a complaint it cannot be removed (insurer 一.1(1): an enquiry converted into "
                     "a complaint, 允许协同记入投诉，但不可逆)"),
    )


class Level(Strict):
    code: Code
    rank: int = Field(ge=1, description="higher is more severe")
    label: Text
    definition: Text
    color: Literal["secondary", "info", "primary", "success", "warning", "orange", "danger", "dark"] = "secondary"
    supervisor: Role | None = Field(default=None, description="role that supervises complaints at this level")
    followed_by: list[Role] = Field(
        default_factory=list,
        description=("roles that follow and supervise complaints at this level beside its supervisor: in their "
                     "supervision queue, told of registrations and escalations at the level, named by "
                     "``level_supervisor`` (004: the quality-control manager follows orange and above)"),
    )
    major: bool = Field(default=False, description="opens the major-complaint team")
    suggested_only: bool = Field(
        default=False,
        description=("the triggers only suggest this level: a complaint they point to is registered at the "
                     "highest level below it (the suggestion stays on record and its supervisors are told) until a "
                     "person confirms the level by escalating (001 4.5: major only when the first six solutions "
                     "failed)"),
    )
    compensation_limit: Decimal | None = Field(
        default=None, ge=0, description="the level supervisor may compensate up to this amount"
    )

    def supervising_roles(self) -> tuple[Role, ...]:
        """The supervisor first, then the roles that follow the level, each once."""
        roles = [self.supervisor] if self.supervisor is not None else []
        return tuple(dict.fromkeys([*roles, *self.followed_by]))


class Keywords(Strict):
    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.zh, *self.en]


class Trigger(Strict):
    """Suggests ``level`` when any of its conditions holds."""

    code: Code
    level: Code
    label: Text
    keywords: Keywords = Field(default_factory=Keywords)
    flags: list[Code] = Field(default_factory=list)
    channels: list[Code] = Field(default_factory=list)
    categories: list[Code] = Field(default_factory=list)
    min_units: int | None = Field(default=None, ge=2, description="many-unit (batch) complaints")
    special_identities: list[Code] = Field(
        default_factory=list,
        description="the customer has one of these special identities (celebrity, pregnant …)",
    )

    @model_validator(mode="after")
    def _has_condition(self) -> Trigger:
        if not (
            self.keywords.all()
            or self.flags
            or self.channels
            or self.categories
            or self.min_units
            or self.special_identities
        ):
            raise ValueError(
                f"trigger {self.code!r} has no condition "
                "(keywords, flags, channels, categories, min_units, special_identities)"
            )
        return self


class Target(Strict):
    code: Code
    priority: int = Field(ge=1, description="1 is the highest priority")
    label: Text
    description: Text | None = None


class FactType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    DATE = "date"
    DATETIME = "datetime"
    NUMBER = "number"
    MONEY = "money"
    IMEI = "imei"
    PHONE = "phone"
    CHOICE = "choice"
    BOOLEAN = "boolean"


BOUND_FIELDS = {
    "product.model",
    "product.imei",
    "product.build_number",
    "product.purchase_date",
    "product.place_of_purchase",
    "product.lot_number",
    "customer.address",
    "customer.emotion",
    "customer.special_identity",
    "customer.phone",
    "customer.name",
    "units",  # the units concerned (the batch triggers' ``min_units`` read it)
}


class Option(Strict):
    code: Code
    label: Text


class Fact(Strict):
    """A fact the category requires. ``field`` binds it to a customer or product field, so that the
    value entered there satisfies it."""

    code: Code
    type: FactType = FactType.TEXT
    label: Text
    help: Text | None = None
    required: bool = True
    note_allowed: bool = Field(default=True, description="a 'why missing' note may replace the value")
    options: list[Option] = Field(default_factory=list)
    field: str | None = None
    channels: list[Code] = Field(
        default_factory=list,
        description=("required only of complaints through these doors, asked without being required through "
                     "the others (002 retail: a phone complaint is recorded with 人、事、地、物、时); empty: "
                     "every door"),
    )

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.type == FactType.CHOICE and not self.options:
            raise ValueError(f"fact {self.code!r} is a choice but has no options")
        if self.type != FactType.CHOICE and self.options:
            raise ValueError(f"fact {self.code!r} has options but its type is {self.type.value}")
        if self.field is not None and self.field not in BOUND_FIELDS:
            raise ValueError(
                f"fact {self.code!r}: unknown field {self.field!r}; one of {', '.join(sorted(BOUND_FIELDS))}"
            )
        if self.field == "units" and self.type != FactType.NUMBER:
            raise ValueError(f"fact {self.code!r}: a fact bound to units is a number")
        return self


class Category(Strict):
    code: Code
    group: str = Field(min_length=1, max_length=16, description="e.g. A, B, C in the phone maker's table")
    label: Text
    description: Text | None = None
    target: Code | None = Field(default=None, description="the target this category usually concerns")
    about_staff: bool = Field(default=False, description="complaint about a member of staff (judgement)")
    facts: list[Fact] = Field(default_factory=list)
    department: Code | None = Field(
        default=None,
        description="the department complaints of this category go to (batch quality → quality)",
    )


class ReasonNode(Strict):
    """One node of the reason taxonomy. ``department`` names the body responsible for this reason
    (and, unless a deeper node names another, for every reason below it): a complaint with this
    root cause is routed there."""

    code: Code
    label: Text
    department: Code | None = None
    children: list[ReasonNode] = Field(default_factory=list)


class Reasons(Strict):
    """Reason taxonomy: the agent picks ``intake_depth`` levels at registration; the handler
    confirms the root cause at ``root_cause_depth``."""

    intake_depth: int = Field(default=1, ge=1, le=4)
    root_cause_depth: int = Field(default=1, ge=1, le=5)
    tree: list[ReasonNode] = Field(min_length=1)

    @model_validator(mode="after")
    def _depths(self) -> Reasons:
        if self.root_cause_depth < self.intake_depth:
            raise ValueError("root_cause_depth must be at least intake_depth")
        return self


class Department(Strict):
    code: Code
    kind: str = Field(min_length=1, max_length=32)
    label: Text
    work_order_due: Duration
    urgent_due: Duration | None = None


