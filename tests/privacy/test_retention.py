"""The policy's retention rules, executed by the worker: a dry-run report first, erasure after the
grace period for complaints still due and not held; ``long_term`` never expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services.intake import complaint_register
from complaintdesk.core.audit import verify_chain
from complaintdesk.policy.load import load_preset
from complaintdesk.privacy import services
from complaintdesk.privacy.models import Erasure, RetentionRun
from complaintdesk.privacy.retention import complaint_rule, retention_due, retention_job
from orgkit import install_variant, valid_registration

pytestmark = pytest.mark.django_db

RULE = "{record: complaint, keep: long_term, label: {zh: 投诉记录, en: Complaint record}}"
TWO_YEARS = "{record: complaint, keep: 2y, applies_to: complaint, label: {zh: 投诉记录, en: Complaint record}}"
NOW = datetime(2029, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def org2y(db: Any) -> Any:
    return install_variant("phone_maker", "2026.1-retention", (RULE, TWO_YEARS))


def _ended(org: Any, phone: str, closed_at: datetime) -> Complaint:
    data = valid_registration(customer={"title": "ms", "first_name": "Mei", "last_name": "Wang", "phone": phone,
                                        "language": "en"})
    data["product"] = {**data["product"], "purchase_date": "2019-03-01"}
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(),
                                   now=closed_at - timedelta(days=9))
    Complaint.objects.filter(pk=complaint.pk).update(status=Complaint.Status.CLOSED, closed_at=closed_at)
    return complaint


def test_long_term_and_records_kept_elsewhere_never_expire() -> None:
    assert complaint_rule(load_preset("phone_maker").policy) is None  # long_term
    assert complaint_rule(load_preset("dealer_network").policy) is None  # paper forms only
    rule = complaint_rule(load_preset("insurer").policy)
    assert rule is not None and rule.record == "complaint"


def test_due_counts_whole_periods_from_the_end_of_the_complaint(org2y: Any) -> None:
    old = _ended(org2y, "13800000001", datetime(2027, 5, 20, 8, 0, tzinfo=UTC))
    young = _ended(org2y, "13800000002", datetime(2027, 6, 5, 8, 0, tzinfo=UTC))
    due = retention_due(NOW)
    assert [item["number"] for item in due] == [old.number]
    assert young.number not in {item["number"] for item in retention_due(NOW + timedelta(days=3))}
    assert young.number in {item["number"] for item in retention_due(NOW + timedelta(days=6))}


def test_the_worker_reports_first_and_erases_after_the_grace_period(org2y: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_RETENTION_GRACE_DAYS = 7
    old = _ended(org2y, "13800000001", datetime(2027, 1, 10, 8, 0, tzinfo=UTC))
    held = _ended(org2y, "13800000003", datetime(2027, 1, 11, 8, 0, tzinfo=UTC))
    data = valid_registration()
    data["product"] = {**data["product"], "purchase_date": "2019-03-01"}
    open_one = complaint_register(actor=org2y["agent"], data=ComplaintIn(**data).to_input(),
                                  now=datetime(2027, 1, 1, tzinfo=UTC))
    assert retention_job(NOW) == 1
    report = RetentionRun.objects.get()
    assert report.state == "proposed" and {i["number"] for i in report.items} == {old.number, held.number}
    assert not Erasure.objects.exists()  # a dry run
    services.hold_place(actor=org2y["legal"], number=held.number, reason="Lawsuit pending")
    assert retention_job(NOW + timedelta(days=3)) == 0  # waiting out the grace period
    assert retention_job(NOW + timedelta(days=8)) == 2  # one erased + the next report written
    assert set(Erasure.objects.values_list("complaint__number", flat=True)) == {old.number}
    assert Complaint.objects.get(pk=old.pk).customer.phone == ""
    assert Complaint.objects.get(pk=held.pk).customer.phone == "+8613800000003"
    assert Complaint.objects.get(pk=open_one.pk).customer.phone  # open complaints are never due
    assert RetentionRun.objects.filter(state="executed", erased=1).exists()
    assert list(verify_chain()) == []


def test_retention_from_the_command_line(org2y: Any, tmp_path: Any) -> None:
    """The operator writes the report and executes it by hand (the worker does both on its own)."""
    _ended(org2y, "13800000001", datetime(2020, 1, 10, 8, 0, tzinfo=UTC))
    from complaintdesk.privacy.commands import run

    class Args:
        privacy_command = "retention"
        execute = False

    assert run(Args(), lambda: None) == 0  # type: ignore[arg-type]
    assert RetentionRun.objects.get().due == 1
    Args.execute = True
    assert run(Args(), lambda: None) == 0  # type: ignore[arg-type]
    assert Erasure.objects.count() == 1


def test_the_privacy_command_answers_and_refuses(org2y: Any, capsys: Any, tmp_path: Any) -> None:
    from complaintdesk.cli import main

    complaint = _ended(org2y, "13800000001", datetime(2027, 1, 10, 8, 0, tzinfo=UTC))
    assert main(["privacy", "find", "--as", "nobody", "--contact", "13800000001"]) == 1
    assert "nobody" in capsys.readouterr().err
    assert main(["privacy", "find", "--as", "agent", "--contact", "13800000001"]) == 1
    assert main(["privacy", "erase", "--as", "admin", "--contact", "", "--reason", "x"]) == 1
    assert "contact" in capsys.readouterr().err
    out = tmp_path / "export.json"
    assert main(["privacy", "export", "--as", "legal", "--contact", "13800000001", "--json", str(out),
                 "--xlsx", str(tmp_path / "export.xlsx")]) == 0
    assert complaint.number in out.read_text(encoding="utf-8") and (tmp_path / "export.xlsx").stat().st_size
    assert main(["privacy", "hold", "--as", "legal", "--number", complaint.number,
                 "--reason", "Audit by regulator"]) == 0
    assert main(["privacy", "erase", "--as", "admin", "--contact", "13800000001", "--reason", "request"]) == 1
    assert "legal hold" in capsys.readouterr().err
