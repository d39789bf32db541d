"""The website company (seed 002 客户投诉处理流程及管理办法) replayed through the services: the level
follows the cause (四: a grumble, the service staff, the network or system), QQ and community posts
are doors with their account, and a reply not given goes up the order of handlers (五.2①: to the
room manager, then the centre's general manager — the level, which names the cause, stays)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from followup_kit import SH, any_registration

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from orgkit import install_org

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=SH)


def register(org: Any, category: str, phone: str, **overrides: Any) -> Any:
    data = any_registration(org.policy, category)
    data["customer"]["phone"] = phone
    data.update(overrides)
    return complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(), now=MONDAY)


def test_the_level_follows_the_cause(db: Any) -> None:
    site = install_org("website")
    assert register(site, "rules_experience", "13912345670").suggested_level == "level_1"
    assert register(site, "staff_service", "13912345671").suggested_level == "level_2"
    assert register(site, "system_fault", "13912345672").suggested_level == "level_3"
    posted = register(site, "rules_experience", "13912345673", description="用户说要发到微博上曝光")
    assert posted.suggested_level == "level_3"


def test_a_qq_complaint_records_the_qq_number(db: Any) -> None:
    site = install_org("website")
    complaint = register(site, "rules_experience", "13912345674", channel="qq", case_origin="123456789")
    assert complaint.channel == "qq" and complaint.case_origin == "123456789"


def test_a_reply_not_given_goes_up_the_order(db: Any) -> None:
    site = install_org("website")
    complaint = register(site, "rules_experience", "13912345675")
    reply = Clock.objects.get(complaint=complaint, code="reply")
    assert reply.due_at == datetime(2026, 11, 17, 18, 0, tzinfo=SH)  # 1wd: the end of Tuesday's hours
    sweep(now=datetime(2026, 11, 17, 18, 0, tzinfo=SH))
    # 三: the room manager takes it over; the level still names the cause (a grumble stays a grumble)
    after = Complaint.objects.get(pk=complaint.pk)
    assert (after.owner, after.level) == (site["supervisor"], "level_1")
    assert after.timeline.filter(kind="handover").count() == 1
    sweep(now=datetime(2026, 11, 18, 18, 0, tzinfo=SH))  # 2wd: then the centre's general manager
    last = Complaint.objects.get(pk=complaint.pk)
    assert (last.owner, last.level) == (site["cs_head"], "level_1")
