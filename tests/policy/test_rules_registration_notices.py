"""Who hears of a registration at once (rules.registration_notices): the supervisors of the level it
was registered at, and of the level the policy suggested when another was chosen — above the first
level only. Pure: answered from the policy alone."""

from __future__ import annotations

import pytest

from complaintdesk.policy.load import load_preset, preset_names
from complaintdesk.policy.rules import registration_notices
from complaintdesk.policy.schema import Role


def test_the_phone_makers_levels() -> None:
    policy = load_preset("phone_maker").policy
    assert registration_notices(policy, "general", "general") == []
    assert registration_notices(policy, "crisis", "crisis") == [("registered_at_level", Role.CS_HEAD)]
    assert registration_notices(policy, "major", "general") == [("registered_at_level", Role.QC_MANAGER)]
    # chosen below the suggestion: the suggested level's supervisors still hear of it
    assert registration_notices(policy, "general", "crisis") == [("registered_suggested_level", Role.CS_HEAD)]
    assert registration_notices(policy, "major", "crisis") == [("registered_at_level", Role.QC_MANAGER),
                                                               ("registered_suggested_level", Role.CS_HEAD)]


def test_a_role_is_told_once_when_both_levels_share_it() -> None:
    policy = load_preset("phone_maker").policy
    levels = [lv.model_copy(update={"supervisor": Role.QC_MANAGER}) if lv.code == "crisis" else lv
              for lv in policy.levels]
    shared = policy.model_copy(update={"levels": levels})
    assert registration_notices(shared, "major", "crisis") == [("registered_at_level", Role.QC_MANAGER)]


def test_a_suggestion_above_a_first_level_registration_tells_the_suggested_levels_supervisor() -> None:
    policy = load_preset("scenic_area").policy  # the first two levels share the supervisor role
    first, second = policy.levels_by_rank()[:2]
    assert registration_notices(policy, first.code, second.code) == [("registered_suggested_level",
                                                                      second.supervisor)]


@pytest.mark.parametrize("name", preset_names())
def test_no_preset_notifies_on_a_first_level_registration(name: str) -> None:
    policy = load_preset(name).policy
    first = policy.levels_by_rank()[0].code
    assert registration_notices(policy, first, first) == []
    for level in policy.levels_by_rank()[1:]:
        notices = registration_notices(policy, level.code, level.code)
        assert notices == [("registered_at_level", role) for role in level.supervising_roles()]
