"""Amendment: fill missing facts, add why-missing notes, correct the record, override the level.

Optimistic concurrency: the caller sends the version it read (``If-Match``); a stale version is
refused with 409 and nothing changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import can
from complaintdesk.complaints import contact_index
from complaintdesk.complaints.inputs import AmendmentInput
from complaintdesk.complaints.models import Complaint, Product
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.services import watchers
from complaintdesk.complaints.services.common import (
    clean_fact_values,
    clean_notes,
    clean_reason_codes,
    clean_targets,
    complaint_bound_values,
    search_text_for,
    timeline_add,
    trigger_text,
)
from complaintdesk.complaints.services.intake import clean_customer, clean_product
from complaintdesk.core.audit import seal_text
from complaintdesk.core.errors import Conflict, PermissionDenied, Problems, StaleVersion
from complaintdesk.core.i18n import current_language as lang
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.policy import rules

TEXT_FIELDS = ("reason", "description", "customer_request", "case_origin")


def sealed(values: dict[str, Any], private_facts: frozenset[str]) -> dict[str, Any]:
    """The audit copy of an amendment: the customer's fields, the IMEI and facts typed phone or IMEI
    are kept as keyed digests, never in clear (free texts are sealed by ``core.audit`` itself), so
    that erasing a customer's data (privacy/erasure.py) leaves nothing personal in the append-only
    audit chain. The digest still proves which value was written (``core.audit.seal_text``)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key.startswith("customer.") or key == "product.imei":
            out[key] = _seal(value)
        elif key == "facts" and isinstance(value, dict):
            out[key] = {code: (_seal(v) if code in private_facts else v) for code, v in value.items()}
        else:
            out[key] = value
    return out


def _seal(value: Any) -> str:
    text = "" if value is None else str(value)
    return "" if not text else seal_text(text)


@transaction.atomic
def complaint_amend(*, actor: Any, number: str, data: AmendmentInput, expected_version: int | None = None,
                    now: datetime | None = None) -> Complaint:
    complaint = access_complaint(actor, number, for_update=True)
    if not can(actor, "complaint.amend", at=complaint):
        raise PermissionDenied(_("Your role may not amend complaints."))
    if expected_version is not None and expected_version != complaint.version:
        raise StaleVersion(_("The complaint was changed by someone else (version %(current)d, you sent "
                             "%(sent)d). Reload it and apply your change again.")
                           % {"current": complaint.version, "sent": expected_version})
    if not complaint.is_open:
        raise Conflict(_("A %(status)s complaint cannot be amended.") % {"status": complaint.get_status_display()})
    policy = policy_of(complaint.policy_version)
    category = policy.category(complaint.category)
    tz = ZoneInfo(policy.timezone)
    now = now or timezone.now()
    problems = Problems()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}

    def change(field: str, value: Any) -> None:
        old = getattr(complaint, field)
        if old != value:
            before[field] = old
            after[field] = value
            setattr(complaint, field, value)

    for field in TEXT_FIELDS:
        value = getattr(data, field)
        if value is not None:
            if field != "case_origin" and not value.strip():
                problems.add(field, _("This part of the description cannot be emptied."))
            else:
                change(field, value.strip())
    if data.targets is not None:
        targets = clean_targets(policy, data.targets, category, problems)
        change("targets", targets)
        change("primary_target", rules.primary_target(policy, targets) or "")
    if data.reason_codes is not None:
        change("reason_codes", clean_reason_codes(policy, data.reason_codes, problems))
    if data.flags is not None:
        known = {flag.code for flag in policy.flags}
        for index, flag in enumerate(data.flags):
            if flag not in known:
                problems.add(f"flags[{index}]", _("Unknown flag %(code)s.") % {"code": flag})
        kept = [item for item in policy.flags if item.irreversible and item.code in complaint.flags
                and item.code not in data.flags]
        for item in kept:  # recorded for good (``irreversible``)
            problems.add("flags", _("“%(flag)s” cannot be removed once recorded.") % {"flag": item.label.get(lang())})
        change("flags", sorted(set(data.flags) & known))
    if data.earlier_case_ids is not None:
        change("earlier_case_ids", [v.strip() for v in data.earlier_case_ids if v.strip()])
    if data.repair_ids is not None:
        change("repair_ids", [v.strip() for v in data.repair_ids if v.strip()])
    if data.facts is not None:
        merged = dict(complaint.facts)
        merged.update(clean_fact_values(category, data.facts, problems, now=now, tz=tz, language=complaint.language))
        for code, value in data.facts.items():
            if value in (None, "") and code in merged:
                merged.pop(code)
        change("facts", merged)
    if data.missing_notes is not None:
        notes = dict(complaint.missing_notes)
        notes.update(clean_notes(category, data.missing_notes, problems))
        for code, value in data.missing_notes.items():
            if not str(value or "").strip():
                notes.pop(code, None)
        change("missing_notes", notes)

    customer_changes: dict[str, Any] = {}
    if data.customer is not None:
        cleaned = clean_customer(policy, data.customer, problems)
        customer_changes = {k: v for k, v in cleaned.items() if getattr(complaint.customer, k) != v}
    product_changes: dict[str, Any] = {}
    if data.product is not None:
        cleaned_product = clean_product(data.product, problems, now.astimezone(tz).date())
        current = complaint.product
        product_changes = {k: v for k, v in cleaned_product.items()
                           if current is None or getattr(current, k) != v}

    old_suggested = complaint.suggested_level
    suggestion = rules.suggest_level(
        policy, text=trigger_text(complaint.reason, complaint.description, complaint.customer_request, complaint.facts),
        flags=complaint.flags, channel=complaint.channel, category=complaint.category, units=complaint.units,
        special_identities=[complaint.customer.special_identity] if complaint.customer.special_identity else [])
    change("suggested_level", suggestion.level)
    if data.level is not None and data.level.strip():
        level = data.level.strip()
        try:
            policy.level(level)
        except KeyError:
            problems.add("level", _("Unknown level %(code)s.") % {"code": level})
        reason = (data.level_override_reason or "").strip()
        chosen_freely = level not in (suggestion.level, rules.applied_level(policy, suggestion.level))
        if chosen_freely and level != complaint.level and not reason:
            problems.add("level_override_reason", _("Give the reason for choosing a level other than the "
                                                     "suggested one."))
        if not problems.has("level") and level != complaint.level:
            change("level", level)
            change("level_override_reason", reason if chosen_freely else "")
    elif complaint.level == rules.applied_level(policy, old_suggested) and suggestion.level != old_suggested:
        ranks = {lv.code: lv.rank for lv in policy.levels}
        applied = rules.applied_level(policy, suggestion.level)  # a level only suggested waits for a person
        if ranks[applied] > ranks[complaint.level]:
            change("level", applied)

    problems.raise_if_any()
    if customer_changes:
        for key, value in customer_changes.items():
            before[f"customer.{key}"] = getattr(complaint.customer, key)
            after[f"customer.{key}"] = value
            setattr(complaint.customer, key, value)
        complaint.customer.save(update_fields=list(customer_changes))
    if product_changes:
        if complaint.product is None:
            complaint.product = Product.objects.create(customer=complaint.customer, **product_changes)
            after["product"] = complaint.product.pk
        else:
            for key, value in product_changes.items():
                before[f"product.{key}"] = getattr(complaint.product, key)
                after[f"product.{key}"] = value
                setattr(complaint.product, key, value)
            complaint.product.save(update_fields=list(product_changes))

    completeness = rules.completeness(category, facts=complaint.facts, notes=complaint.missing_notes,
                                      bound=complaint_bound_values(complaint), channel=complaint.channel)
    change("missing_facts", list(completeness.missing))
    change("complete", completeness.complete)
    if not after and not data.comment:
        return complaint
    complaint.version += 1
    complaint.updated_at = now
    customer = complaint.customer
    product = complaint.product
    complaint.search_text = search_text_for(
        complaint.number,
        {f: getattr(customer, f) for f in ("first_name", "last_name", "company", "phone", "email", "social_account")},
        {"model": product.model, "imei": product.imei} if product else {},
        complaint.reason, complaint.description, complaint.customer_request, complaint.facts, complaint.case_origin,
        contact_index.private_fact_codes(policy, complaint.category), complaint.source_number)
    complaint.save()
    contact_index.reindex_complaint(complaint, policy)
    contact_index.index_customers([customer])
    private = contact_index.private_fact_codes(policy, complaint.category)
    record(actor=actor, action="complaint.amend", obj=complaint, complaint=complaint,
           before=sealed(before, private),
           after=sealed({**after, "comment": data.comment} if data.comment else after, private),
           timeline=on_timeline("amended", fields=sorted(after), comment=data.comment), at=now)
    if "level" in after:
        kind = "level_overridden" if complaint.level_override_reason else "level_raised"
        level_entry = on_timeline(kind, suggested=complaint.suggested_level, level=complaint.level,
                                  previous=before["level"], reason=complaint.level_override_reason)
        if kind == "level_overridden":
            record(actor=actor, action="complaint.level_override", obj=complaint, complaint=complaint,
                   before={"level": before["level"]},
                   after={"level": complaint.level, "reason": complaint.level_override_reason},
                   timeline=level_entry, at=now)
        else:  # part of the amendment recorded above
            timeline_add(complaint, level_entry.kind, actor, at=now, **level_entry.params)
    if "complete" in after and complaint.complete:
        timeline_add(complaint, "completed", actor, at=now)
    if any(key == "product" or key.startswith("product.") for key in after):
        watchers.amended(complaint, actor, now)
    return complaint
