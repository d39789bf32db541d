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
from complaintdesk.core.errors import ValidationFailed
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


def test_the_defect_quantity_fact_gives_the_units_the_trigger_reads(db: Any) -> None:
    """6.2.1.1 names the defect quantity (不良数量) among the criteria: entered as the category's fact,
    with the units left empty, it is the complaint's units and the ``min_units: 100`` trigger reads it."""
    maker = install_org("qr_qmd_manufacturer")
    assert maker.policy.category("quality").facts[2].field == "units"
    data = any_registration(maker.policy, "quality")
    data["facts"]["defect_quantity"] = "150"
    complaint = complaint_register(actor=maker["agent"], data=ComplaintIn(**data).to_input(), now=MONDAY)
    assert (complaint.units, complaint.suggested_level, complaint.facts["defect_quantity"]) == (150, "serious", "150")
    assert complaint.complete
    few = register(maker, "13912345674", facts={**data["facts"], "defect_quantity": "12"})
    assert (few.units, few.suggested_level) == (12, "general")
    # the units field, when filled, is what the agent counted: it wins
    assert register(maker, "13912345675", units=3, facts=data["facts"]).units == 3
    with pytest.raises(ValidationFailed) as info:
        register(maker, "13912345676", facts={**data["facts"], "defect_quantity": "2.5"})
    assert [p.field for p in info.value.problems] == ["facts.defect_quantity"]


def test_the_registration_preview_reads_the_defect_quantity(client: Any) -> None:
    maker = install_org("qr_qmd_manufacturer")
    client.force_login(maker["agent"])
    page = client.post("/complaints/new/preview/", {"category": "quality", "facts.defect_quantity": "150"},
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="suggested-level" data-level="serious"' in page
    # entered as a fact on the form (not "recorded in the customer or product section")
    facts = client.get("/complaints/new/facts/", {"category": "quality"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'name="facts.defect_quantity"' in facts.content.decode() and "不良数量" in facts.content.decode()


def test_a_serious_complaints_late_reply_reaches_the_general_manager(db: Any) -> None:
    maker = install_org("qr_qmd_manufacturer")
    complaint = register(maker, "13912345673", units=500, level="serious")
    assert complaint.reply_due_at == datetime(2026, 11, 23, 17, 30, tzinfo=SH)  # 5 working days, end of hours
    sweep(now=datetime(2026, 11, 23, 17, 30, tzinfo=SH))
    for role in ("gm", "cs_head"):
        assert Message.objects.filter(recipient_user=maker[role], kind="clock_breach").exists(), role


def test_the_general_manager_confirms_the_closing_of_every_complaint(db: Any, client: Any) -> None:
    """5.6 总经理：负责对各类客诉单的结案确认 (``close_by: [gm]``): a satisfied return visit leaves the
    complaint resolved and asks the GM; the owner may not close it, the GM does."""
    from datetime import timedelta

    from django.utils import translation
    from followup_kit import any_registration, resolve, status

    from complaintdesk.complaints.display import timeline_text
    from complaintdesk.complaints.services.actions import complaint_close
    from complaintdesk.complaints.services.lifecycle import transition_targets
    from complaintdesk.core.errors import PermissionDenied
    from complaintdesk.followup.models import ReturnVisit
    from complaintdesk.followup.services import VisitInput, return_visit_assign, return_visit_record

    maker = install_org("qr_qmd_manufacturer")
    complaint = resolve(maker, any_registration(maker.policy, "quality"), at=MONDAY)
    visit = ReturnVisit.objects.get(complaint=complaint)
    return_visit_assign(actor=maker["supervisor"], visit_id=visit.pk, to="agent", now=MONDAY + timedelta(hours=2))
    return_visit_record(actor=maker["agent"], number=complaint.number, now=MONDAY + timedelta(days=1),
                        data=VisitInput(outcome="reached", satisfaction="satisfied"))
    assert status(complaint) == "resolved"  # not closed by the visit: the GM confirms
    asked = Message.objects.get(recipient_user=maker["gm"], kind="close_confirmation")
    assert complaint.number in asked.body
    entry = complaint.timeline.get(kind="closing_to_confirm")
    with translation.override("zh-hans"):
        assert timeline_text(entry, maker.policy) == "回访已完成；由总经理确认结案。"
    assert "close" not in transition_targets(maker["specialist"], complaint)
    assert "close" in transition_targets(maker["gm"], complaint)
    with pytest.raises(PermissionDenied, match="General manager confirms the closing"), translation.override("en"):
        complaint_close(actor=maker["specialist"], number=complaint.number, now=MONDAY + timedelta(days=1))
    closed = complaint_close(actor=maker["gm"], number=complaint.number, now=MONDAY + timedelta(days=2))
    assert closed.status == "closed"
