"""The LED manufacturer (seed 002 客诉处理方法及流程) replayed through the services: a batch problem is
suggested as a batch complaint (5W1H impact and risk), the risk assessment comes first, and the
analysis report waits while a third party identifies what EDX cannot (1-2 注意)."""

from __future__ import annotations

from typing import Any

import pytest
from workkit import act, at, bring_to, register

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from orgkit import install_org

pytestmark = pytest.mark.django_db


def test_a_batch_problem_is_a_batch_complaint(db: Any) -> None:
    led = install_org("led_manufacturer")
    one_off = register(led["agent"], when=at("2026-11-16 10:00"), category="dead_led")
    assert one_off.suggested_level == "one_off"
    batch = register(led["agent"], when=at("2026-11-16 10:00"), category="colour_difference",
                     description="客户反映整批灯珠色差，要求隔离库存",
                     customer={"last_name": "Sun", "phone": "13912345676", "language": "zh-hans"})
    assert batch.suggested_level == "batch"


def test_the_analysis_report_waits_for_the_third_party(db: Any) -> None:
    led = install_org("led_manufacturer")
    complaint = bring_to(led, register(led["agent"], when=at("2026-11-16 10:00"), category="dead_led"),
                         "in_progress", now=at("2026-11-16 10:00"))
    clocks = {c.code: c for c in Clock.objects.filter(complaint=complaint)}
    assert clocks["risk_assessment"].due_at == at("2026-11-17 18:00")  # 1wd, to the end of the hours
    assert clocks["analysis_report"].due_at == at("2026-11-23 18:00")  # 5wd
    # the sample goes to a third-party lab from Tuesday 08:30 to Wednesday 18:00: two working days
    act(led["specialist"], complaint, "pause", condition="external_appraisal", now=at("2026-11-17 08:30"))
    assert Clock.objects.get(complaint=complaint, code="analysis_report").status == "paused"
    assert Clock.objects.get(complaint=complaint, code="risk_assessment").status == "running"
    act(led["specialist"], complaint, "resume", now=at("2026-11-18 18:00"))
    report = Clock.objects.get(complaint=complaint, code="analysis_report")
    assert report.due_at == at("2026-11-25 18:00")
    assert Complaint.objects.get(pk=complaint.pk).reply_due_at == report.due_at


def test_the_model_and_lot_typed_as_facts_feed_the_batch_alert(db: Any) -> None:
    """1-3 traceability ("批次/LOT NO查询及确认"): the model and lot the agent records among the
    category's facts are the product's (``field: product.model`` / ``product.lot_number``), so five
    complaints about one model within seven days open the batch alert (``batch_alerts``)."""
    from complaintdesk.quality.models import AlertGroup

    led = install_org("led_manufacturer")
    for day in range(5):
        complaint = register(led["agent"], when=at(f"2026-11-{16 + day} 10:00"), category="dead_led",
                             product={}, facts={"lot_number": f"L-{day % 2}", "model": "LED-5050",
                                                "defect_quantity": 3, "where_when": "Incoming inspection"},
                             customer={"first_name": "Ann", "last_name": f"Sun{day}",
                                       "phone": f"1391234567{day}", "language": "zh-hans"})
        assert (complaint.product.model, complaint.product.lot_number) == ("LED-5050", f"L-{day % 2}")
    group = AlertGroup.objects.get()
    assert (group.product_model, group.category, group.complaints.count()) == ("LED-5050", "dead_led", 5)
