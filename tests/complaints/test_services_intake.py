"""Registration through the service: validation, atomicity, classification, acknowledgement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from complaintdesk.complaints.models import Complaint, Customer, Product, TimelineEntry
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.errors import PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.notify.models import Message

pytestmark = pytest.mark.django_db


def register(org: Any, registration: Any, role: str = "agent", **overrides: Any) -> Complaint:
    return complaint_register(actor=org[role], data=ComplaintIn(**registration(**overrides)).to_input())


def problems_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


def counts() -> tuple[int, int, int, int]:
    return (Customer.objects.count(), Product.objects.count(), Complaint.objects.count(), Message.objects.count())


def test_registration_records_everything_and_owner_is_the_registrar(org: Any, registration: Any) -> None:
    complaint = register(org, registration)
    assert complaint.number.startswith("TS-")
    assert complaint.owner == org["agent"] and complaint.registered_by == org["agent"]
    assert complaint.policy_version == org.version
    assert complaint.customer.phone == "+8613812345678"
    assert complaint.product is not None and complaint.product.imei == "490154203237518"
    assert complaint.complete is True and complaint.missing_facts == []
    assert complaint.primary_target == "product"
    assert complaint.level == "general" == complaint.suggested_level
    assert complaint.status == "registered"


def test_number_follows_policy_format_and_increments(org: Any, registration: Any) -> None:
    first = register(org, registration)
    second = register(org, registration, customer={"first_name": "Ann", "last_name": "Li", "phone": "13912345678"})
    today = timezone.now().astimezone(ZoneInfo(org.policy.timezone)).strftime("%Y%m%d")
    assert first.number == f"TS-{today}-0001"
    assert second.number == f"TS-{today}-0002"


def test_a_number_is_unique_and_has_one_index(org: Any, registration: Any) -> None:
    """Two complaints can never share a number; the uniqueness is one index — no LIKE copy of it on
    PostgreSQL, which no query used (the search finds numbers through search_text) and every
    complaint wrote (migration complaints 0012)."""
    from django.db import IntegrityError, connection, transaction

    first = register(org, registration)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=register(org, registration).pk).update(number=first.number)
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Complaint._meta.db_table)
    assert [name for name, info in indexes.items() if info["columns"] == ["number"]] == ["complaint_number_unique"]


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"product": {"imei": "490154203237519"}}, "product.imei", "check digit"),
        ({"product": {"imei": "12345"}}, "product.imei", "15 digits"),
        ({"category": "no_such_category"}, "category", "Unknown category"),
        ({"customer": {"first_name": "Ann",
                       "last_name": "Li", "phone": "12345"}}, "customer.phone", "not a valid phone"),
        ({"customer": {"first_name": "Ann",
                       "last_name": "Li", "phone": "phone me"}}, "customer.phone", "not a phone number"),
        ({"product": {"model": "R9", "purchase_date": "2099-01-01"}}, "product.purchase_date", "future"),
        ({"product": {"model": "R9", "purchase_date": "01/02/2026"}}, "product.purchase_date", "YYYY-MM-DD"),
        ({"channel": "carrier_pigeon"}, "channel", "Unknown channel"),
        ({"customer": {"phone": "13812345678"}}, "customer.name_note", "name"),
        ({"customer": {"first_name": "Ann", "last_name": "Li", "email": "not-an-email"}}, "customer.email", "e-mail"),
        ({"reason": "  "}, "reason", "reason"),
        ({"description": ""}, "description", "issue"),
        ({"customer_request": ""}, "customer_request", "asks for"),
        ({"reason_codes": ["product_quality", "nonsense"]}, "reason_codes", "not a reason"),
        ({"reason_codes": ["product_quality"]}, "reason_codes", "level 2"),
        ({"targets": ["moon"]}, "targets[0]", "Unknown complaint target"),
        ({"facts": {"not_a_fact": "x"}}, "facts.not_a_fact", "not a fact"),
        ({"level": "crisis"}, "level_override_reason", "reason"),
        ({"level": "apocalypse", "level_override_reason": "x"}, "level", "Unknown level"),
        ({"channel": "facebook"}, "case_origin", "case origin"),
        ({"received_at": "2099-01-01 10:00"}, "received_at", "future"),
        ({"flags": ["aliens"]}, "flags[0]", "Unknown flag"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    org: Any, registration: Any, overrides: dict[str, Any], field: str, fragment: str
) -> None:
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        register(org, registration, **overrides)
    problems = problems_of(exc)
    assert field in problems, problems
    assert fragment.lower() in problems[field].lower()
    assert counts() == before
    assert not AuditEvent.objects.filter(action="complaint.register").exists()


def test_several_problems_come_in_one_answer(org: Any, registration: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        register(org, registration, channel="fax", category="nope",
                 customer={"first_name": "Ann", "last_name": "Li", "phone": "123"},
                 product={"imei": "490154203237519", "purchase_date": "2099-12-31"})
    assert {"channel", "category", "customer.phone", "product.imei", "product.purchase_date"} <= set(problems_of(exc))


def test_missing_required_fact_keeps_the_complaint_marked_incomplete(org: Any, registration: Any) -> None:
    complaint = register(org, registration, facts={"fault_scenario": "Calls drop"})
    assert complaint.complete is False
    assert set(complaint.missing_facts) == {"troubleshooting", "repair_history"}
    assert TimelineEntry.objects.filter(complaint=complaint, kind="incomplete").exists()


def test_a_why_missing_note_replaces_a_fact_where_the_policy_allows(org: Any, registration: Any) -> None:
    complaint = register(org, registration, product={"model": "R9s"},
                         facts={"fault_scenario": "x", "troubleshooting": "y", "repair_history": "none"},
                         missing_notes={"imei": "Customer cannot find the box", "build_number": "Phone is dead",
                                        "purchase_date": "Gift, date unknown"})
    assert complaint.complete is True
    assert complaint.missing_notes["imei"] == "Customer cannot find the box"


def test_a_note_cannot_replace_a_fact_that_must_be_recorded(org: Any, registration: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        register(org, registration, missing_notes={"model": "unknown"})
    assert "missing_notes.model" in problems_of(exc)


def test_approximate_purchase_date_is_kept_marked(org: Any, registration: Any) -> None:
    complaint = register(org, registration, product={"model": "R9", "imei": "490154203237518",
                                                     "build_number": "1", "purchase_date": "2025-06-01",
                                                     "purchase_date_approximate": True})
    assert complaint.product is not None and complaint.product.purchase_date_approximate is True


def test_international_phone_numbers_are_accepted(org: Any, registration: Any) -> None:
    complaint = register(org, registration, customer={"first_name": "Ann",
                                                      "last_name": "Rahman", "phone": "+60 12-345 6789"})
    assert complaint.customer.phone == "+60123456789"


def test_the_level_is_suggested_by_triggers_in_chinese(org: Any, registration: Any) -> None:
    complaint = register(org, registration, category="serious_safety", targets=[],
                         reason="用户投诉手机充电时电池鼓包并冒烟", description="手被烫伤",
                         facts={}, customer={"first_name": "Ann",
                                             "last_name": "王", "phone": "13812345678", "language": "zh-hans"})
    assert complaint.suggested_level == "major" == complaint.level
    assert complaint.primary_target == "incident"
    assert any(t["level"] == "major" for t in complaint.triggers)
    assert complaint.complete is False


def test_overriding_the_suggested_level_records_the_reason_and_audits_it(org: Any, registration: Any) -> None:
    complaint = register(org, registration, level="major", level_override_reason="Customer threatens the press")
    assert complaint.level == "major" and complaint.suggested_level == "general"
    assert complaint.level_override_reason == "Customer threatens the press"
    event = AuditEvent.objects.get(action="complaint.level_override", complaint_number=complaint.number)
    assert event.before == {"level": "general"} and event.after["level"] == "major"
    assert TimelineEntry.objects.filter(complaint=complaint, kind="level_overridden").exists()


def test_primary_target_follows_the_policy_priority(org: Any, registration: Any) -> None:
    complaint = register(org, registration, targets=["dealer", "sc", "product", "cc"])
    assert complaint.primary_target == "sc"
    assert complaint.targets == ["dealer", "sc", "product", "cc"]


def test_repeat_complaints_by_phone_or_imei_are_linked(org: Any, registration: Any) -> None:
    first = register(org, registration)
    by_phone = register(org, registration, product={"model": "A57"})
    by_imei = register(org, registration, customer={"first_name": "Ann", "last_name": "Li", "phone": "13912345678"})
    other = register(org, registration, customer={"first_name": "Ann", "last_name": "Wu", "phone": "13712345678"},
                     product={"model": "A57", "imei": "356938035643809"})
    assert list(by_phone.repeats.all()) == [first]
    assert first in by_imei.repeats.all()
    assert other.repeats.count() == 0


def test_repeats_outside_the_window_are_not_linked(org: Any, registration: Any) -> None:
    window = org.policy.repeat.window_days
    old = complaint_register(actor=org["agent"], data=ComplaintIn(**registration()).to_input(),
                             now=timezone.now() - timedelta(days=window + 1))
    new = register(org, registration)
    assert old not in new.repeats.all()


def test_earlier_case_and_repair_ids_are_kept(org: Any, registration: Any) -> None:
    complaint = register(org, registration, earlier_case_ids=["C-1", "C-2", " "], repair_ids=["R-9"])
    assert complaint.earlier_case_ids == ["C-1", "C-2"] and complaint.repair_ids == ["R-9"]


def test_acknowledgement_is_queued_in_the_customers_language(org: Any, registration: Any) -> None:
    complaint = register(org, registration, customer={"first_name": "Ann", "last_name": "王", "phone": "13812345678",
                                                      "language": "zh-hans"})
    message = Message.objects.get(complaint=complaint, kind="acknowledgement")
    assert message.channel == "sms" and message.recipient == "+8613812345678"
    assert complaint.number in message.body and "受理时间" in message.body
    assert complaint.reply_due_at is not None
    assert complaint.reply_due_at - complaint.received_at == timedelta(hours=24)
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(args_kwargs__args=[message.pk]).exists()


def test_roles_that_may_not_register_are_refused(org: Any, registration: Any) -> None:
    for role in ("handler", "vp", "gm", "legal", "quality", "admin"):
        with pytest.raises(PermissionDenied):
            register(org, registration, role=role)
    assert Complaint.objects.count() == 0


def test_registration_writes_one_audit_event_in_the_chain(org: Any, registration: Any) -> None:
    from complaintdesk.core.audit import verify_chain

    complaint = register(org, registration)
    event = AuditEvent.objects.get(action="complaint.register")
    assert event.complaint_number == complaint.number and event.actor == org["agent"]
    assert event.after["policy"] == str(org.version)
    assert list(verify_chain()) == []
