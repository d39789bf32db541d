"""The securities branch (seed 002 证券营业部客户投诉处理规范) replayed through the services: the reply
is due by 15:30 the same day or by the end of the next working day (第七条), a complaint posted on
Weibo suggests the crisis level, and the follow-up visit is made one to two months after handling
(第八条)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from followup_kit import SH, any_registration, resolve_under, visit_of

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.followup.services import VisitInput, return_visit_assign, return_visit_record
from orgkit import install_org

pytestmark = pytest.mark.django_db

FRIDAY_MORNING = datetime(2026, 11, 20, 10, 0, tzinfo=SH)


def register(org: Any, when: datetime, **overrides: Any) -> Any:
    data = any_registration(org.policy)
    data.update(overrides)
    return complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(), now=when)


def test_the_reply_is_due_by_15_30_the_same_day_or_by_the_end_of_the_next_working_day(db: Any) -> None:
    branch = install_org("securities")
    morning = register(branch, FRIDAY_MORNING)
    assert morning.reply_due_at == datetime(2026, 11, 20, 15, 30, tzinfo=SH)
    late = register(branch, FRIDAY_MORNING.replace(hour=15, minute=45),
                    customer={"last_name": "Zhao", "phone": "13912345670", "language": "zh-hans"})
    assert late.reply_due_at == datetime(2026, 11, 23, 17, 0, tzinfo=SH)  # Monday, when the office closes
    assert "2026年11月20日 15:30" in morning.messages.get(kind="acknowledgement").body


def test_a_complaint_posted_on_weibo_suggests_the_crisis_level(db: Any) -> None:
    branch = install_org("securities")
    complaint = register(branch, FRIDAY_MORNING, description="客户说已经把这件事发到微博上了")
    assert complaint.suggested_level == "crisis"
    plain = register(branch, FRIDAY_MORNING, description="客户对佣金有疑问",
                     customer={"last_name": "Qian", "phone": "13912345671", "language": "zh-hans"})
    assert plain.suggested_level == "general"
    assert {"weibo", "wechat", "douyin", "xiaohongshu", "regulator_12386", "hotline_12345"} <= {
        channel.code for channel in branch.policy.channels}


def test_the_follow_up_visit_is_made_one_to_two_months_after_handling(org: Any) -> None:
    complaint = resolve_under("securities", org, at=FRIDAY_MORNING)
    resolved_at = FRIDAY_MORNING + timedelta(hours=1)
    clock = Clock.objects.get(complaint=complaint, code="follow_up_visit")
    assert clock.due_at == datetime(2027, 1, 21, 0, 0, tzinfo=SH)  # 24:00 of 20 January: two months
    visit = visit_of(complaint)
    return_visit_assign(actor=org["supervisor"], visit_id=visit.pk, to="agent", now=resolved_at)
    with pytest.raises(ValidationFailed) as info:
        return_visit_record(actor=org["agent"], number=complaint.number, now=resolved_at + timedelta(days=7),
                            data=VisitInput(outcome="reached", satisfaction="satisfied"))
    assert info.value.problems[0].field == "clock" and "24:00" in str(info.value.problems[0].message)
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    # from 24:00 of 20 December (one month) the visit is recorded and the complaint closes
    return_visit_record(actor=org["agent"], number=complaint.number, now=datetime(2026, 12, 21, 10, 0, tzinfo=SH),
                        data=VisitInput(outcome="reached", satisfaction="satisfied"))
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    clock.refresh_from_db()
    assert clock.status == "stopped"
