"""The restaurant (seed 002 餐饮投诉处理) replayed through the services: the result is told before the
guest leaves (the same business day), a face-to-face complaint not solved quickly goes to the
manager, and the words of the complaint suggest its level (a hair in the dish → the manager, posted
on Weibo → crisis)."""

from __future__ import annotations

from datetime import datetime, timedelta
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

EVENING = datetime(2026, 10, 3, 20, 0, tzinfo=SH)  # a Saturday in the National Day holiday: open all the same


def register(org: Any, when: datetime, phone: str = "13812345678", **overrides: Any) -> Any:
    data = any_registration(org.policy)
    data["customer"]["phone"] = phone
    data.update(overrides)
    return complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(), now=when)


def test_the_result_is_due_before_the_guest_leaves(db: Any) -> None:
    restaurant = install_org("restaurant")
    dinner = register(restaurant, EVENING, channel="written")
    # 0d: 24:00 of the day of the complaint, holidays included (the restaurant is open)
    assert dinner.reply_due_at == datetime(2026, 10, 4, 0, 0, tzinfo=SH)
    warning = Clock.objects.get(complaint=dinner, code="result_before_leaving").warn_at
    assert warning == datetime(2026, 10, 3, 23, 0, tzinfo=SH)
    late = register(restaurant, datetime(2026, 10, 13, 23, 30, tzinfo=SH), phone="13912345671", channel="written")
    assert late.reply_due_at == datetime(2026, 10, 14, 0, 0, tzinfo=SH)


def test_a_face_to_face_complaint_not_solved_quickly_goes_to_the_manager(db: Any) -> None:
    restaurant = install_org("restaurant")
    moment = datetime(2026, 10, 13, 19, 0, tzinfo=SH)
    complaint = register(restaurant, moment, channel="in_person")
    remedy = Clock.objects.get(complaint=complaint, code="remedy_on_site")
    assert remedy.due_at == moment + timedelta(minutes=30)
    # one promise for each door: the guest at the table is told the remedy comes at once, not "by
    # tonight"; a written complaint (二.4) and the other doors get the same day
    assert complaint.reply_due_at == moment + timedelta(minutes=30)
    assert not Clock.objects.filter(complaint=complaint, code="result_before_leaving").exists()
    by_phone = register(restaurant, moment, phone="13912345673", channel="phone")
    assert by_phone.reply_due_at == datetime(2026, 10, 14, 0, 0, tzinfo=SH)
    written = register(restaurant, moment, phone="13912345672", channel="written")
    assert not Clock.objects.filter(complaint=written, code="remedy_on_site").exists()
    sweep(now=moment + timedelta(minutes=31))
    assert Complaint.objects.get(pk=complaint.pk).level == "manager"


def test_the_words_suggest_the_level(db: Any) -> None:
    restaurant = install_org("restaurant")
    moment = datetime(2026, 10, 13, 19, 0, tzinfo=SH)
    hair = register(restaurant, moment, description="客人说菜里有头发，不要换，叫你们经理来")
    assert hair.suggested_level == "manager"
    weibo = register(restaurant, moment, phone="13912345673", description="客人说已经发到微博上了")
    assert weibo.suggested_level == "crisis"
    quiet = register(restaurant, moment, phone="13912345674", description="上菜有点慢")
    assert quiet.suggested_level == "floor"
