"""Registration: a complaint recorded completely and correctly, under the policy in force.

Every field is checked before anything is written, and every problem is collected so that one answer
lists them all; then customer, product, complaint, timeline, audit event, acknowledgement message and
its delivery task are written in one transaction — all or nothing."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import can
from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.services import clock_event, clocks_save_new
from complaintdesk.complaints import contact_index
from complaintdesk.complaints import validation as check
from complaintdesk.complaints.inputs import CustomerInput, ProductInput, RegistrationInput
from complaintdesk.complaints.models import Complaint, ContactDigest, Customer, Product
from complaintdesk.complaints.services import watchers
from complaintdesk.complaints.services.common import (
    Written,
    bound_values,
    clean_fact_values,
    clean_notes,
    clean_reason_codes,
    clean_source_number,
    clean_targets,
    fill_bound_fields,
    refuse_known_source,
    search_text_for,
    timeline_add,
    timeline_collected,
    trigger_text,
)
from complaintdesk.complaints.services.customers import customers_for
from complaintdesk.complaints.services.receiving import registration_policy, registration_unit
from complaintdesk.complaints.services.registered import notify_level_supervisors, policy_owner, record_registration
from complaintdesk.core.errors import PermissionDenied, Problems
from complaintdesk.core.models import PolicyVersion
from complaintdesk.core.sequences import next_value
from complaintdesk.notify.services import message_queue
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent, Policy
from complaintdesk.units.models import Unit, root_unit
from complaintdesk.units.policies import unit_policy

LANGUAGES = {"zh-hans", "en"}
KINDS = frozenset(Customer.Kind.values)
# a register repeats values (a shop's phone, a model's IMEI): each distinct valid value is parsed once
_phone, _email, _imei = (functools.lru_cache(maxsize=16384)(f) for f in (check.phone, check.email, check.imei))


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def whole_name(first: str, last: str) -> bool:
    """Both the first and the last name, or a Chinese name written whole in one of them (two Han
    characters or more, as 姓名 is written: 张伟, 欧阳娜娜); a surname alone (王) is not."""
    if first and last:
        return True
    one = first or last
    return len(one) >= 2 and " " not in one and all(_HAN.match(char) for char in one)


def clean_customer(policy: Policy, data: CustomerInput, problems: Problems, prefix: str = "customer") -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": data.title.strip().lower(),
        "first_name": data.first_name.strip(),
        "last_name": data.last_name.strip(),
        "name_note": data.name_note.strip(),
        "kind": data.kind.strip() or Customer.Kind.INDIVIDUAL,
        "company": data.company.strip(),
        "social_account": data.social_account.strip(),
        "address": data.address.strip(),
        "special_identity": data.special_identity.strip(),
        "emotion": data.emotion.strip(),
        "language": (data.language.strip().lower() or policy.language),
        "phone": "",
        "email": "",
    }
    if out["title"] not in {"mr", "ms", ""}:
        problems.add(f"{prefix}.title", _("Choose Mr. or Ms., or leave the title empty."))
    if out["kind"] not in KINDS:
        problems.add(f"{prefix}.kind", _("The customer is an individual or an enterprise."))
    if policy.full_name and not (whole_name(out["first_name"], out["last_name"]) or out["name_note"]):
        problems.add(f"{prefix}.name_note",
                     _("Record the customer's first and last name, or a note saying why the customer will not "
                       "give both."))
    elif not (out["first_name"] or out["last_name"] or out["name_note"]):
        problems.add(f"{prefix}.name_note",
                     _("Record the customer's name, or a note saying why the customer will not give it."))
    for key, limit in (("first_name", 80), ("last_name", 80), ("company", 160), ("address", 255),
                       ("social_account", 160), ("name_note", 255)):
        if len(out[key]) > limit:
            problems.add(f"{prefix}.{key}", _("At most %(limit)d characters.") % {"limit": limit})
    if data.phone.strip():
        try:
            out["phone"] = _phone(data.phone)
        except check.FieldInvalid as exc:
            problems.add(f"{prefix}.phone", exc.message)
    if data.email.strip():
        try:
            out["email"] = _email(data.email)
        except check.FieldInvalid as exc:
            problems.add(f"{prefix}.email", exc.message)
    if not (data.phone.strip() or data.email.strip() or out["social_account"] or out["address"]):
        problems.add(f"{prefix}.phone",
                     _("Record at least one way to reach the customer: phone, e-mail, social-media "
                       "account or address."))
    identities = {option.code for option in policy.special_identities}
    if out["special_identity"] and out["special_identity"] not in identities:
        problems.add(f"{prefix}.special_identity",
                     _("Unknown special identity %(code)s.") % {"code": out["special_identity"]})
    emotions = {option.code for option in policy.emotions}
    if out["emotion"] and emotions and out["emotion"] not in emotions:
        problems.add(f"{prefix}.emotion", _("Unknown emotion %(code)s.") % {"code": out["emotion"]})
    if out["language"] not in LANGUAGES:
        problems.add(f"{prefix}.language", _("The language is zh-hans or en."))
    return out


def clean_product(data: ProductInput, problems: Problems, today: date, prefix: str = "product") -> dict[str, Any]:
    out: dict[str, Any] = {
        "model": data.model.strip(),
        "imei": "",
        "build_number": data.build_number.strip(),
        "purchase_date": None,
        "purchase_date_approximate": bool(data.purchase_date_approximate),
        "place_of_purchase": data.place_of_purchase.strip(),
        "lot_number": data.lot_number.strip(),
    }
    if data.imei.strip():
        try:
            out["imei"] = _imei(data.imei)
        except check.FieldInvalid as exc:
            problems.add(f"{prefix}.imei", exc.message)
    if data.purchase_date.strip():
        try:
            out["purchase_date"] = check.not_future_date(check.parse_date(data.purchase_date), today)
        except check.FieldInvalid as exc:
            problems.add(f"{prefix}.purchase_date", exc.message)
    for key, limit in (("model", 80), ("build_number", 80), ("place_of_purchase", 160), ("lot_number", 80)):
        if len(out[key]) > limit:
            problems.add(f"{prefix}.{key}", _("At most %(limit)d characters.") % {"limit": limit})
    return out


def _id_list(values: list[str], path: str, problems: Problems) -> list[str]:
    out = []
    for index, value in enumerate(values):
        text = str(value).strip()
        if not text:
            continue
        if len(text) > 64:
            problems.add(f"{path}[{index}]", _("At most %(limit)d characters.") % {"limit": 64})
        elif text not in out:
            out.append(text)
    return out


@dataclass
class Registration:
    """A validated registration, ready to be written."""

    customer: dict[str, Any]
    product: dict[str, Any]
    channel: str
    case_origin: str
    category: str
    targets: list[str]
    primary_target: str
    reason_codes: list[str]
    reason: str
    description: str
    customer_request: str
    requested_deadline: datetime | None
    facts: dict[str, Any]
    notes: dict[str, str]
    flags: list[str]
    level: str
    suggestion: rules.LevelSuggestion
    level_override_reason: str
    urgent: bool
    urgency_reason: str
    earlier_case_ids: list[str]
    repair_ids: list[str]
    units: int | None
    received_at: datetime
    completeness: rules.Completeness
    source_number: str = ""


def clean_registration(policy: Policy, data: RegistrationInput, now: datetime) -> Registration:
    """Validate a registration against the policy; raise ValidationFailed listing every problem."""
    tz = ZoneInfo(policy.timezone)
    today = now.astimezone(tz).date()
    problems = Problems()
    customer = clean_customer(policy, data.customer, problems)
    product = clean_product(data.product, problems, today)

    channel_code = data.channel.strip()
    channel = None
    if not channel_code:
        problems.add("channel", _("Choose the channel the complaint came through."))
    else:
        try:
            channel = policy.channel(channel_code)
        except KeyError:
            problems.add("channel", _("Unknown channel %(code)s; choose one of the policy's channels.")
                         % {"code": channel_code})
    case_origin, source_number = data.case_origin.strip(), clean_source_number(data.source_number, problems)
    if channel is not None and channel.requires_origin and not case_origin:
        label = channel.origin_label.get(customer["language"]) if channel.origin_label else ""
        problems.add("case_origin", _("This channel requires the case origin: %(what)s.") % {"what": label})

    category_code = data.category.strip()
    category = None
    if not category_code:
        problems.add("category", _("Choose the complaint category."))
    else:
        try:
            category = policy.category(category_code)
        except KeyError:
            problems.add("category", _("Unknown category %(code)s; choose one of the policy's categories.")
                         % {"code": category_code})

    targets = clean_targets(policy, data.targets, category, problems)
    reason_codes = clean_reason_codes(policy, data.reason_codes, problems)

    reason = data.reason.strip()
    description = data.description.strip()
    request = data.customer_request.strip()
    if not reason:
        problems.add("reason", _("Describe the complaint reason: the target and the concern."))
    if not description:
        problems.add("description", _("Describe the issue: the facts of what happened."))
    if not request:
        problems.add("customer_request", _("Record what the customer asks for and by when."))
    for key, value in (("reason", reason), ("description", description), ("customer_request", request)):
        if len(value) > 8000:
            problems.add(key, _("At most %(limit)d characters.") % {"limit": 8000})

    requested_deadline = None
    if data.requested_deadline.strip():
        try:
            requested_deadline = check.parse_datetime(data.requested_deadline, tz)
        except check.FieldInvalid as exc:
            problems.add("requested_deadline", exc.message)

    received_at = now
    if data.received_at.strip():
        try:
            received_at = check.not_future_moment(check.parse_datetime(data.received_at, tz), now, tz)
        except check.FieldInvalid as exc:
            problems.add("received_at", exc.message)

    known_flags = {flag.code for flag in policy.flags}
    flags = []
    for index, flag in enumerate(data.flags):
        if flag not in known_flags:
            problems.add(f"flags[{index}]", _("Unknown flag %(code)s.") % {"code": flag})
        elif flag not in flags:
            flags.append(flag)
    if customer["special_identity"] and "special_identity" in known_flags and "special_identity" not in flags:
        flags.append("special_identity")

    units = data.units
    if units is not None and units < 1:
        problems.add("units", _("The number of units must be at least 1."))

    facts: dict[str, Any] = {}
    notes: dict[str, str] = {}
    if category is not None:
        facts = clean_fact_values(category, data.facts, problems, now=now, tz=tz, language=customer["language"])
        notes = clean_notes(category, data.missing_notes, problems)
        units = fill_bound_fields(category, facts, product, units, problems)

    earlier = _id_list(data.earlier_case_ids, "earlier_case_ids", problems)
    repairs = _id_list(data.repair_ids, "repair_ids", problems)

    suggestion = rules.suggest_level(
        policy, text=trigger_text(reason, description, request, facts), flags=flags,
        channel=channel_code if channel else None, category=category_code if category else None, units=units,
        special_identities=[customer["special_identity"]] if customer["special_identity"] else [],
    )
    applied = rules.applied_level(policy, suggestion.level)  # a level only suggested waits for a person
    level = data.level.strip() or applied
    override_reason = data.level_override_reason.strip()
    if data.level.strip():
        try:
            policy.level(level)
        except KeyError:
            problems.add("level", _("Unknown level %(code)s.") % {"code": level})
        if level not in (suggestion.level, applied) and not override_reason:
            problems.add("level_override_reason",
                         _("The suggested level is %(level)s; give the reason for choosing another.")
                         % {"level": policy.level(suggestion.level).label.get(customer["language"])})
    if level in (suggestion.level, applied):
        override_reason = ""

    if len(data.urgency_reason) > 2000:
        problems.add("urgency_reason", _("At most %(limit)d characters.") % {"limit": 2000})
    problems.raise_if_any()
    if category is None or channel is None:  # unreachable: both were reported above
        raise ValueError('category and channel are validated above')
    complete = rules.completeness(category, facts=facts, notes=notes,
                                  bound=bound_values(customer, product, units), channel=channel.code)
    primary = rules.primary_target(policy, targets) or ""
    return Registration(
        customer=customer, product=product, channel=channel_code, case_origin=case_origin,
        category=category_code, targets=targets, primary_target=primary, reason_codes=reason_codes,
        reason=reason, description=description, customer_request=request,
        requested_deadline=requested_deadline, facts=facts, notes=notes, flags=flags, level=level,
        suggestion=suggestion, level_override_reason=override_reason, urgent=bool(data.urgent),
        urgency_reason=data.urgency_reason.strip(), earlier_case_ids=earlier,
        repair_ids=repairs, units=units, received_at=received_at, completeness=complete,
        source_number=source_number,
    )


def _has_product(product: dict[str, Any]) -> bool:
    return any(value for key, value in product.items() if key != "purchase_date_approximate")


def find_repeats(policy: Policy, customer: dict[str, Any], product: dict[str, Any], now: datetime) -> list[Complaint]:
    """Earlier complaints by the same phone / e-mail / IMEI within the policy's repeat window."""
    # counted in days as the law counts them: today does not count, and the window reaches back to the
    # start (00:00) of the day window_days before today
    today = now.astimezone(ZoneInfo(policy.timezone)).date()
    window_start = datetime.combine(today - timedelta(days=policy.repeat.window_days), datetime.min.time(),
                                    tzinfo=ZoneInfo(policy.timezone))
    # contact data is encrypted at rest: matched through the keyed blind index, never in clear
    digests = set()
    if "phone" in policy.repeat.match and customer["phone"]:
        digests.add(contact_index.digest("phone", customer["phone"]))
    if "email" in policy.repeat.match and customer["email"]:
        digests.add(contact_index.digest("email", str(customer["email"]).strip().lower()))
    if "imei" in policy.repeat.match and product["imei"]:
        digests.add(contact_index.digest("imei", product["imei"]))
    if not digests:
        return []
    matching = ContactDigest.objects.filter(digest__in=digests).values("complaint_id")
    # counted from when the earlier complaint was received, not when it was keyed in: an imported
    # register's complaints are registered on the day of the import (docs/decisions/0011)
    return list(Complaint.objects.filter(pk__in=matching, received_at__gte=window_start)
                .order_by("received_at")[:20])


@transaction.atomic
def complaint_register(*, actor: Any, data: RegistrationInput, now: datetime | None = None,
                       written: Written | None = None) -> Complaint:
    """Register a complaint at the unit that received it (``data.unit`` or the actor's home unit),
    under that unit's policy; the registering user owns it (first-person responsibility).
    ``written`` receives the rows the answer shows (timeline, clocks, repeats)."""
    if not can(actor, "complaint.register"):
        raise PermissionDenied(_("Your role may not register complaints."))
    unit = registration_unit(actor, data.unit)
    version, policy = registration_policy(unit)
    now = now or timezone.now()
    reg = clean_registration(policy, data, now)
    return _write(actor=actor, version=version, policy=policy, reg=reg, now=now, unit=unit, written=written)


@transaction.atomic
def complaint_register_public(*, owner: Any, data: RegistrationInput, door: str, now: datetime | None = None,
                              unit: Unit | None = None) -> Complaint:
    """Register a complaint the customer filed without a member of staff (the portal, e-mail): the
    same validation and writes as :func:`complaint_register`, recorded as the system's act (no
    actor) through ``door``; ``owner`` takes it (first-person responsibility). The complaint belongs
    to ``unit`` (the portal's ``?unit=``), head office by default."""
    unit = unit or root_unit()
    version, policy = unit_policy(unit)
    now = now or timezone.now()
    reg = clean_registration(policy, data, now)
    return _write(actor=None, version=version, policy=policy, reg=reg, now=now, owner=owner, door=door, unit=unit)


def _write(*, actor: Any, version: PolicyVersion, policy: Policy, reg: Registration, now: datetime, unit: Unit,
           owner: Any = None, door: str = "", written: Written | None = None) -> Complaint:
    registrant = owner or actor
    owner = policy_owner(policy, registrant, unit)  # the registrant, or the policy's handler (``handled_by``)
    tz = ZoneInfo(policy.timezone)
    if reg.source_number:
        refuse_known_source(unit, reg.source_number)
    # the customer on record with the same phone, e-mail or IMEI is reused (the customer archive)
    created: list[Customer] = []
    customer = customers_for([(reg.customer, reg.product)], now=now, created=created)[0]
    product = Product.objects.create(customer=customer, **reg.product) if _has_product(reg.product) else None
    if created:  # a new customer: its only product is this one, it has no index rows yet
        contact_index.index_new_customer(customer, [product.imei] if product and product.imei else [])
    else:
        contact_index.index_customers([customer])
    repeats = find_repeats(policy, reg.customer, reg.product, now)
    local_day = now.astimezone(tz).date()
    number = rules.format_number(policy, local_day,
                                 next_value(rules.sequence_key(policy, local_day, unit.number_prefix)),
                                 unit.number_prefix)

    private = contact_index.private_fact_codes(policy, reg.category)
    complaint = Complaint(**complaint_fields(
        reg, number=number, version=version, customer=customer, product=product, owner=owner, now=now,
        private=private, unit=unit, registered_by=registrant))
    for name in ("received_at", "requested_deadline"):  # in UTC, as a read of the record gives them
        moment = getattr(complaint, name)
        setattr(complaint, name, moment.astimezone(UTC) if moment is not None else None)
    # the policy's clocks start now (the promised reply time is one of them): computed before the
    # complaint is inserted, so that the promise is written with it and the clocks in one statement
    clocks: list[Clock] = []
    clock_event(complaint=complaint, event=ClockEvent.REGISTERED, at=complaint.received_at, new=clocks)
    if reg.urgent:
        clock_event(complaint=complaint, event=ClockEvent.URGENCY_RAISED, at=complaint.received_at, new=clocks)
    complaint.save(force_insert=True)
    clocks_save_new(clocks)
    contact_index.index_complaint(complaint, contact_index.contact_digests(reg.customer, reg.product, reg.facts,
                                                                           private), new=True)
    if repeats:
        complaint.repeats.add(*repeats)
    with timeline_collected() as collected:
        record_registration(actor=actor, policy=policy, reg=reg, complaint=complaint, owner=owner, door=door,
                             repeats=repeats, now=now, registrant=registrant)
        notify_level_supervisors(policy=policy, complaint=complaint, actor=actor)
        _acknowledge(actor=actor, policy=policy, complaint=complaint, customer=customer, now=now)
        watchers.registered(complaint, actor, now)
    if written is not None:
        written.timeline = collected.get(complaint.pk, [])
        written.clocks = clocks
        written.repeats = repeats
    return complaint


def _acknowledge(*, actor: Any, policy: Policy, complaint: Complaint, customer: Customer, now: datetime) -> None:
    """Queue the acknowledgement (number, time received, promised reply time) to the customer."""
    tz = ZoneInfo(policy.timezone)
    language = complaint.language
    reply_by = complaint.reply_due_at
    body = rules.render_message(
        policy.messages.acknowledgement.get(language),
        number=complaint.number,
        received_at=rules.format_moment(complaint.received_at.astimezone(tz), language),
        reply_by=rules.format_moment(reply_by.astimezone(tz), language) if reply_by else "-",
        organisation=policy.organisation.get(language),
    )
    if customer.phone:
        channel, recipient = "sms", customer.phone
    elif customer.email:
        channel, recipient = "email", customer.email
    else:
        timeline_add(complaint, "acknowledgement_manual", actor, at=now, text=body)
        return
    subject = ""
    if channel == "email":
        with translation.override(language):
            subject = str(_("Complaint %(number)s received") % {"number": complaint.number})
    message = message_queue(actor=actor, kind="acknowledgement", channel=channel, recipient=recipient, body=body,
                            language=language, subject=subject, complaint=complaint)
    timeline_add(complaint, "message_queued", actor, at=now, message=message.pk, message_kind="acknowledgement",
                 channel=channel, text=body)


def complaint_fields(reg: Registration, *, number: str, version: Any, customer: Customer, product: Product | None,
                     owner: Any, now: datetime, private: frozenset[str] | set[str], unit: Unit,
                     registered_by: Any = None) -> dict[str, Any]:
    """The columns of a new complaint from a clean registration: its related rows and
    :func:`complaint_columns`; ``unit`` is the unit that received it."""
    return {"unit": unit, "policy_version": version, "customer": customer, "product": product, "owner": owner,
            "registered_by": registered_by or owner, **complaint_columns(reg, number=number, now=now, private=private)}


def complaint_columns(reg: Registration, *, number: str, now: datetime,
                      private: frozenset[str] | set[str]) -> dict[str, Any]:
    """The complaint's own columns (all but its related rows) from a clean registration: one place
    for the registration service and the bulk import (which names the related rows by key).
    ``private`` are the facts kept out of the search text (contact data, found only through the
    blind index)."""
    return dict(  # noqa: C408 (keyword form: these are the model's column names)
        number=number, channel=reg.channel,
        case_origin=reg.case_origin, source_number=reg.source_number, category=reg.category, level=reg.level,
        suggested_level=reg.suggestion.level, level_override_reason=reg.level_override_reason,
        triggers=[{"trigger": m.trigger, "level": m.level, "because": list(m.because)}
                  for m in reg.suggestion.matches],
        targets=reg.targets, primary_target=reg.primary_target, flags=reg.flags,
        reason_codes=reg.reason_codes, reason=reg.reason, description=reg.description,
        customer_request=reg.customer_request, requested_deadline=reg.requested_deadline, facts=reg.facts,
        missing_notes=reg.notes, missing_facts=list(reg.completeness.missing),
        complete=reg.completeness.complete, earlier_case_ids=reg.earlier_case_ids, repair_ids=reg.repair_ids,
        units=reg.units, received_at=reg.received_at, registered_at=now,
        language=reg.customer["language"], urgent=reg.urgent,
        search_text=search_text_for(number, reg.customer, reg.product, reg.reason, reg.description,
                                    reg.customer_request, reg.facts, reg.case_origin, private, reg.source_number),
        updated_at=now,
    )
