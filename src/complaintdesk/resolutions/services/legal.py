"""The legal step (seed 001 §3.1.4, §3.3): the consultation form (urgent: phone first, the form
filed afterwards on a clock), legal's advice on the timeline, the settlement agreement (written,
attached; or oral, its terms recorded), and the outcome reported to legal within the policy's days
after closing."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.clocks.services import clock_event
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.services.work import check_upload, upload_type
from complaintdesk.core.errors import Conflict, NotFound, PermissionDenied, Problems
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.notify.notices import notice_send
from complaintdesk.policy.schema import ClockEvent, Legal, Policy, Role
from complaintdesk.resolutions.models import LegalConsultation, LegalReport, SettlementAgreement
from complaintdesk.resolutions.services.common import require_open, require_owner


def _legal(policy: Policy) -> Legal:
    if policy.legal is None:
        raise Conflict(_("The policy has no legal step."))
    return policy.legal


def clean_fields(legal: Legal, values: Mapping[str, Any], problems: Problems, *, now: datetime, tz: ZoneInfo,
                 complete: bool) -> dict[str, Any]:
    """The consultation form's fields, validated by type; ``complete`` requires every required one."""
    known = {fact.code: fact for fact in legal.consultation_fields}
    language = get_language() or "zh-hans"
    out: dict[str, Any] = {}
    for code, value in values.items():
        fact = known.get(code)
        if fact is None:
            problems.add(f"fields.{code}", _("%(code)s is not a field of the consultation form.") % {"code": code})
            continue
        try:
            cleaned = check.fact_value(fact, value, now=now, tz=tz, language=language)
        except check.FieldInvalid as exc:
            problems.add(f"fields.{code}", exc.message)
            continue
        if cleaned is not None:
            out[code] = cleaned
    if complete:
        for fact in legal.consultation_fields:
            if fact.required and fact.code not in out and not problems.has(f"fields.{fact.code}"):
                problems.add(f"fields.{fact.code}", _("Fill in “%(field)s”.") % {"field": fact.label.get(language)})
    return out


@transaction.atomic
def legal_request(*, actor: Any, number: str, fields: Mapping[str, Any], phoned: bool = False, phone_note: str = "",
                  now: datetime | None = None) -> LegalConsultation:
    """Ask legal in: with the consultation form, or — in an emergency — by phone first, the form to
    be filed afterwards within the policy's time."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    require_owner(actor, complaint)
    require_open(complaint)
    policy = policy_of(complaint.policy_version)
    legal = _legal(policy)
    problems = Problems()
    values = clean_fields(legal, fields, problems, now=now, tz=ZoneInfo(policy.timezone), complete=not phoned)
    if phoned and not phone_note.strip():
        problems.add("phone_note", _("Record what was asked and answered on the phone."))
    if len(phone_note) > 4000:
        problems.add("phone_note", _("At most %(limit)d characters.") % {"limit": 4000})
    problems.raise_if_any()
    consultation = LegalConsultation.objects.create(
        complaint=complaint, state=LegalConsultation.State.PHONED if phoned else LegalConsultation.State.FILED,
        fields=values, phoned=phoned, phone_note=phone_note.strip(), phoned_at=now if phoned else None,
        filed_at=None if phoned else now, requested_by=actor, requested_at=now)
    record(actor=actor, action="legal.request", obj=consultation, complaint=complaint,
           after={"fields": values, "phoned": phoned, "phone_note": consultation.phone_note},
           timeline=on_timeline("legal_requested", consultation=consultation.pk, phoned=phoned,
                                note=consultation.phone_note), at=now)
    subject = f"legal:{consultation.pk}"
    clock_event(complaint=complaint, event=ClockEvent.LEGAL_REQUESTED, at=now, subject=subject, legal=True)
    if phoned:
        clock_event(complaint=complaint, event=ClockEvent.LEGAL_PHONED, at=now, subject=subject, legal=True,
                    duration=legal.urgent_filing_within)
    else:
        clock_event(complaint=complaint, event=ClockEvent.LEGAL_FILED, at=now, subject=subject, legal=True)
    notice_send(users=list(role_holders(Role.LEGAL, at=complaint)), complaint=complaint, kind="legal_requested")
    return consultation


def _consultation(actor: Any, consultation_id: int) -> tuple[LegalConsultation, Complaint]:
    head = LegalConsultation.objects.select_related("complaint").filter(pk=consultation_id).first()
    if head is None:
        raise NotFound(_("There is no legal consultation %(id)s.") % {"id": consultation_id})
    complaint = access_complaint(actor, head.complaint.number, for_update=True)
    consultation = LegalConsultation.objects.select_for_update().get(pk=consultation_id)
    consultation.complaint = complaint
    return consultation, complaint


@transaction.atomic
def legal_file(*, actor: Any, consultation_id: int, fields: Mapping[str, Any],
               now: datetime | None = None) -> LegalConsultation:
    """File the form of a consultation that was phoned first (事后补填)."""
    now = now or timezone.now()
    consultation, complaint = _consultation(actor, consultation_id)
    require_owner(actor, complaint)
    policy = policy_of(complaint.policy_version)
    legal = _legal(policy)
    if consultation.state != LegalConsultation.State.PHONED:
        raise Conflict(_("The form of this consultation is already filed."))
    problems = Problems()
    merged = {**consultation.fields, **dict(fields)}
    values = clean_fields(legal, merged, problems, now=now, tz=ZoneInfo(policy.timezone), complete=True)
    problems.raise_if_any()
    before = dict(consultation.fields)
    consultation.fields = values
    consultation.state = LegalConsultation.State.FILED
    consultation.filed_at = now
    consultation.save(update_fields=["fields", "state", "filed_at"])
    record(actor=actor, action="legal.file", obj=consultation, complaint=complaint,
           before={"fields": before, "state": LegalConsultation.State.PHONED},
           after={"fields": values, "state": consultation.state},
           timeline=on_timeline("legal_filed", consultation=consultation.pk,
                                late_hours=round((now - (consultation.phoned_at or now)).total_seconds() / 3600, 1)),
           at=now)
    clock_event(complaint=complaint, event=ClockEvent.LEGAL_FILED, at=now, subject=f"legal:{consultation.pk}",
                legal=True)
    return consultation


@transaction.atomic
def legal_advise(*, actor: Any, consultation_id: int, advice: str, company_at_fault: bool | None = None,
                 now: datetime | None = None) -> LegalConsultation:
    """Legal's advice, written on the complaint's timeline."""
    now = now or timezone.now()
    consultation, complaint = _consultation(actor, consultation_id)  # outside the actor's units: 404 first
    if not has_role(actor, Role.LEGAL, at=complaint):
        raise PermissionDenied(_("Only the legal department gives legal advice."))
    problems = Problems()
    if not advice.strip():
        problems.add("advice", _("Write the advice."))
    elif len(advice) > 8000:
        problems.add("advice", _("At most %(limit)d characters.") % {"limit": 8000})
    problems.raise_if_any()
    before = {"advice": consultation.advice, "company_at_fault": consultation.company_at_fault}
    consultation.advice = advice.strip()
    consultation.company_at_fault = company_at_fault
    consultation.advised_by = actor
    consultation.advised_at = now
    consultation.save(update_fields=["advice", "company_at_fault", "advised_by", "advised_at"])
    record(actor=actor, action="legal.advise", obj=consultation, complaint=complaint, before=before,
           after={"advice": consultation.advice, "company_at_fault": company_at_fault},
           timeline=on_timeline("legal_advice", consultation=consultation.pk, advice=consultation.advice,
                                company_at_fault=company_at_fault), at=now)
    notice_send(users=[complaint.owner, consultation.requested_by], complaint=complaint, kind="legal_advice")
    return consultation


def _content_type(upload: UploadedFile) -> str:
    return upload_type(upload) or "application/octet-stream"


@transaction.atomic
def agreement_record(*, actor: Any, number: str, kind: str, terms: str, file: UploadedFile | None = None,
                     now: datetime | None = None) -> SettlementAgreement:
    """A settlement with the customer: a written agreement is attached (image or PDF, checked by its
    content); an oral one is recorded by its terms."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    require_owner(actor, complaint)
    policy = policy_of(complaint.policy_version)
    legal = _legal(policy)
    problems = Problems()
    kinds = {k.code: k for k in legal.agreement_kinds}
    definition = kinds.get(kind)
    if definition is None:
        problems.add("kind", _("Choose the kind of agreement: %(all)s.") % {"all": ", ".join(kinds) or "-"})
    if not terms.strip():
        problems.add("terms", _("Record the terms agreed with the customer."))
    elif len(terms) > 8000:
        problems.add("terms", _("At most %(limit)d characters.") % {"limit": 8000})
    if file is not None:
        check_upload(file, "file", problems)
    elif definition is not None and definition.written:
        problems.add("file", _("Attach the signed agreement (image or PDF)."))
    problems.raise_if_any()
    if definition is None:  # pragma: no cover - reported above
        raise Conflict(_("Choose the kind of agreement."))
    consultation = complaint.legal_consultations.order_by("-requested_at").first()
    agreement = SettlementAgreement(complaint=complaint, consultation=consultation, kind=kind,
                                    written=definition.written, terms=terms.strip(), recorded_by=actor,
                                    recorded_at=now)
    if file is not None:
        digest = hashlib.sha256()
        for chunk in file.chunks():
            digest.update(chunk)
        file.seek(0)
        agreement.file = file
        agreement.file_name = (file.name or "agreement")[:255]
        agreement.content_type = _content_type(file)
        agreement.size = file.size or 0
        agreement.sha256 = digest.hexdigest()
    agreement.save()
    record(actor=actor, action="legal.agreement", obj=agreement, complaint=complaint,
           after={"kind": kind, "written": agreement.written, "terms": agreement.terms, "file": agreement.file_name,
                  "sha256": agreement.sha256},
           timeline=on_timeline("agreement_recorded", agreement=agreement.pk, agreement_kind=kind,
                                terms=agreement.terms, file=agreement.file_name), at=now)
    return agreement


@transaction.atomic
def legal_report(*, actor: Any, number: str, text: str, now: datetime | None = None) -> LegalReport:
    """After handling, the final outcome goes to legal; signed agreements are filed with it."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    require_owner(actor, complaint)
    policy = policy_of(complaint.policy_version)
    _legal(policy)
    if not complaint.legal_consultations.exists():
        raise Conflict(_("Legal was not consulted on this complaint; there is nothing to report to legal."))
    if complaint.status not in (Complaint.Status.RESOLVED, Complaint.Status.CLOSED):
        raise Conflict(_("The outcome is reported to legal once the complaint is handled (resolved or closed)."))
    if complaint.legal_reports.exists():
        raise Conflict(_("The outcome was already reported to legal."))
    problems = Problems()
    if not text.strip():
        problems.add("text", _("Write the final outcome for legal."))
    elif len(text) > 8000:
        problems.add("text", _("At most %(limit)d characters.") % {"limit": 8000})
    problems.raise_if_any()
    report = LegalReport.objects.create(complaint=complaint, text=text.strip(), reported_by=actor, reported_at=now)
    filed = complaint.agreements.filter(written=True, filed_with_legal_at__isnull=True).update(
        filed_with_legal_at=now)
    record(actor=actor, action="legal.report", obj=report, complaint=complaint,
           after={"text": report.text, "agreements_filed": filed},
           timeline=on_timeline("legal_reported", text=report.text, agreements_filed=filed), at=now)
    clock_event(complaint=complaint, event=ClockEvent.LEGAL_REPORTED, at=now, legal=True)
    return report
