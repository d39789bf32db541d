"""A policy per unit, inherited, within head office's fixed rules: install, refuse a loosening
(nothing installed), remove; each complaint keeps the version of the unit that registered it; the
command line (``policy install FILE --unit``, ``policy show --unit``, ``policy remove --unit``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from complaintdesk.cli import main
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.errors import PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent, PolicyVersion
from complaintdesk.units.models import Unit
from complaintdesk.units.policies import inherited_version, unit_version
from complaintdesk.units.services import unit_policy_install, unit_policy_remove
from orgkit import install_org, valid_registration
from unittree import build_tree, install_inactive, variant

pytestmark = pytest.mark.django_db


def test_a_unit_without_its_own_policy_follows_the_nearest_above(org: Any) -> None:
    tree = build_tree()
    assert unit_version(tree["dealer-a"]) == org.version
    east = unit_policy_install(actor=None, unit="east", loaded=variant("phone_maker", "2026.9-east"))
    assert unit_version(Unit.objects.get(code="dealer-a")) == east
    assert inherited_version(Unit.objects.get(code="dealer-a")) == east
    assert unit_version(Unit.objects.get(code="dealer-c")) == org.version
    assert PolicyVersion.objects.get(active=True) == org.version  # not made the installation's policy


def test_a_complaint_keeps_its_version_when_the_units_policy_changes(org: Any) -> None:
    tree = build_tree()
    first = unit_policy_install(actor=None, unit="dealer-a", loaded=variant("phone_maker", "2026.9-a1"))
    earlier = complaint_register(actor=tree.users["agent_a"], data=ComplaintIn(**valid_registration()).to_input())
    second = unit_policy_install(actor=None, unit="dealer-a", loaded=variant("phone_maker", "2026.9-a2"))
    later = complaint_register(actor=tree.users["agent_a"], data=ComplaintIn(**valid_registration()).to_input())
    assert earlier.policy_version == first and later.policy_version == second
    earlier.refresh_from_db()
    assert earlier.policy_version == first
    assert unit_policy_remove(actor=None, unit="dealer-a") == org.version
    again = complaint_register(actor=tree.users["agent_a"], data=ComplaintIn(**valid_registration()).to_input())
    assert again.policy_version == org.version
    earlier.refresh_from_db()
    assert earlier.policy_version == first
    actions = list(AuditEvent.objects.filter(action__startswith="unit.policy").values_list("action", flat=True))
    assert actions == ["unit.policy_install", "unit.policy_install", "unit.policy_remove"]


@pytest.fixture
def dealers(db: Any) -> Any:
    org = install_org("dealer_network")
    build_tree()
    return org


def test_a_stricter_dealer_policy_is_installed(dealers: Any) -> None:
    version = unit_policy_install(actor=None, unit="dealer-a",
                                  loaded=variant("dealer_network", "2026.1-a", ("duration: 48h", "duration: 36h")))
    assert Unit.objects.get(code="dealer-a").policy_version == version


def test_a_loosening_is_refused_naming_the_path_and_both_values_and_nothing_is_installed(dealers: Any) -> None:
    looser = variant("dealer_network", "2026.1-a", ("duration: 48h", "duration: 72h"),
                     ("{up_to: 5000, role: cs_head}", "{up_to: 8000, role: cs_head}"))
    with pytest.raises(ValidationFailed) as exc:
        unit_policy_install(actor=None, unit="dealer-a", loaded=looser)
    problems = {p.field: str(p.message) for p in exc.value.problems}
    assert problems == {
        "clocks.escalate_to_hq.duration": "clocks.escalate_to_hq.duration is fixed by the inherited policy "
                                          "dealer_network 2026.1: it is 48h there and may not be loosened to 72h.",
        "approval.limits.1.up_to": "approval.limits.1.up_to is fixed by the inherited policy dealer_network 2026.1: "
                                   "it is 5000 there and may not be loosened to 8000.",
    }
    assert not PolicyVersion.objects.filter(version="2026.1-a").exists()
    assert Unit.objects.get(code="dealer-a").policy_version is None
    assert not AuditEvent.objects.filter(action="unit.policy_install").exists()


def test_the_refusal_reads_in_the_users_language(dealers: Any) -> None:
    looser = variant("dealer_network", "2026.1-a", ("duration: 48h", "duration: 2d"))
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as exc:
        unit_policy_install(actor=None, unit="dealer-a", loaded=looser)
    with translation.override("zh-hans"):
        [message] = [str(p.message) for p in exc.value.problems]
    assert message == ("clocks.escalate_to_hq.duration 由上级政策 dealer_network 2026.1 固定：上级为 48h，"
                       "只能保持或更严格，不能改为 2d。")


def test_dropping_a_fixed_mark_is_refused(dealers: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        unit_policy_install(actor=None, unit="dealer-b",
                            loaded=variant("dealer_network", "2026.1-b", ("  - approval.limits\n", "")))
    assert [p.field for p in exc.value.problems] == ["fixed"]


def test_a_region_policy_binds_the_dealers_below_it(dealers: Any) -> None:
    # the region keeps head office's rules and fixes one more: the dealers' 24-hour response stays 24h
    region = variant("dealer_network", "2026.1-east", ("duration: 48h", "duration: 40h"))
    unit_policy_install(actor=None, unit="east", loaded=region)
    with pytest.raises(ValidationFailed) as exc:
        unit_policy_install(actor=None, unit="dealer-a",
                            loaded=variant("dealer_network", "2026.1-a", ("duration: 48h", "duration: 44h")))
    assert "it is 40h there and may not be loosened to 44h" in str(exc.value.problems[0].message)


def test_a_new_region_rule_may_not_leave_a_dealer_policy_below_breaking_it(dealers: Any) -> None:
    unit_policy_install(actor=None, unit="dealer-a",
                        loaded=variant("dealer_network", "2026.1-a", ("duration: 48h", "duration: 44h")))
    with pytest.raises(ValidationFailed) as exc:
        unit_policy_install(actor=None, unit="east",
                            loaded=variant("dealer_network", "2026.1-east", ("duration: 48h", "duration: 40h")))
    [message] = [str(p.message) for p in exc.value.problems]
    assert message.startswith("dealer-a's own policy dealer_network 2026.1-a breaks the new fixed rule "
                              "clocks.escalate_to_hq.duration (44h there, 40h here)")
    assert Unit.objects.get(code="east").policy_version is None
    assert not PolicyVersion.objects.filter(version="2026.1-east").exists()


def test_only_the_administrator_installs_a_unit_policy(dealers: Any) -> None:
    from complaintdesk.accounts.models import User

    with pytest.raises(PermissionDenied):
        unit_policy_install(actor=User.objects.get(username="sup_a"), unit="dealer-a",
                            loaded=variant("dealer_network", "2026.1-a"))
    version = unit_policy_install(actor=User.objects.get(username="admin"), unit="dealer-a",
                                  loaded=variant("dealer_network", "2026.1-a"))
    assert Unit.objects.get(code="dealer-a").policy_version == version


def test_removing_without_an_own_policy_is_refused(dealers: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        unit_policy_remove(actor=None, unit="dealer-a")
    assert [p.field for p in exc.value.problems] == ["unit"]


def test_the_command_line(dealers: Any, tmp_path: Path, capsys: Any) -> None:
    good = tmp_path / "dealer-a.yaml"
    good.write_text(variant("dealer_network", "2026.1-a", ("duration: 48h", "duration: 30h")).text, encoding="utf-8")
    bad = tmp_path / "dealer-b.yaml"
    bad.write_text(variant("dealer_network", "2026.1-b", ("duration: 48h", "duration: 96h")).text, encoding="utf-8")
    assert main(["policy", "install", str(good), "--unit", "dealer-a"]) == 0
    assert "installed for unit dealer-a: dealer_network 2026.1-a" in capsys.readouterr().out
    assert main(["policy", "install", str(bad), "--unit", "dealer-b"]) == 1
    assert "clocks.escalate_to_hq.duration" in capsys.readouterr().err
    assert main(["policy", "show", "--unit", "dealer-a"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Unit dealer-a — Dealer A: dealer_network 2026.1-a (its own policy)")
    assert "Fixed by the units above: clocks.dealer_response.duration" in shown
    assert main(["policy", "show", "--unit", "dealer-b", "--language", "zh-hans"]) == 0
    assert capsys.readouterr().out.startswith("单位 dealer-b — 经销商B: dealer_network 2026.1 (沿用上级政策： 总部)")
    assert main(["policy", "remove", "--unit", "dealer-a"]) == 0
    assert "unit dealer-a follows dealer_network 2026.1" in capsys.readouterr().out


def test_install_inactive_helper_keeps_the_active_version(org: Any) -> None:
    own = install_inactive(variant("phone_maker", "2026.9-x"))
    assert not PolicyVersion.objects.get(pk=own.pk).active
