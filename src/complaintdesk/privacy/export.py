"""Everything held about a person, as one JSON document and as an Excel workbook (PIPL art. 45,
GDPR art. 15). The export is what the complaint records hold, not what staff think of it: staff
notices and the audit chain are not part of it."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.audit import audit
from complaintdesk.followup.models import ReturnVisit
from complaintdesk.notify.models import Message
from complaintdesk.portal.models import CustomerFile
from complaintdesk.privacy.models import Erasure, LegalHold
from complaintdesk.privacy.services import may_answer


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _complaint(complaint: Complaint) -> dict[str, Any]:
    customer, product = complaint.customer, complaint.product
    return {
        "number": complaint.number,
        "unit": complaint.unit.code,
        "received_at": _value(complaint.received_at),
        "channel": complaint.channel,
        "category": complaint.category,
        "level": complaint.level,
        "status": complaint.status,
        "customer": {"title": customer.title, "first_name": customer.first_name, "last_name": customer.last_name,
                     "company": customer.company, "phone": customer.phone, "email": customer.email,
                     "social_account": customer.social_account, "address": customer.address,
                     "special_identity": customer.special_identity, "language": customer.language},
        "product": None if product is None else {
            "model": product.model, "imei": product.imei, "build_number": product.build_number,
            "purchase_date": _value(product.purchase_date)},
        "reason": complaint.reason,
        "description": complaint.description,
        "customer_request": complaint.customer_request,
        "facts": complaint.facts,
        "resolved_at": _value(complaint.resolved_at),
        "closed_at": _value(complaint.closed_at),
        "outcome": complaint.outcome_reason,
        "messages": [
            {"at": _value(m.created_at), "channel": m.channel, "recipient": m.recipient, "subject": m.subject,
             "body": m.body, "status": m.status, "sent_at": _value(m.sent_at)}
            for m in Message.objects.filter(complaint=complaint, recipient_user__isnull=True).order_by("id")],
        "contacts": [
            {"at": _value(c.at), "purpose": c.purpose, "outcome": c.outcome, "note": c.note}
            for c in complaint.contact_attempts.order_by("at", "id")],
        "return_visits": [
            {"due_at": _value(v.due_at), "state": v.state, "result": v.result, "satisfaction": v.satisfaction,
             "score": v.score, "reason": v.reason, "note": v.note}
            for v in ReturnVisit.objects.filter(complaint=complaint).order_by("cycle", "id")],
        "files": [
            *({"name": a.name, "size": a.size, "uploaded_at": _value(a.uploaded_at), "by": "staff"}
              for a in complaint.attachments.order_by("id")),
            *({"name": f.name, "size": f.size, "uploaded_at": _value(f.uploaded_at), "by": "customer"}
              for f in CustomerFile.objects.filter(complaint=complaint).order_by("id"))],
        "legal_holds": [
            {"placed_at": _value(h.placed_at), "reason": h.reason, "released_at": _value(h.released_at)}
            for h in LegalHold.objects.filter(complaint=complaint).order_by("placed_at")],
        "erased_at": _value(Erasure.objects.filter(complaint=complaint).values_list("at", flat=True).first()),
    }


def person_export(*, actor: Any, complaints: list[Complaint]) -> dict[str, Any]:
    """The export document for the person's complaints (found by ``services.person_complaints``).
    Each export is audited (who exported which complaints), without the data itself."""
    may_answer(actor)
    document = {"exported_at": _value(timezone.now()), "complaints": [_complaint(c) for c in complaints]}
    with transaction.atomic():
        audit(actor=actor, action="privacy.export", object_type="person", object_id="",
              after={"complaints": [c.number for c in complaints]})
    return document


def export_workbook(document: dict[str, Any]) -> bytes:
    """The export as a workbook: one sheet of complaints, one of messages, one of contacts, visits
    and files, with headers in the active language."""
    from openpyxl import Workbook  # lazy: memory (openpyxl is 18 MB; the web workers seldom write a workbook)
    from openpyxl.styles import Font  # lazy: memory

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has its first sheet
    sheet.title = _("Complaints")[:31]
    headers = [_("Number"), _("Received"), _("Channel"), _("Category"), _("Status"), _("Name"), _("Phone"),
               _("E-mail"), _("Address"), _("IMEI"), _("Reason"), _("Description"), _("Request")]
    sheet.append(headers)
    for complaint in document["complaints"]:
        customer, product = complaint["customer"], complaint["product"] or {}
        sheet.append([complaint["number"], complaint["received_at"], complaint["channel"], complaint["category"],
                      complaint["status"], f"{customer['last_name']}{customer['first_name']}", customer["phone"],
                      customer["email"], customer["address"], product.get("imei", ""), complaint["reason"],
                      complaint["description"], complaint["customer_request"]])
    sections = [
        (_("Messages"), "messages", [("at", _("Time")), ("channel", _("Channel")), ("recipient", _("Recipient")),
                                     ("subject", _("Subject")), ("body", _("Text")), ("status", _("Status"))]),
        (_("Contacts"), "contacts", [("at", _("Time")), ("purpose", _("Purpose")), ("outcome", _("Outcome")),
                                     ("note", _("Note"))]),
        (_("Return visits"), "return_visits", [("due_at", _("Due")), ("state", _("State")),
                                               ("satisfaction", _("Satisfaction")), ("note", _("Note"))]),
        (_("Files"), "files", [("name", _("File")), ("size", _("Size in bytes")), ("uploaded_at", _("Time")),
                               ("by", _("Added by"))]),
    ]
    for title, key, columns in sections:
        part = workbook.create_sheet(title[:31])
        part.append([_("Number"), *(label for _code, label in columns)])
        for complaint in document["complaints"]:
            for row in complaint[key]:
                part.append([complaint["number"], *(row[code] for code, _label in columns)])
    for part in workbook.worksheets:
        for cell in part[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
