"""Solutions, costs, the approval matrix, petty cash, the budget, legal and the major team."""

from __future__ import annotations

import itertools
from decimal import Decimal

from pydantic import Field, field_validator, model_validator

from complaintdesk.policy.schema.base import (
    Code,
    Duration,
    Role,
    Strict,
    Text,
)
from complaintdesk.policy.schema.intake import (
    FactType,
    Option,
)


class SolutionTier(Strict):
    code: Code
    rank: int = Field(ge=1)
    label: Text
    description: Text | None = None
    approver: Role | None = Field(default=None, description="this tier always needs this approver")
    reviewed_by: Role | None = Field(
        default=None,
        description=("reviews the tier's plans before its approver decides (001 ⑥: the VP reviews, the legal "
                     "office approves the same day)"),
    )
    condition: Text | None = None


class CostKind(Strict):
    code: Code
    label: Text
    counts_against_budget: bool = True


class AuthorityLimit(Strict):
    up_to: Decimal | None = Field(default=None, ge=0, description="inclusive; none = no upper limit")
    role: Role


class ApprovalMatrix(Strict):
    """Who may approve what amount: the first limit whose ``up_to`` is at least the amount.
    With ``chain: true`` every holder from the first limit above the author's own up to that one
    approves in turn."""

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    limits: list[AuthorityLimit] = Field(min_length=1)
    chain: bool = False

    @field_validator("limits")
    @classmethod
    def _ascending(cls, limits: list[AuthorityLimit]) -> list[AuthorityLimit]:
        if any(limit.up_to is None for limit in limits[:-1]):
            raise ValueError("only the last approval limit may be without an upper bound")
        bounded = [limit.up_to for limit in limits if limit.up_to is not None]
        for before, after in itertools.pairwise(bounded):
            if after <= before:
                raise ValueError(
                    "approval limits must be listed in strictly ascending order of up_to "
                    f"({after} comes after {before})"
                )
        roles = [limit.role for limit in limits]
        for role in roles:
            if roles.count(role) > 1:
                raise ValueError(f"role {role.value!r} is listed more than once in the limits")
        return limits


class PettyCash(Strict):
    """Small payouts made at once by the front line: each payer up to the smaller of ``limit`` and
    their own authority in the approval matrix, with a voucher, countersigned afterwards."""

    limit: Decimal = Field(ge=0)
    payer_roles: list[Role] = Field(min_length=1)
    countersign_role: Role
    countersign_within: Duration
    voucher_required: bool = True
    kinds: list[Code] = Field(
        default_factory=list,
        description="cost kinds that may be paid from petty cash; empty = every cost kind",
    )


class Budget(Strict):
    monthly: Decimal = Field(gt=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    kinds: list[Code] = Field(min_length=1)
    over_budget_escalate_to: Role


class AgreementKind(Option):
    """A kind of settlement agreement; a written one is attached as a file, an oral one is recorded
    by its terms."""

    written: bool = True


class ConsultationField(Strict):
    """A field of the legal consultation form: validated by its type, required unless said otherwise."""

    code: Code
    type: FactType = FactType.TEXT
    label: Text
    required: bool = True
    options: list[Option] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ConsultationField:
        if self.type == FactType.CHOICE and not self.options:
            raise ValueError(f"field {self.code!r} is a choice but has no options")
        if self.type != FactType.CHOICE and self.options:
            raise ValueError(f"field {self.code!r} has options but its type is {self.type.value}")
        return self


class Legal(Strict):
    consultation_fields: list[ConsultationField] = Field(min_length=1)
    urgent_filing_within: Duration
    outcome_report_within: Duration
    agreement_kinds: list[AgreementKind] = Field(default_factory=list)


class MajorTeam(Strict):
    members: list[Role] = Field(min_length=1)
    chair: Role
    departments: list[Code] = Field(
        default_factory=list,
        description="departments that send a member to the team: their handlers are told when it opens",
    )


