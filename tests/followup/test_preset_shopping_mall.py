"""The shopping mall (seed 002 商场客户投诉处理预案) replayed through the services: an urgent complaint
is answered at once or the management is told (1.1.1, 4.2.2, 4.2.3), the reply runs three days to
24:00, and a complaint posted online or about safety is critical."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from followup_kit import SH, any_registration

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.notify.models import Message
from orgkit import install_org

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 11, 21, 15, 0, tzinfo=SH)


def register(org: Any, phone: str, **overrides: Any) -> Any:
    data = any_registration(org.policy)
    data["customer"]["phone"] = phone
    data.update(overrides)
    return complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(), now=SATURDAY)


def test_the_words_and_doors_suggest_the_urgency(db: Any) -> None:
    mall = install_org("shopping_mall")
    assert register(mall, "13912345670").suggested_level == "normal"
    assert register(mall, "13912345671", description="顾客在扶梯上摔倒受伤").suggested_level == "critical"
    assert register(mall, "13912345672", description="顾客说已经发到小红书了").suggested_level == "critical"
    assert register(mall, "13912345673", description="顾客说要打12315").suggested_level == "urgent"


def test_an_urgent_complaint_is_answered_at_once_or_the_management_is_told(db: Any) -> None:
    mall = install_org("shopping_mall")
    normal = register(mall, "13912345674")
    assert not Clock.objects.filter(complaint=normal, code="urgent_response").exists()
    assert normal.reply_due_at == datetime(2026, 11, 25, 0, 0, tzinfo=SH)  # 3d: 24:00 of Tuesday 24
    urgent = register(mall, "13912345675", level="urgent", level_override_reason="涉及多个部门")
    response = Clock.objects.get(complaint=urgent, code="urgent_response")
    assert response.due_at == datetime(2026, 11, 21, 16, 0, tzinfo=SH)
    sweep(now=datetime(2026, 11, 21, 16, 0, tzinfo=SH))
    assert Message.objects.filter(recipient_user=mall["cs_head"], kind="clock_breach").exists()
