"""Roles that follow a level beside its supervisor (``levels[].followed_by``). Seed 004 (IPTV) 3.3:
"客服质量监控经理 负责跟进督办“橙色(严重)”及以上级别的升级投诉工单" — the quality-control manager
follows orange *and above*, while red is the head of customer service's (3.4). A red complaint is
therefore in the QC manager's supervision queue, the QC manager hears of its registration, of an
escalation to red and of its clocks' notices to ``level_supervisor``, and may report it up; the
compensation limit of red stays the head of customer service's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from workkit import act, notices, register

from complaintdesk.clocks.actions import recipients
from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.selectors.supervision import supervised_complaints, supervised_levels
from complaintdesk.policy.rules import level_standard, registration_notices
from complaintdesk.policy.schema import Role
from orgkit import install_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: Any) -> Any:
    return install_org("iptv")


def test_the_qc_manager_supervises_orange_and_above(org: Any) -> None:
    assert supervised_levels(org["qc_manager"]) == ["orange", "red"]
    assert supervised_levels(org["supervisor"]) == ["yellow"]
    assert org.policy.level("red").supervising_roles() == (Role.CS_HEAD, Role.QC_MANAGER)
    # registering at red tells both; at orange the QC manager alone
    assert registration_notices(org.policy, "red", "red") == [("registered_at_level", Role.CS_HEAD),
                                                              ("registered_at_level", Role.QC_MANAGER)]
    assert registration_notices(org.policy, "orange", "red") == [("registered_at_level", Role.QC_MANAGER),
                                                                 ("registered_suggested_level", Role.CS_HEAD)]
    # the compensation standard of red is still the head of customer service's
    assert level_standard(org.policy, "red", Decimal("800")) == Role.CS_HEAD


def test_a_red_complaint_reaches_the_qc_manager(org: Any) -> None:
    red = register(org["agent"], level="red", level_override_reason="Filmed by a TV station")
    orange = register(org["agent"], level="orange", level_override_reason="From the consumer council")
    queue = set(supervised_complaints(org["qc_manager"]).values_list("number", flat=True))
    assert {red.number, orange.number} <= queue
    assert red.number not in set(supervised_complaints(org["supervisor"]).values_list("number", flat=True))
    assert [m.complaint_id for m in notices(org["qc_manager"], "registered_at_level")] == [red.pk, orange.pk]
    assert [m.complaint_id for m in notices(org["cs_head"], "registered_at_level")] == [red.pk]
    # an escalation from orange to red tells the head of customer service and the QC manager again
    act(org["qc_manager"], orange, "escalate", level="red", reason="The customer went to the press")
    assert [m.complaint_id for m in notices(org["cs_head"], "escalated")] == [orange.pk]
    assert [m.complaint_id for m in notices(org["qc_manager"], "escalated")] == [orange.pk]


def test_a_clock_notice_to_the_level_supervisor_names_both(org: Any) -> None:
    red = register(org["agent"], level="red", level_override_reason="Filmed by a TV station")
    clock = Clock.objects.filter(complaint=red).first()
    assert clock is not None
    users = recipients(["level_supervisor"], complaint=red, policy=org.policy, clock=clock)
    assert {user.username for user in users} == {"cs_head", "qc_manager"}
    yellow = register(org["agent"], level="yellow", level_override_reason="Third call this week")
    clock = Clock.objects.filter(complaint=yellow).first()
    assert clock is not None
    users = recipients(["level_supervisor"], complaint=yellow, policy=org.policy, clock=clock)
    assert {user.username for user in users} == {"supervisor"}


@pytest.mark.parametrize(("language", "levels"), [("zh-hans", "橙色（严重）、红色（重大）"),
                                                  ("en", "Orange (severe), Red (major)")])
def test_the_supervision_page_names_both_levels_in_the_readers_language(org: Any, client: Any, language: str,
                                                                         levels: str) -> None:
    client.force_login(org["qc_manager"])
    client.cookies["django_language"] = language
    page = client.get("/supervision/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert levels in page
