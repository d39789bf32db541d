"""Erasing a customer's personal data from one complaint, in every table, in one transaction.

What is erased: the customer's name, company, phone, e-mail, social-media account, address and
special identity; the product's IMEI; the facts typed phone or IMEI; the blind-index digests; the
bodies and recipients of messages sent to the customer; files the customer or staff attached
(removed from disk); one-time portal codes; inbound mail headers. A customer record shared with
other complaints (the customer archive) is first copied into a record of this complaint's own
(complaints/services/customers.py ``customer_detach``): the copy is erased, the others keep theirs.
Free text written by staff and the customer (the complaint's three parts, progress entries, work
orders, notes, the timeline) is scrubbed of every known identifier of the customer (names,
numbers, addresses), not rewritten.

What stays: the complaint row with its category, level, status, dates, costs and clocks, so that
every statistic keeps counting it; the audit chain, which holds identifiers of records and never
contact values (amendments record a keyed digest of a changed contact value), so that
``audit verify`` still passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.contact_index import private_fact_codes
from complaintdesk.complaints.models import (
    Attachment,
    Complaint,
    ContactAttempt,
    ContactDigest,
    CustomerDigest,
    ProgressEntry,
    TimelineEntry,
    WorkOrder,
)
from complaintdesk.complaints.services.common import search_text_for
from complaintdesk.complaints.services.customers import customer_detach
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import Conflict
from complaintdesk.core.policies import policy_of
from complaintdesk.followup.models import Appeal, Judgement, ReturnVisit
from complaintdesk.integrations.models import InboundMail
from complaintdesk.notify.models import Message
from complaintdesk.portal.models import AccessCode, CustomerFile
from complaintdesk.portal.uploads import remove_file
from complaintdesk.privacy.models import Erasure, LegalHold
from complaintdesk.resolutions.models import Approval, LegalConsultation, LegalReport, Plan, SettlementAgreement

ERASED = "[已删除 erased]"
CUSTOMER_FIELDS = ("first_name", "last_name", "company", "phone", "email", "social_account", "address",
                   "special_identity")


def active_hold(complaint: Complaint) -> LegalHold | None:
    return LegalHold.objects.filter(complaint=complaint, released_at__isnull=True).order_by("placed_at").first()


def identifiers(complaint: Complaint) -> list[str]:
    """Every known value that identifies the customer of ``complaint``, longest first (so that a
    full name is replaced before the family name inside it)."""
    customer = complaint.customer
    values: set[str] = {str(getattr(customer, name) or "").strip() for name in CUSTOMER_FIELDS}
    values.add(f"{customer.last_name}{customer.first_name}".strip())
    values.add(f"{customer.first_name} {customer.last_name}".strip())
    values.add(f"{customer.last_name} {customer.first_name}".strip())
    if complaint.product is not None:
        values.add(complaint.product.imei)
    for code in _private_facts(complaint):
        values.add(str(complaint.facts.get(code) or ""))
    phone = str(customer.phone or "")
    if phone.startswith("+86"):
        values.add(phone[3:])
    # a single character (a one-letter name) would scrub unrelated words; two Chinese characters
    # (a full name such as 刘芳) are kept
    return sorted((v for v in values if len(v) >= 2), key=len, reverse=True)


def _private_facts(complaint: Complaint) -> list[str]:

    return sorted(private_fact_codes(policy_of(complaint.policy_version), complaint.category))


def scrub(value: Any, known: Iterable[str]) -> Any:
    """``value`` (text, or lists and dicts of them) with each known identifier replaced."""
    patterns = [re.escape(item) for item in known]
    if not patterns:
        return value
    pattern = re.compile("|".join(patterns), re.IGNORECASE)

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return pattern.sub(ERASED, item)
        if isinstance(item, list):
            return [walk(v) for v in item]
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        return item

    return walk(value)


def _scrub_rows(model: Any, rows: Any, fields: Iterable[str], known: list[str]) -> int:
    changed = 0
    for row in rows:
        updates = {}
        for name in fields:
            old = getattr(row, name)
            new = scrub(old, known)
            if new != old:
                updates[name] = new
        if updates:
            model.objects.filter(pk=row.pk).update(**updates)
            changed += 1
    return changed


@transaction.atomic
def complaint_erase(*, actor: Any, complaint: Complaint, cause: str, reason: str = "",
                    now: datetime | None = None) -> Erasure:
    """Erase the personal data of ``complaint``'s customer (see the module's docstring). Refused
    while a legal hold is in force, and for a complaint already erased."""
    now = now or timezone.now()
    complaint = (Complaint.objects.select_for_update(of=("self",))
                 .select_related("customer", "product", "policy_version").get(pk=complaint.pk))
    hold = active_hold(complaint)
    if hold is not None:
        raise Conflict(_("Complaint %(number)s is under a legal hold (%(reason)s); release the hold before "
                         "erasing.") % {"number": complaint.number, "reason": hold.reason})
    if Erasure.objects.filter(complaint=complaint).exists():
        raise Conflict(_("The personal data of complaint %(number)s has already been erased.")
                       % {"number": complaint.number})
    known = identifiers(complaint)
    counts: dict[str, int] = {}
    # a customer shared with other complaints keeps its record for them: this complaint gets its own
    customer = customer_detach(complaint=complaint, now=now)
    counts["customer_digests"] = CustomerDigest.objects.filter(customer=customer).delete()[0]
    type(customer).objects.filter(pk=customer.pk).update(
        **dict.fromkeys(CUSTOMER_FIELDS, ""), name_note=ERASED)
    if complaint.product is not None:
        type(complaint.product).objects.filter(pk=complaint.product.pk).update(imei="")
    private = set(_private_facts(complaint))
    facts = {code: ("" if code in private else scrub(value, known)) for code, value in complaint.facts.items()}
    texts = {name: scrub(getattr(complaint, name), known)
             for name in ("reason", "description", "customer_request", "case_origin", "outcome_note",
                          "withdrawn_by", "corrective_action", "level_override_reason")}
    missing_notes = scrub(complaint.missing_notes, known)
    search = search_text_for(complaint.number, {}, {"model": complaint.product.model if complaint.product else ""},
                             texts["reason"], texts["description"], texts["customer_request"], facts,
                             texts["case_origin"], private, complaint.source_number)
    Complaint.objects.filter(pk=complaint.pk).update(facts=facts, missing_notes=missing_notes, search_text=search,
                                                     **texts)
    counts["contact_digests"] = ContactDigest.objects.filter(complaint=complaint).delete()[0]
    to_customer = Message.objects.filter(complaint=complaint, recipient_user__isnull=True)
    counts["messages"] = to_customer.update(recipient="", subject="", body=ERASED, params=None)
    counts["timeline"] = _scrub_rows(TimelineEntry, complaint.timeline.all(), ["data"], known)
    counts["progress"] = _scrub_rows(ProgressEntry, ProgressEntry.objects.filter(complaint=complaint),
                                     ["verified", "done", "next_step", "no_update_reason"], known)
    counts["work_orders"] = _scrub_rows(WorkOrder, WorkOrder.objects.filter(complaint=complaint),
                                        ["request", "reply", "follow_up"], known)
    counts["contacts"] = _scrub_rows(ContactAttempt, ContactAttempt.objects.filter(complaint=complaint),
                                     ["note"], known)
    counts["return_visits"] = _scrub_rows(ReturnVisit, ReturnVisit.objects.filter(complaint=complaint),
                                          ["reason", "note"], known)
    counts["judgements"] = _scrub_rows(Judgement, Judgement.objects.filter(complaint=complaint), ["note"], known)
    counts["appeals"] = _scrub_rows(Appeal, Appeal.objects.filter(judgement__complaint=complaint),
                                    ["grounds", "review_note"], known)
    counts["plans"] = _scrub_rows(Plan, Plan.objects.filter(complaint=complaint),
                                  ["what", "why", "how", "emergency_reason", "implementation_note", "customer_words",
                                   "search_text"], known)
    counts["approvals"] = _scrub_rows(Approval, Approval.objects.filter(complaint=complaint), ["comment"], known)
    counts["legal"] = (
        _scrub_rows(LegalConsultation, LegalConsultation.objects.filter(complaint=complaint),
                    ["phone_note", "advice"], known)
        + _scrub_rows(SettlementAgreement, SettlementAgreement.objects.filter(complaint=complaint), ["terms"], known)
        + _scrub_rows(LegalReport, LegalReport.objects.filter(complaint=complaint), ["text"], known))
    counts["files"] = 0
    for attachment in Attachment.objects.filter(complaint=complaint):
        attachment.file.delete(save=False)
        attachment.delete()
        counts["files"] += 1
    for customer_file in CustomerFile.objects.filter(complaint=complaint):
        remove_file(customer_file.path)
        customer_file.delete()
        counts["files"] += 1
    counts["access_codes"] = AccessCode.objects.filter(complaint=complaint).delete()[0]
    counts["inbound_mail"] = InboundMail.objects.filter(complaint=complaint).update(sender="", subject=ERASED)
    erasure = Erasure.objects.create(complaint=complaint, cause=cause, reason=reason, by=actor, at=now,
                                     counts=counts)
    audit(actor=actor, action="privacy.erase", obj=complaint, complaint_number=complaint.number,
          after={"cause": cause, "counts": counts})
    return erasure
