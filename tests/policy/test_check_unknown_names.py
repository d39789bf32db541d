"""``complaintdesk policy check`` refuses a trigger, a solution tier or a route that names something
the policy does not define — each printed as ``file:line: path: message`` with exit status 1."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from policy_testkit import MINI, line_of, replace_once, write

from complaintdesk.policy.check import check

EXTRA = """\
return_visit:
  due: 48h
  scale:
    - {code: happy, label: {zh: 满意, en: Happy}, outcome: close}
    - {code: unhappy, label: {zh: 不满意, en: Unhappy}, outcome: dealer}
  callback_failed: {attempts: 3, distinct_days: 3}
  dealer_department: sc
petty_cash:
  limit: 50
  payer_roles: [agent]
  countersign_role: supervisor
  countersign_within: 1wd
  kinds: [gift]
cost_kinds:
  - {code: gift, label: {zh: 礼品, en: Gift}}
"""


def refused(tmp_path: Path, old: str, new: str, needle: str) -> str:
    """Check MINI (+ EXTRA) with ``old`` replaced by ``new``: the one problem, at the line of ``needle``."""
    text = replace_once(MINI + EXTRA, old, new)
    path = write(tmp_path, text)
    out = io.StringIO()
    assert check([str(path)], out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 1, lines
    prefix = f"{path}:{line_of(text, needle)}: "
    assert lines[0].startswith(prefix), lines[0]
    return lines[0][len(prefix):]


def test_the_base_text_checks_clean(tmp_path: Path) -> None:
    out = io.StringIO()
    assert check([str(write(tmp_path, MINI + EXTRA))], out) == 0


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    level: mid\n    label: {zh: 在线", "    level: severe\n    label: {zh: 在线",
     "triggers[1].level: unknown level 'severe'; known: high, low, mid"),
    ("    flags: [online]\n  - code: hazard", "    flags: [offline]\n  - code: hazard",
     "triggers[1].flags[0]: unknown flag 'offline'; known: hazard, online"),
    ("    channels: [press]", "    channels: [radio]",
     "triggers[3].channels[0]: unknown channel 'radio'; known: phone, press, web"),
    ("    special_identities: [vip]", "    special_identities: [king]",
     "triggers[4].special_identities[0]: unknown special identity 'king'; known: vip"),
    ("    categories: [dealer]", "    categories: [reseller]",
     "triggers[6].categories[0]: unknown category 'reseller'; known: dealer, product"),
])
def test_a_trigger_naming_something_unknown(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert refused(tmp_path, old, new, new.splitlines()[0].strip()) == message


def test_a_fact_required_through_an_unknown_door(tmp_path: Path) -> None:
    old = "      - {code: model, field: product.model, note_allowed: false"
    new = "      - {code: model, channels: [fax], field: product.model, note_allowed: false"
    message = refused(tmp_path, old, new, "channels: [fax]")
    assert message == "categories[0].facts[0].channels[0]: unknown channel 'fax'; known: phone, press, web"


def test_a_clock_for_an_unknown_tier(tmp_path: Path) -> None:
    new = "    promise: true\n    applies: {tiers: [miracle]}\n"
    message = refused(tmp_path, "    promise: true\n", new, "applies: {tiers: [miracle]}")
    assert message == "clocks[0].applies.tiers[0]: unknown solution tier 'miracle'"


def test_a_tier_with_an_unknown_approver(tmp_path: Path) -> None:
    message = refused(tmp_path, "approver: vp, label: {zh: 换货", "approver: boss, label: {zh: 换货", "approver: boss")
    assert message == ("solution_tiers[1].approver: Input should be 'agent', 'specialist', 'handler', 'supervisor', "
                       "'qc_manager', 'cs_head', 'vp', 'gm', 'legal', 'quality' or 'admin'")


def test_a_tier_paid_from_an_unknown_cost_kind(tmp_path: Path) -> None:
    message = refused(tmp_path, "  kinds: [gift]\n", "  kinds: [voucher]\n", "kinds: [voucher]")
    assert message == "petty_cash.kinds[0]: unknown cost kind 'voucher'; known: gift"


@pytest.mark.parametrize(("old", "new", "needle", "message"), [
    ("      department: sc\n", "      department: factory\n", "department: factory",
     "reasons.tree[0].department: unknown department 'factory'; known: hq, sc"),
    ("{code: screen, label: {zh: 屏幕, en: Screen}, department: hq}",
     "{code: screen, label: {zh: 屏幕, en: Screen}, department: lab}", "department: lab",
     "reasons.tree[0].children[1].department: unknown department 'lab'; known: hq, sc"),
    ("    target: store\n", "    target: store\n    department: warehouse\n", "department: warehouse",
     "categories[1].department: unknown department 'warehouse'; known: hq, sc"),
    ("    target: store\n", "    target: kiosk\n", "target: kiosk",
     "categories[1].target: unknown target 'kiosk'; known: company, product, store"),
    ("  dealer_department: sc\n", "  dealer_department: dealer\n", "dealer_department: dealer",
     "return_visit.dealer_department: unknown department 'dealer'; known: hq, sc"),
])
def test_a_route_to_something_unknown(tmp_path: Path, old: str, new: str, needle: str, message: str) -> None:
    assert refused(tmp_path, old, new, needle) == message
