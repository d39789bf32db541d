"""Privacy requests: find what is held about a person, place and release legal holds, erase on
request. Only the administrator and the legal department answer privacy requests, within their
units; every step is audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import can
from complaintdesk.complaints.contact_index import complaint_ids_for
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint, visible_complaints
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import Conflict, NotFound, PermissionDenied, Problems
from complaintdesk.privacy.erasure import active_hold, complaint_erase
from complaintdesk.privacy.models import Erasure, LegalHold


def may_answer(actor: Any) -> None:
    if not can(actor, "privacy.answer"):
        raise PermissionDenied(_("Only the administrator and the legal department answer privacy requests."))


def person_complaints(*, actor: Any, contact: str = "", number: str = "") -> list[Complaint]:
    """The complaints of the person identified by an exact phone number, e-mail address, IMEI or
    social-media account (through the blind index; never a substring), or by a complaint number
    (that complaint's customer, then every complaint with the same contact data)."""
    may_answer(actor)
    problems = Problems()
    if not contact.strip() and not number.strip():
        problems.add("contact", _("Give the person's phone, e-mail, IMEI or a complaint number."))
    problems.raise_if_any()
    ids: set[int] = set()
    if contact.strip():
        ids.update(complaint_ids_for(contact))
    if number.strip():
        complaint = access_complaint(actor, number.strip())
        ids.add(complaint.pk)
        customer = complaint.customer
        for value in (customer.phone, customer.email, customer.social_account):
            if value:
                ids.update(complaint_ids_for(value))
    return list(visible_complaints(actor).filter(pk__in=ids)
                .select_related("customer", "product", "unit").order_by("registered_at", "id"))


@transaction.atomic
def hold_place(*, actor: Any, number: str, reason: str, now: datetime | None = None) -> LegalHold:
    may_answer(actor)
    complaint = access_complaint(actor, number.strip())
    if not reason.strip():
        problems = Problems()
        problems.add("reason", _("Say why the data must be kept (the case, the authority)."))
        problems.raise_if_any()
    hold = LegalHold.objects.create(complaint=complaint, reason=reason.strip(), placed_by=actor,
                                    placed_at=now or timezone.now())
    audit(actor=actor, action="privacy.hold", obj=hold, complaint_number=complaint.number,
          after={"reason": hold.reason})
    return hold


@transaction.atomic
def hold_release(*, actor: Any, hold_id: int, reason: str, now: datetime | None = None) -> LegalHold:
    may_answer(actor)
    hold = LegalHold.objects.select_for_update().filter(pk=hold_id, released_at__isnull=True).first()
    if hold is None or not visible_complaints(actor).filter(pk=hold.complaint_id).exists():
        raise NotFound(_("There is no legal hold %(id)s in force.") % {"id": hold_id})
    if not reason.strip():
        problems = Problems()
        problems.add("reason", _("Say why the hold ends."))
        problems.raise_if_any()
    LegalHold.objects.filter(pk=hold.pk).update(released_at=now or timezone.now(), released_by=actor,
                                                release_reason=reason.strip())
    hold.refresh_from_db()
    audit(actor=actor, action="privacy.release", obj=hold, before={"reason": hold.reason},
          after={"release_reason": hold.release_reason})
    return hold


@transaction.atomic
def person_erase(*, actor: Any, contact: str = "", number: str = "", reason: str,
                 now: datetime | None = None) -> list[Erasure]:
    """Erase the personal data of every complaint of the person (a customer's request). All or
    nothing: if any of them is under a legal hold, nothing is erased and the held numbers are
    named."""
    complaints = person_complaints(actor=actor, contact=contact, number=number)
    problems = Problems()
    if not reason.strip():
        problems.add("reason", _("Record the request (its date and how the person was identified)."))
    if not complaints:
        problems.add("contact", _("No complaint in your units matches this person."))
    problems.raise_if_any()
    held = [c.number for c in complaints if active_hold(c) is not None]
    if held:
        raise Conflict(_("Nothing was erased: complaints %(numbers)s are under a legal hold.")
                       % {"numbers": ", ".join(held)})
    todo = [c for c in complaints if not Erasure.objects.filter(complaint=c).exists()]
    if not todo:
        raise Conflict(_("The personal data of these complaints has already been erased."))
    when = now or timezone.now()
    return [complaint_erase(actor=actor, complaint=c, cause=Erasure.Cause.REQUEST, reason=reason.strip(), now=when)
            for c in todo]
