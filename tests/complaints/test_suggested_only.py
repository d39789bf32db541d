"""``suggested_only`` (PC maker, seed 001 4.5: "重大、恶性投诉定义: 符合以下条件中的任意一条,并通过投诉流程中的
前6种方案无法得到妥善解决的投诉事件"): a media or court complaint is suggested major, but it is registered
normal — the quality department hears of the suggestion — until the specialist escalates it once the
first six solutions failed. Through the services, the amendment and the registration preview."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from workkit import act, register

from complaintdesk.complaints.display import timeline_text
from complaintdesk.complaints.inputs import AmendmentInput
from complaintdesk.complaints.services.amend import complaint_amend
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.notify.models import Message
from complaintdesk.policy import rules
from complaintdesk.policy.load import load_preset
from complaintdesk.policy.schema import Policy
from orgkit import install_org

MEDIA = "用户说要找记者曝光"


@pytest.fixture
def pc(db: Any) -> Any:
    return install_org("pc_maker")


def test_a_media_complaint_is_suggested_major_and_registered_normal(pc: Any) -> None:
    complaint = register(pc["agent"], description=MEDIA)
    assert (complaint.suggested_level, complaint.level, complaint.level_override_reason) == ("major", "normal", "")
    assert not AuditEvent.objects.filter(action="complaint.level_override").exists()
    entry = complaint.timeline.get(kind="level_to_confirm")
    with translation.override("zh-hans"):
        assert "重大、恶性投诉" in timeline_text(entry, pc.policy) and "一般投诉" in timeline_text(entry, pc.policy)
    with translation.override("en"):
        assert timeline_text(entry, pc.policy) == (
            "The policy's rules suggest Major / malignant complaint, a level a person confirms: the complaint stays "
            "Normal complaint until it is escalated.")
    # the quality department (the major level's supervisor) hears of the suggestion at once
    assert Message.objects.filter(recipient_user=pc["quality"], kind="registered_suggested_level",
                                  complaint=complaint).exists()
    assert complaint.major_opened_at is None

    # tiers ①–⑥ failed: the specialist escalates, with the reason
    act(pc["specialist"], complaint, "accept")
    escalated = act(pc["specialist"], complaint, "escalate", level="major", reason="前6种方案均未能解决")
    assert escalated.level == "major" and escalated.major_opened_at is not None


def test_the_agent_may_choose_either_level_without_a_reason(pc: Any) -> None:
    assert register(pc["agent"], description=MEDIA, level="normal").level == "normal"
    chosen = register(pc["agent"], description=MEDIA, level="major")
    assert (chosen.level, chosen.level_override_reason) == ("major", "")
    assert not chosen.timeline.filter(kind="level_to_confirm").exists()


def test_an_amendment_that_brings_the_suggestion_does_not_raise_the_level(pc: Any) -> None:
    complaint = register(pc["agent"])
    assert complaint.level == complaint.suggested_level == "normal"
    amended = complaint_amend(actor=pc["agent"], number=complaint.number,
                              data=AmendmentInput(description=f"{complaint.description}。{MEDIA}"))
    assert (amended.suggested_level, amended.level) == ("major", "normal")


def test_the_registration_preview_says_a_person_confirms(pc: Any, client: Any) -> None:
    client.force_login(pc["agent"])
    for language, text in (("en", "A person confirms this level: the complaint is registered as Normal complaint"),
                           ("zh-hans", "一般投诉")):
        page = client.post("/complaints/new/preview/", {"category": pc.policy.categories[0].code,
                                                         "description": MEDIA},
                           HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'data-level="major"' in page and 'data-testid="level-to-confirm"' in page and text in page
        # why the rules suggest it, as the reader says it (not the rule's codes)
        assert ("关键词“记者”" if language == "zh-hans" else "the words “记者”") in page and "keyword:" not in page


def test_the_level_applied_is_the_highest_below_that_is_not_only_suggested() -> None:
    policy = load_preset("pc_maker").policy
    assert rules.applied_level(policy, "major") == "normal" and rules.applied_level(policy, "normal") == "normal"
    data = policy.model_dump(mode="json")
    for level in data["levels"]:
        level["suggested_only"] = True
    every = Policy.model_validate(data)  # nothing below: the default level
    assert rules.applied_level(every, "major") == every.default_level == "normal"
    assert not load_preset("phone_maker").policy.level("crisis").suggested_only


def test_an_unknown_level_is_still_refused(pc: Any) -> None:
    with pytest.raises(ValidationFailed) as info:
        register(pc["agent"], description=MEDIA, level="urgent")
    assert "level" in {p.field for p in info.value.problems}
