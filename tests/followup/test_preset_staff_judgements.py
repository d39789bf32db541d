"""The staff penalties seed 002 names, judged through the services: the website's centre managers warn or
punish the agent complained about (五.2② "给予相应警告或惩罚"); the restaurant's manager talks with the
waiter and writes a fault slip for the one responsible (一.6 "开过失单"). The judged member of staff is
told, the statistics count it, and only complaints about staff are judged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import translation
from followup_kit import SH, any_registration, resolve

from complaintdesk.core.errors import Conflict, PermissionDenied
from complaintdesk.followup.selectors import judgement_statistics
from complaintdesk.followup.services import JudgementInput, appeal_file, appeal_review, judgement_record
from complaintdesk.notify.models import Message
from orgkit import install_org

pytestmark = pytest.mark.django_db

TUESDAY = datetime(2026, 11, 17, 10, 0, tzinfo=SH)


def resolved(org: Any, category: str, phone: str) -> Any:
    data = any_registration(org.policy, category)
    data["customer"]["phone"] = phone
    return resolve(org, data, at=TUESDAY)


def judge(org: Any, complaint: Any, by: str, category: str) -> Any:
    return judgement_record(actor=org[by], number=complaint.number, now=TUESDAY.replace(hour=15),
                            data=JudgementInput(category=category, company_at_fault=True, staff="agent",
                                                note="Recording checked"))


def test_the_websites_centre_managers_warn_or_punish_the_agent(db: Any) -> None:
    site = install_org("website")
    complaint = resolved(site, "staff_service", "13912345680")
    with pytest.raises(PermissionDenied):  # 五.2②: the centre's managers decide, not the room manager
        judge(site, complaint, "supervisor", "warning")
    judgement = judge(site, complaint, "cs_head", "warning")
    assert (judgement.validity, judgement.category, judgement.staff) == ("valid", "warning", site["agent"])
    assert judgement.consequence["zh"] == "对被投诉客服及其他相关人员给予警告。"
    assert Message.objects.filter(recipient_user=site["agent"], kind="judged").exists()
    rows = judgement_statistics()
    assert [(r["staff"], r["category"]["code"], r["count"]) for r in rows] == [("agent", "warning", 1)]
    with translation.override("zh-hans"):
        assert judgement_statistics()[0]["category"]["label"] == "警告"
    # a grumble about the site's rules is not about staff: not judged
    with pytest.raises(Conflict):
        judge(site, resolved(site, "rules_experience", "13912345681"), "cs_head", "warning")


def test_the_restaurant_writes_a_fault_slip_and_the_store_manager_hears_the_appeal(db: Any) -> None:
    restaurant = install_org("restaurant")
    complaint = resolved(restaurant, "service", "13912345682")
    judgement = judge(restaurant, complaint, "supervisor", "fault_slip")
    assert judgement.consequence["zh"] == "对事故责任人作必要的处理（开过失单）。"
    # 3 days to appeal (organisation's choice), to the store manager (cs_head)
    assert judgement.appeal_deadline == datetime(2026, 11, 21, 0, 0, tzinfo=SH)
    appeal_file(actor=restaurant["agent"], judgement_id=judgement.pk, grounds="The dish came late from the kitchen",
                now=TUESDAY.replace(day=18))
    with pytest.raises(PermissionDenied):
        appeal_review(actor=restaurant["supervisor"], judgement_id=judgement.pk, decision="upheld",
                      now=TUESDAY.replace(day=19))
    final = appeal_review(actor=restaurant["cs_head"], judgement_id=judgement.pk, decision="upheld",
                          note="The waiter forgot the order", now=TUESDAY.replace(day=19))
    assert final.category == "fault_slip" and final.appeal_state == "answered"
