"""Turning the registration page's POST into the same input the API takes.

The page names its fields by the API's paths (``customer.phone``, ``facts.imei``,
``missing_notes.imei``), so an error the service reports under a path lands next to that field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from complaintdesk.complaints.inputs import AmendmentInput, CustomerInput, ProductInput, RegistrationInput
from complaintdesk.core.i18n import listed
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Fact, FactType, Policy

CUSTOMER_FIELDS = ("title", "first_name", "last_name", "name_note", "kind", "company", "phone", "email",
                   "social_account", "address", "special_identity", "emotion", "language")
PRODUCT_FIELDS = ("model", "imei", "build_number", "purchase_date", "place_of_purchase", "lot_number")


def _prefixed(post: QueryDict, prefix: str) -> dict[str, str]:
    return {key[len(prefix):]: str(value).strip() for key, value in post.items()
            if key.startswith(prefix) and str(value).strip()}


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", "\n").replace("，", "\n").splitlines() if part.strip()]


def registration_from_post(post: QueryDict) -> RegistrationInput:
    customer = CustomerInput(**{f: post.get(f"customer.{f}", "").strip() for f in CUSTOMER_FIELDS})
    product = ProductInput(
        **{f: post.get(f"product.{f}", "").strip() for f in PRODUCT_FIELDS},
        purchase_date_approximate=post.get("product.purchase_date_approximate") in {"on", "true", "1"},
    )
    units_text = post.get("units", "").strip()
    reason_path = post.get("reason_codes", "").strip()
    return RegistrationInput(
        customer=customer,
        product=product,
        channel=post.get("channel", "").strip(),
        case_origin=post.get("case_origin", "").strip(),
        category=post.get("category", "").strip(),
        targets=[t for t in post.getlist("targets") if t],
        reason_codes=[c for c in reason_path.split("/") if c],
        reason=post.get("reason", ""),
        description=post.get("description", ""),
        customer_request=post.get("customer_request", ""),
        requested_deadline=post.get("requested_deadline", "").strip(),
        facts=_prefixed(post, "facts."),
        missing_notes=_prefixed(post, "missing_notes."),
        flags=[f for f in post.getlist("flags") if f],
        level=post.get("level", "").strip(),
        level_override_reason=post.get("level_override_reason", "").strip(),
        urgent=post.get("urgent") in {"on", "true", "1"},
        urgency_reason=post.get("urgency_reason", "").strip(),
        earlier_case_ids=_lines(post.get("earlier_case_ids", "")),
        repair_ids=_lines(post.get("repair_ids", "")),
        units=int(units_text) if units_text.isdigit() else None,
        received_at=post.get("received_at", "").strip(),
        unit=post.get("unit", "").strip(),
    )


def amendment_from_post(post: QueryDict) -> AmendmentInput:
    """The detail page's "complete the record" form: facts and why-missing notes."""
    facts = {key[6:]: str(value).strip() for key, value in post.items() if key.startswith("facts.")}
    notes = {key[14:]: str(value).strip() for key, value in post.items() if key.startswith("missing_notes.")}
    level = post.get("level", "").strip()
    return AmendmentInput(
        facts={k: v for k, v in facts.items() if v} or None,
        missing_notes={k: v for k, v in notes.items() if v} or None,
        level=level or None,
        level_override_reason=post.get("level_override_reason", "").strip() or None,
        comment=post.get("comment", "").strip(),
    )


@dataclass(frozen=True)
class FactField:
    """How one category fact is drawn on the page."""

    fact: Fact
    name: str
    label: str
    help: str
    input: str  # text | textarea | date | datetime-local | number | tel | select
    options: list[tuple[str, str]]
    value: str
    note: str
    error: str
    note_error: str
    bound: bool
    required: bool = True  # through the complaint's door (a fact may be required only through some)
    doors: str = ""  # the doors a fact is required through, when it names some (``facts[].channels``)


INPUTS = {
    FactType.TEXT: "text",
    FactType.TEXTAREA: "textarea",
    FactType.DATE: "date",
    FactType.DATETIME: "datetime-local",
    FactType.NUMBER: "number",
    FactType.MONEY: "number",
    FactType.IMEI: "text",
    FactType.PHONE: "tel",
    FactType.CHOICE: "select",
    FactType.BOOLEAN: "select",
}


def fact_fields(policy: Policy, category_code: str, values: dict[str, Any], errors: dict[str, str],
                language: str, channel: str | None = None) -> list[FactField]:
    """The category's facts as the form draws them; ``channel`` (default: the one in ``values``)
    decides which of the facts required only through some doors are required here."""
    channel = channel if channel is not None else str(values.get("channel", "") or "")
    try:
        category = policy.category(category_code)
    except KeyError:
        return []
    out = []
    for fact in category.facts:
        # facts bound to a customer / product field are entered there; here only their note (a fact
        # bound to the units is entered here, and fills the units when they were left empty)
        bound = bool(fact.field) and fact.field != "units"
        options: list[tuple[str, str]] = []
        if fact.type == FactType.CHOICE:
            options = [(o.code, o.label.get(language)) for o in fact.options]
        elif fact.type == FactType.BOOLEAN:
            options = [("yes", "是" if language.startswith("zh") else "Yes"),
                       ("no", "否" if language.startswith("zh") else "No")]
        out.append(FactField(
            fact=fact, name=f"facts.{fact.code}", label=fact.label.get(language),
            help=fact.help.get(language) if fact.help else "", input=INPUTS[fact.type], options=options,
            value=str(values.get(f"facts.{fact.code}", "") or ""),
            note=str(values.get(f"missing_notes.{fact.code}", "") or ""),
            error=errors.get(f"facts.{fact.code}", ""), note_error=errors.get(f"missing_notes.{fact.code}", ""),
            bound=bound, required=rules.fact_required(fact, channel),
            doors=listed([str(c.label.get(language)) for c in policy.channels if c.code in fact.channels], language),
        ))
    return out
