"""The legal step (PC maker §3.1.4, §3.3): the consultation form, the urgent phone call with the form
filed afterwards on a clock, legal's advice, the settlement agreement, and the outcome report
within 3 days after closing."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reskit import close_after_return_visit, make_complaint, resolve

from complaintdesk.clocks.models import Clock
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.resolutions.models import LegalConsultation, SettlementAgreement
from complaintdesk.resolutions.services import (
    agreement_record,
    legal_advise,
    legal_file,
    legal_report,
    legal_request,
)

pytestmark = pytest.mark.django_db

FORM = {"complaint_summary": "用户称电脑起火烧毁桌面", "customer_demand": "赔偿五万元",
        "handling_so_far": "已取回机器检测", "legal_question": "我方责任范围", "our_fault": "unknown"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai


def test_a_consultation_needs_every_field_of_the_form(pc: Any) -> None:
    complaint = make_complaint(pc)
    with pytest.raises(ValidationFailed) as exc:
        legal_request(actor=pc["specialist"], number=complaint.number, fields={"complaint_summary": "起火",
                                                                              "our_fault": "maybe"})
    fields = {p.field for p in exc.value.problems}
    assert fields == {"fields.customer_demand", "fields.handling_so_far", "fields.legal_question", "fields.our_fault"}
    assert not LegalConsultation.objects.exists()
    consultation = legal_request(actor=pc["specialist"], number=complaint.number, fields=FORM)
    assert consultation.state == LegalConsultation.State.FILED and consultation.filed_at is not None
    assert not Clock.objects.filter(complaint=complaint, code="legal_form_after_phone").exists()


def test_an_urgent_call_first_and_the_form_afterwards_on_a_clock(pc: Any) -> None:
    complaint = make_complaint(pc)
    with pytest.raises(ValidationFailed) as exc:
        legal_request(actor=pc["specialist"], number=complaint.number, fields={}, phoned=True)
    assert [p.field for p in exc.value.problems] == ["phone_note"]
    consultation = legal_request(actor=pc["specialist"], number=complaint.number, fields={}, phoned=True,
                                 phone_note="用户扬言起诉，电话请教法务：先稳住用户，勿承诺赔偿", now=AT)
    clock = Clock.objects.get(complaint=complaint, code="legal_form_after_phone")
    # 1 working day: Wednesday, to the end of its working hours (18:00 in Shanghai)
    assert clock.subject == f"legal:{consultation.pk}" and clock.due_at == datetime(2026, 3, 11, 10, 0, tzinfo=UTC)
    with pytest.raises(ValidationFailed):
        legal_file(actor=pc["specialist"], consultation_id=consultation.pk, fields={"complaint_summary": "起火"})
    legal_file(actor=pc["specialist"], consultation_id=consultation.pk, fields=FORM, now=AT + timedelta(hours=5))
    clock.refresh_from_db()
    consultation.refresh_from_db()
    assert clock.status == Clock.Status.STOPPED and consultation.state == LegalConsultation.State.FILED
    with pytest.raises(Conflict):
        legal_file(actor=pc["specialist"], consultation_id=consultation.pk, fields=FORM)


def test_legal_gives_advice_on_the_timeline(pc: Any) -> None:
    complaint = make_complaint(pc)
    consultation = legal_request(actor=pc["specialist"], number=complaint.number, fields=FORM)
    with pytest.raises(PermissionDenied):
        legal_advise(actor=pc["specialist"], consultation_id=consultation.pk, advice="自己写的意见")
    legal_advise(actor=pc["legal"], consultation_id=consultation.pk, advice="建议签订和解协议，赔偿以实际损失为限",
                 company_at_fault=True)
    entry = complaint.timeline.get(kind="legal_advice")
    assert entry.actor == pc["legal"] and "和解协议" in entry.data["advice"]


def test_written_agreement_is_attached_and_oral_one_recorded(pc: Any) -> None:
    complaint = make_complaint(pc)
    legal_request(actor=pc["specialist"], number=complaint.number, fields=FORM)
    with pytest.raises(ValidationFailed) as exc:
        agreement_record(actor=pc["specialist"], number=complaint.number, kind="settlement_agreement", terms="赔偿")
    assert [p.field for p in exc.value.problems] == ["file"]
    with pytest.raises(ValidationFailed) as exc:
        agreement_record(actor=pc["specialist"], number=complaint.number, kind="settlement_agreement", terms="赔偿",
                         file=SimpleUploadedFile("agreement.pdf", b"not really a pdf", "application/pdf"))
    assert [p.field for p in exc.value.problems] == ["file"]
    written = agreement_record(actor=pc["specialist"], number=complaint.number, kind="settlement_agreement",
                               terms="赔偿3000元，用户不再追究",
                               file=SimpleUploadedFile("和解协议.pdf", PDF, "application/pdf"))
    oral = agreement_record(actor=pc["specialist"], number=complaint.number, kind="oral_agreement",
                            terms="电话中同意更换主板")
    assert written.written and written.content_type == "application/pdf" and len(written.sha256) == 64
    assert not oral.written and not oral.file
    assert SettlementAgreement.objects.count() == 2


def test_outcome_report_to_legal_within_three_days_after_closing(pc: Any) -> None:
    complaint = make_complaint(pc)
    legal_request(actor=pc["specialist"], number=complaint.number, fields=FORM)
    agreement_record(actor=pc["specialist"], number=complaint.number, kind="settlement_agreement", terms="赔偿",
                     file=SimpleUploadedFile("a.pdf", PDF, "application/pdf"))
    with pytest.raises(Conflict):
        legal_report(actor=pc["specialist"], number=complaint.number, text="还没处理完")
    resolve(pc, complaint)
    closed_at = datetime.now(UTC)
    close_after_return_visit(pc, complaint, now=closed_at)
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    clock = Clock.objects.get(complaint=complaint, code="legal_outcome_report")
    # three days after the day of closing, to 24:00 of the third day (Shanghai time)
    shanghai = ZoneInfo("Asia/Shanghai")
    third_day_ends = datetime.combine(closed_at.astimezone(shanghai).date() + timedelta(days=4), time(0, 0),
                                      tzinfo=shanghai)
    assert clock.status == Clock.Status.RUNNING and clock.due_at == third_day_ends
    with pytest.raises(ValidationFailed):
        legal_report(actor=pc["specialist"], number=complaint.number, text=" ")
    legal_report(actor=pc["specialist"], number=complaint.number, text="已按和解协议赔偿并结案")
    clock.refresh_from_db()
    assert clock.status == Clock.Status.STOPPED
    assert SettlementAgreement.objects.get().filed_with_legal_at is not None
    with pytest.raises(Conflict):
        legal_report(actor=pc["specialist"], number=complaint.number, text="再报一次")


def test_closing_without_legal_starts_no_report_clock(pc: Any) -> None:
    complaint = make_complaint(pc)
    resolve(pc, complaint)
    close_after_return_visit(pc, complaint)
    assert not Clock.objects.filter(complaint=complaint, code="legal_outcome_report").exists()


def test_the_hypermarket_files_its_legal_form_on_its_own_clock(hyper: Any) -> None:
    complaint = make_complaint(hyper, owner="supervisor")
    legal_request(actor=hyper["supervisor"], number=complaint.number, fields={}, phoned=True,
                  phone_note="已电话咨询法律顾问", now=AT)
    clock = Clock.objects.get(complaint=complaint, code="legal_form_after_phone")
    # 1 working day: Wednesday, until the store closes at 22:00 (14:00 UTC)
    assert clock.due_at == datetime(2026, 3, 11, 14, 0, tzinfo=UTC)


def test_closing_by_hand_also_starts_the_report_clock(hyper: Any) -> None:
    from complaintdesk.complaints.services.actions import complaint_close

    complaint = make_complaint(hyper, owner="supervisor")
    legal_request(actor=hyper["supervisor"], number=complaint.number,
                  fields={"question": "赔偿责任", "facts_so_far": "顾客食用后腹泻", "customer_demand": "医药费"})
    resolve(hyper, complaint, actor="supervisor")
    complaint_close(actor=hyper["supervisor"], number=complaint.number, note="结案")
    clock = Clock.objects.get(complaint=complaint, code="legal_outcome_report")
    assert clock.status == Clock.Status.RUNNING
