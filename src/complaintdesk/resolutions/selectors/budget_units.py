"""The budgets a reader sees, per unit: the ledgers of the units they belong to (and below them),
and the ledger their own units' costs draw on; one of them chosen (``unit=<code>``) in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from complaintdesk.core.errors import NotFound
from complaintdesk.policy.schema import Policy
from complaintdesk.resolutions.selectors.budget import (
    BudgetPosition,
    BudgetReport,
    budget_position,
    budget_report,
    budget_unit,
    ledger_units,
    month_of,
)
from complaintdesk.units.models import Unit
from complaintdesk.units.policies import unit_policy
from complaintdesk.units.scope import scope_q, top_paths


@dataclass(frozen=True)
class LedgerRow:
    unit: Unit
    policy: Policy
    position: BudgetPosition


@dataclass(frozen=True)
class BudgetOverview:
    unit: Unit
    policy: Policy
    month: str
    report: BudgetReport | None
    rows: list[LedgerRow]


def readable_ledgers(user: Any) -> list[Unit]:
    """The ledgers ``user`` reads, in tree order: every ledger unit in the user's units or below
    them, and the ledger each of the user's units draws on (a store without its own policy draws
    on its region's or head office's budget)."""
    paths = top_paths(user)
    found = {unit.pk: unit for unit in ledger_units() if any(unit.path.startswith(path) for path in paths)}
    for top in Unit.objects.filter(path__in=paths):
        ledger = budget_unit(top)
        found.setdefault(ledger.pk, ledger)
    return sorted(found.values(), key=lambda unit: unit.ancestor_ids())


def default_month(user: Any, now: datetime) -> str:
    ledgers = readable_ledgers(user)
    _version, policy = unit_policy(ledgers[0] if ledgers else None)
    return month_of(now, policy)


def budget_overview(user: Any, month: str, now: datetime, *, unit: str = "") -> BudgetOverview:
    """Every readable ledger's position in ``month`` and the full report of one (``unit``, a unit
    code; default the first in tree order). A unit the reader does not read is not found."""
    ledgers = readable_ledgers(user)
    if not ledgers:
        raise NotFound(_("You read no budget."))
    chosen = ledgers[0]
    if unit.strip():
        match = next((ledger for ledger in ledgers if ledger.code == unit.strip()), None)
        if match is None:
            raise NotFound(_("There is no budget of the unit %(code)s among your units.") % {"code": unit})
        chosen = match
    rows: list[LedgerRow] = []
    chosen_policy: Policy | None = None
    for ledger in ledgers:
        _version, policy = unit_policy(ledger)
        if ledger.pk == chosen.pk:
            chosen_policy = policy
        position = budget_position(policy, month, now, unit=ledger)
        if position is not None:
            rows.append(LedgerRow(unit=ledger, policy=policy, position=position))
    if chosen_policy is None:  # pragma: no cover - the chosen unit is one of the ledgers
        raise NotFound(_("You read no budget."))
    report = budget_report(chosen_policy, month, now, unit=chosen, complaints=scope_q(user, "complaint__unit"))
    return BudgetOverview(unit=chosen, policy=chosen_policy, month=month, report=report, rows=rows)
