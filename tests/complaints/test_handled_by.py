"""``handled_by`` (community hotline, seed 002 四: "不允许私下自行处理或让别人代为处理 … 请第一时间将工单
提交部门主管;交由部门主管来处理"): whoever registers a complaint hands it at once to the department
supervisor, and the representative does not take it back. Through the services, every door."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from workkit import act, registration_for

from complaintdesk.accounts.services import user_create
from complaintdesk.complaints.models import Complaint, OwnershipChange
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.intake import complaint_register_public
from complaintdesk.complaints.services.lifecycle import transition_targets
from complaintdesk.complaints.timeline import describe
from complaintdesk.core.errors import PermissionDenied
from complaintdesk.notify.models import Message
from complaintdesk.policy.load import load_preset
from complaintdesk.policy.schema import Policy, Role
from orgkit import install_org


@pytest.fixture
def hotline(db: Any) -> Any:
    return install_org("community_hotline")


def register_as(org: Any, user: Any) -> Complaint:
    data = registration_for(org.policy, category=org.policy.categories[0].code)
    return complaint_register(actor=user, data=ComplaintIn(**data).to_input())


def test_the_representatives_complaint_goes_to_the_least_loaded_supervisor(hotline: Any) -> None:
    assert hotline.policy.handled_by == Role.SUPERVISOR
    second = user_create(actor=None, username="supervisor2", password="correct-horse-battery",
                         roles=[Role.SUPERVISOR], first_name="Second", last_name="Supervisor", language="en")
    first = register_as(hotline, hotline["agent"])
    assert first.owner == hotline["supervisor"] and first.registered_by == hotline["agent"]
    following = register_as(hotline, hotline["agent"])  # the first supervisor has one open complaint now
    assert following.owner == second

    change = OwnershipChange.objects.get(complaint=first)
    assert (change.from_user, change.to_user, change.by, change.reason) == (
        hotline["agent"], hotline["supervisor"], hotline["agent"], "handled_by")
    entry = first.timeline.get(kind="handover")
    with translation.override("zh-hans"):
        assert "政策规定每件投诉由部门主管处理" in describe(entry, hotline.policy)
    with translation.override("en"):
        assert "the policy gives every complaint to the Department supervisor" in describe(entry, hotline.policy)
    assert Message.objects.filter(recipient_user=hotline["supervisor"], kind="handover", complaint=first).exists()


def test_the_representative_may_not_take_it_back_the_supervisor_accepts(hotline: Any) -> None:
    complaint = register_as(hotline, hotline["agent"])
    assert "accept" not in transition_targets(hotline["agent"], complaint)  # no button the service refuses
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as info:
        act(hotline["agent"], complaint, "accept")
    assert "部门主管" in str(info.value.message) and hotline["supervisor"].display_name() in str(info.value.message)
    complaint.refresh_from_db()
    assert complaint.status == "registered" and complaint.owner == hotline["supervisor"]
    accepted = act(hotline["supervisor"], complaint, "accept")
    assert accepted.status == "accepted" and accepted.owner == hotline["supervisor"]
    # 五.1: the service-supervision team (the specialists) handles ordinary complaints in the chain
    other = register_as(hotline, hotline["agent"])
    assert act(hotline["specialist"], other, "accept").owner == hotline["specialist"]


def test_a_supervisor_who_registers_keeps_it_and_nobody_to_hand_to_leaves_it_with_the_registrant(
        hotline: Any) -> None:
    own = register_as(hotline, hotline["supervisor"])
    assert own.owner == hotline["supervisor"] and not OwnershipChange.objects.filter(complaint=own).exists()
    hotline["supervisor"].is_active = False
    hotline["supervisor"].save()
    kept = register_as(hotline, hotline["agent"])
    assert kept.owner == hotline["agent"] and not kept.timeline.filter(kind="handover").exists()


def test_the_portal_door_hands_it_over_too(hotline: Any) -> None:
    data = registration_for(hotline.policy, category=hotline.policy.categories[0].code)
    complaint = complaint_register_public(owner=hotline["agent"], data=ComplaintIn(**data).to_input(), door="portal")
    assert complaint.owner == hotline["supervisor"] and complaint.registered_by == hotline["agent"]
    assert OwnershipChange.objects.get(complaint=complaint).by is None


def test_without_the_key_the_registrant_owns_and_accepts(db: Any) -> None:
    pc = install_org("pc_maker")
    assert pc.policy.handled_by is None
    complaint = register_as(pc, pc["agent"])
    assert complaint.owner == pc["agent"]
    assert act(pc["agent"], complaint, "accept").owner == pc["agent"]


def test_only_a_role_that_owns_complaints_may_handle_them() -> None:
    data = load_preset("community_hotline").policy.model_dump(mode="json")
    with pytest.raises(ValueError, match="may not own complaints"):
        Policy.model_validate({**data, "handled_by": "vp"})
