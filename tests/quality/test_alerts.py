"""Batch quality alerts: the policy's threshold and window (phone maker: 5 complaints about one model
and category in 7 days), one open group per model and category, containment, corrective action and
closing through the services with audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintAmendIn, ComplaintIn, ProductIn
from complaintdesk.complaints.services.amend import complaint_amend
from complaintdesk.complaints.services.intake import complaint_register
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.notify.models import Message
from complaintdesk.quality.models import AlertGroup, Containment
from complaintdesk.reports import quality
from orgkit import valid_registration

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def register(org: Any, at: datetime, *, model: str = "Reno 8 Pro", category: str = "product",
             lot: str = "", phone: str = "13812345678") -> Complaint:
    data = valid_registration()
    data["product"] = {**data["product"], "model": model, "lot_number": lot}
    data["customer"] = {**data["customer"], "phone": phone}
    if category != "product":
        data.update(category=category, targets=["incident"], facts={"fault": "The phone overheats"})
    return complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(), now=at)


def test_the_phone_maker_preset_declares_the_threshold(org: Any) -> None:
    rule = org.policy.batch_alerts
    assert (rule.threshold, rule.within_days, rule.notify) == (5, 7, "quality")


def test_one_below_the_threshold_opens_nothing(org: Any) -> None:
    for day in range(4):
        register(org, T0 + timedelta(days=day))
    assert not AlertGroup.objects.exists()
    assert not Message.objects.filter(kind="batch_alert").exists()


def test_the_threshold_opens_one_group_and_tells_the_quality_department(org: Any) -> None:
    made = [register(org, T0 + timedelta(days=day), lot="L-7" if day % 2 else "L-8") for day in range(5)]
    group = AlertGroup.objects.get()
    assert (group.product_model, group.category, group.state) == ("Reno 8 Pro", "product", "open")
    assert sorted(group.complaints.values_list("number", flat=True)) == sorted(c.number for c in made)
    figures = quality.group_figures(group)
    assert figures.count == 5
    assert figures.first_at == T0 and figures.last_at == T0 + timedelta(days=4)
    assert [(lot.lot, lot.count) for lot in figures.lots] == [("L-8", 3), ("L-7", 2)]
    notices = Message.objects.filter(kind="batch_alert")
    assert [m.recipient for m in notices] == ["quality"]
    assert "5 complaints about Reno 8 Pro" in notices[0].body and f"Q{group.pk}" in notices[0].body
    assert AuditEvent.objects.filter(action="quality.alert_open").count() == 1
    assert AuditEvent.objects.filter(action="quality.alert_join").count() == 5


def test_one_above_the_threshold_joins_the_same_group(org: Any) -> None:
    for day in range(5):
        register(org, T0 + timedelta(days=day))
    late = register(org, T0 + timedelta(days=30))  # outside the window: an open group still takes it
    group = AlertGroup.objects.get()
    assert group.complaints.filter(pk=late.pk).exists()
    assert quality.group_figures(group).count == 6
    assert Message.objects.filter(kind="batch_alert").count() == 1


def test_complaints_outside_the_window_open_nothing(org: Any) -> None:
    # five complaints, but never five within 7 days: the first falls out exactly at 7 days
    for day in (0, 2, 4, 6, 7):
        register(org, T0 + timedelta(days=day))
    assert not AlertGroup.objects.exists()
    register(org, T0 + timedelta(days=8))  # days 2, 4, 6, 7, 8 are within 7 days
    assert AlertGroup.objects.get().complaints.count() == 5


def test_other_models_categories_and_rejected_complaints_do_not_count(org: Any) -> None:
    for day in range(2):
        register(org, T0 + timedelta(hours=day))
    register(org, T0 + timedelta(hours=3), model="Find X5")
    register(org, T0 + timedelta(hours=4), category="serious_safety")
    rejected = register(org, T0 + timedelta(hours=5))
    Complaint.objects.filter(pk=rejected.pk).update(status="rejected")
    register(org, T0 + timedelta(hours=6))
    assert not AlertGroup.objects.exists()  # 3 counted of 5
    register(org, T0 + timedelta(hours=7))
    register(org, T0 + timedelta(hours=8))
    assert AlertGroup.objects.get().complaints.count() == 5


def test_a_product_changed_to_the_model_counts(org: Any) -> None:
    for day in range(4):
        register(org, T0 + timedelta(days=day))
    other = register(org, T0 + timedelta(days=4), model="Find X5")
    assert not AlertGroup.objects.exists()
    complaint_amend(actor=org["agent"], number=other.number, now=T0 + timedelta(days=4, hours=1),
                    data=ComplaintAmendIn(product=ProductIn(model="Reno 8 Pro", imei="490154203237518")).to_input())
    assert AlertGroup.objects.get().complaints.filter(pk=other.pk).exists()


def test_a_policy_without_batch_alerts_opens_nothing(org: Any) -> None:
    from orgkit import install_variant

    install_variant("phone_maker", "2026.9", ("batch_alerts:               # organisation's choice: 5 complaints "
                                              "about one model and category in 7 days\n  threshold: 5\n"
                                              "  within_days: 7\n  notify: quality\n", ""))
    for day in range(6):
        register(org, T0 + timedelta(days=day))
    assert not AlertGroup.objects.exists()


def open_group(org: Any) -> AlertGroup:
    for day in range(5):
        register(org, T0 + timedelta(days=day))
    return AlertGroup.objects.get()


def test_containment_corrective_action_and_closing_are_audited(org: Any) -> None:
    group = open_group(org)
    who = org["quality"]
    quality.alert_containment_add(actor=who, group_id=group.pk, kind="isolate_stock", note="Warehouse A")
    quality.alert_containment_add(actor=who, group_id=group.pk, kind="recall")
    with pytest.raises(ValidationFailed) as refused:
        quality.alert_group_close(actor=who, group_id=group.pk)
    assert refused.value.problems[0].field == "corrective_action"
    quality.alert_corrective_action(actor=who, group_id=group.pk, text="Replace the antenna supplier")
    quality.alert_group_close(actor=who, group_id=group.pk, note="Recall done")
    group.refresh_from_db()
    assert group.state == "closed" and group.closed_by == who and group.corrective_action.startswith("Replace")
    assert list(Containment.objects.values_list("kind", flat=True)) == ["isolate_stock", "recall"]
    actions = list(AuditEvent.objects.filter(action__startswith="quality.").values_list("action", flat=True))
    for action in ("quality.containment", "quality.corrective_action", "quality.alert_close"):
        assert action in actions
    with pytest.raises(Conflict):
        quality.alert_containment_add(actor=who, group_id=group.pk, kind="recall")
    # after closing, the threshold must be passed again for a new group
    register(org, T0 + timedelta(days=5))
    assert AlertGroup.objects.filter(state="open").count() == 1
    assert AlertGroup.objects.filter(state="open").get().complaints.count() == 6


def test_bad_input_names_the_field_and_writes_nothing(org: Any) -> None:
    group = open_group(org)
    with pytest.raises(ValidationFailed) as bad:
        quality.alert_containment_add(actor=org["quality"], group_id=group.pk, kind="burn_it")
    assert bad.value.problems[0].field == "kind"
    with pytest.raises(ValidationFailed) as empty:
        quality.alert_corrective_action(actor=org["quality"], group_id=group.pk, text="  ")
    assert empty.value.problems[0].field == "corrective_action"
    assert not Containment.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["quality.containment", "quality.corrective_action"]).exists()


def test_only_quality_records_and_only_quality_or_management_reads(org: Any) -> None:
    group = open_group(org)
    with pytest.raises(PermissionDenied):
        quality.alert_containment_add(actor=org["supervisor"], group_id=group.pk, kind="recall")
    with pytest.raises(PermissionDenied):
        quality.alert_group_list(org["agent"])
    assert [g.pk for g in quality.alert_group_list(org["gm"])] == [group.pk]
