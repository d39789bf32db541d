"""Pieces shared by registration and amendment."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints import validation as check
from complaintdesk.complaints.models import Complaint, TimelineEntry
from complaintdesk.complaints.models.complaint import SOURCE_NUMBER_LENGTH
from complaintdesk.core import events
from complaintdesk.core.errors import FieldProblem, Problems, ValidationFailed
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Category, Policy


def clean_targets(policy: Policy, targets: list[str], category: Category | None, problems: Problems) -> list[str]:
    known = {target.code for target in policy.targets}
    out: list[str] = []
    for index, code in enumerate(targets):
        code = str(code).strip()
        if code not in known:
            problems.add(f"targets[{index}]", _("Unknown complaint target %(code)s.") % {"code": code})
        elif code not in out:
            out.append(code)
    if not targets:
        if category is not None and category.target:
            out.append(category.target)
        elif category is not None:
            problems.add("targets", _("Choose at least one complaint target."))
    return out


def clean_reason_codes(policy: Policy, codes: list[str], problems: Problems) -> list[str]:
    """A path in the reason taxonomy from level 1, as deep as the policy asks at intake."""
    codes = [str(code).strip() for code in codes if str(code).strip()]
    depth = policy.reasons.intake_depth
    if not codes:
        problems.add("reason_codes", _("Choose the complaint reason (level 1 to %(depth)d).") % {"depth": depth})
        return []
    if len(codes) > depth:
        problems.add("reason_codes", _("At registration the reason has at most %(depth)d levels.") % {"depth": depth})
        return codes
    path = rules.reason_path(policy, codes)
    if path is None:
        problems.add("reason_codes", _("%(path)s is not a reason in the policy's taxonomy.")
                     % {"path": " > ".join(codes)})
        return codes
    if len(codes) < depth and path[-1].children:
        problems.add("reason_codes", _("Choose the reason down to level %(depth)d.") % {"depth": depth})
    return codes


def clean_fact_values(category: Category, values: Mapping[str, Any], problems: Problems, *,
                      now: datetime, tz: ZoneInfo, language: str) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    known = {fact.code: fact for fact in category.facts}
    for code, value in values.items():
        fact = known.get(code)
        if fact is None:
            problems.add(f"facts.{code}", _("%(code)s is not a fact of this category.") % {"code": code})
            continue
        try:
            cleaned = check.fact_value(fact, value, now=now, tz=tz, language=language)
        except check.FieldInvalid as exc:
            problems.add(f"facts.{code}", exc.message)
            continue
        if cleaned is not None:
            facts[code] = cleaned
    return facts


def clean_notes(category: Category, notes: Mapping[str, str], problems: Problems) -> dict[str, str]:
    out: dict[str, str] = {}
    known = {fact.code: fact for fact in category.facts}
    for code, note in notes.items():
        text = str(note or "").strip()
        if not text:
            continue
        fact = known.get(code)
        if fact is None:
            problems.add(f"missing_notes.{code}", _("%(code)s is not a fact of this category.") % {"code": code})
        elif not fact.note_allowed:
            problems.add(f"missing_notes.{code}",
                         _("%(fact)s cannot be replaced by a note; it must be recorded.")
                         % {"fact": fact.label.get(get_language() or "en")})
        elif len(text) > 1000:
            problems.add(f"missing_notes.{code}", _("At most %(limit)d characters.") % {"limit": 1000})
        else:
            out[code] = text
    return out


def fill_bound_fields(category: Category, facts: Mapping[str, Any], product: dict[str, Any], units: int | None,
                      problems: Problems) -> int | None:
    """Facts bound to product fields fill those fields when the form left them empty (``product`` is
    changed in place); a fact bound to the units gives the units when they were left empty. Returns
    the units."""
    for fact in category.facts:
        value = facts.get(fact.code)
        if value is None or not fact.field:
            continue
        if fact.field == "units" and units is None:
            units = fact_units(value, fact.code, problems)
        elif fact.field.startswith("product.") and not product.get(attr := fact.field.split(".", 1)[1]):
            product[attr] = date.fromisoformat(value) if attr == "purchase_date" else value
    return units


def fact_units(value: str, code: str, problems: Problems) -> int | None:
    """The units concerned as a fact bound to ``units`` gives them (a defect quantity): a whole number
    of at least 1, else a problem on the fact."""
    quantity = Decimal(value)
    if quantity < 1 or quantity != quantity.to_integral_value():
        problems.add(f"facts.{code}", _("The number of units must be a whole number of at least 1."))
        return None
    return int(quantity)


def bound_values(customer: Mapping[str, Any], product: Mapping[str, Any],
                 units: int | None = None) -> dict[str, object]:
    name = " ".join(v for v in (customer.get("first_name"), customer.get("last_name")) if v)
    purchase = product.get("purchase_date")
    return {
        "product.model": product.get("model"),
        "product.imei": product.get("imei"),
        "product.build_number": product.get("build_number"),
        "product.purchase_date": purchase.isoformat() if isinstance(purchase, date) else purchase,
        "product.place_of_purchase": product.get("place_of_purchase"),
        "product.lot_number": product.get("lot_number"),
        "customer.address": customer.get("address"),
        "customer.emotion": customer.get("emotion"),
        "customer.special_identity": customer.get("special_identity"),
        "customer.phone": customer.get("phone"),
        "customer.name": name,
        "units": units,
    }


def complaint_bound_values(complaint: Complaint) -> dict[str, object]:
    customer = complaint.customer
    product = complaint.product
    return bound_values(
        {f: getattr(customer, f)
         for f in ("first_name", "last_name", "address", "emotion", "special_identity", "phone")},
        {f: getattr(product, f) for f in ("model", "imei", "build_number", "purchase_date", "place_of_purchase",
                                          "lot_number")} if product else {},
        complaint.units,
    )


def trigger_text(reason: str, description: str, request: str, facts: Mapping[str, Any]) -> str:
    return "\n".join([reason, description, request, *(str(v) for v in facts.values())])


def search_text_for(number: str, customer: Mapping[str, Any], product: Mapping[str, Any], reason: str,
                    description: str, request: str, facts: Mapping[str, Any], origin: str,
                    private_facts: Iterable[str] = (), source_number: str = "") -> str:
    """The free text searched by substring. Contact data (phone, e-mail, social-media account, IMEI
    and the facts listed in ``private_facts``) is left out: it is found by exact value through the
    keyed blind index (complaints/contact_index.py), so a masked number cannot be recovered by
    searching for it digit by digit."""
    hidden = set(private_facts)
    parts = [number, source_number, customer.get("first_name", ""), customer.get("last_name", ""),
             customer.get("company", ""), product.get("model", ""), reason, description, request, origin,
             *(str(v) for k, v in facts.items() if k not in hidden)]
    return rules.normalise_text("\n".join(str(p) for p in parts if p))


def search_text_numbered(number: str, unnumbered: str) -> str:
    """``search_text_for(number, …)`` from ``unnumbered``, the same call's answer with an empty
    number (a bulk import computes that before the number is known). The number comes first, joined
    by a line break, which normalises to one space merged with any white space that follows it."""
    head = rules.normalise_text(number)
    if not unnumbered or not head:
        return head or unnumbered
    return head + unnumbered if unnumbered.startswith(" ") else f"{head} {unnumbered}"


@dataclass
class Written:
    """What a registration wrote that its answer shows: the timeline entries (in order), the clocks
    started and the earlier complaints it repeats. Filled by ``complaint_register(..., written=)``
    so that the answer is built from these rows instead of reading them back."""

    timeline: list[TimelineEntry] = field(default_factory=list)
    clocks: list[Any] = field(default_factory=list)
    repeats: list[Complaint] = field(default_factory=list)


# the timeline entries written in this context, by complaint primary key (timeline_collected)
_COLLECTED: ContextVar[dict[int, list[TimelineEntry]] | None] = ContextVar("timeline_collected", default=None)


@contextmanager
def timeline_collected() -> Iterator[dict[int, list[TimelineEntry]]]:
    """Collect every timeline entry written inside the block, by complaint primary key, whichever
    object of the complaint it was written through."""
    collected: dict[int, list[TimelineEntry]] = {}
    token = _COLLECTED.set(collected)
    try:
        yield collected
    finally:
        _COLLECTED.reset(token)


def timeline_add(complaint: Complaint, kind: str, actor: Any, *, at: datetime, **data: Any) -> TimelineEntry:
    entry = TimelineEntry.objects.create(complaint=complaint, kind=kind, actor=actor if actor and actor.pk else None,
                                         at=at, data=data)
    collected = _COLLECTED.get()
    if collected is not None:
        collected.setdefault(complaint.pk, []).append(entry)
    events.publish(kind, complaint, data)
    return entry


def refuse_known_source(unit: Any, source_number: str) -> None:
    """Refuse a complaint whose number in the earlier system is already on record at ``unit``: the
    same complaint sent twice (a CRM's retry, a register row typed in by hand as well)."""
    known = (Complaint.objects.filter(unit=unit, source_number=source_number).values_list("number", flat=True)
             .first())
    if known is not None:
        raise ValidationFailed([FieldProblem("source_number", source_on_record(source_number, known))])


def source_on_record(source_number: str, number: str) -> str:
    """Why a complaint with this number in the earlier system is refused (the desk, the API, an import row)."""
    return str(_("%(source)s is already on record as complaint %(number)s.")
               % {"source": source_number, "number": number})


def clean_source_number(text: str, problems: Problems) -> str:
    """The complaint's number in the system it comes from, trimmed; at most ``SOURCE_NUMBER_LENGTH``."""
    source_number = text.strip()
    if len(source_number) > SOURCE_NUMBER_LENGTH:
        problems.add("source_number", _("Write the number in the earlier system in at most %(most)s characters.")
                     % {"most": SOURCE_NUMBER_LENGTH})
    return source_number
