"""The manufacturer of QR-QMD-AD-005 (seed 002) replayed through the services: a complaint with many
defective units is suggested serious (6.2.1.1), a serious complaint's late reply reaches the general
manager and the GM's office (5.4, 5.6), and the reply runs 5 working days to the end of the hours."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from followup_kit import SH, any_registration

from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.notify.models import Message
from orgkit import install_org

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=SH)


def register(org: Any, phone: str, **overrides: Any) -> Any:
    data = any_registration(org.policy, "quality")
    data["customer"]["phone"] = phone
    data.update(overrides)
    return complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(), now=MONDAY)


def test_many_defective_units_suggest_a_serious_complaint(db: Any) -> None:
    maker = install_org("qr_qmd_manufacturer")
    assert register(maker, "13912345670", units=5).suggested_level == "general"
    assert register(maker, "13912345671", units=500).suggested_level == "serious"
    assert register(maker, "13912345672", description="客户说这是批量不良，要索赔").suggested_level == "serious"


def test_a_serious_complaints_late_reply_reaches_the_general_manager(db: Any) -> None:
    maker = install_org("qr_qmd_manufacturer")
    complaint = register(maker, "13912345673", units=500, level="serious")
    assert complaint.reply_due_at == datetime(2026, 11, 23, 17, 30, tzinfo=SH)  # 5 working days, end of hours
    sweep(now=datetime(2026, 11, 23, 17, 30, tzinfo=SH))
    for role in ("gm", "cs_head"):
        assert Message.objects.filter(recipient_user=maker[role], kind="clock_breach").exists(), role
