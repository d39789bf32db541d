"""Turning the portal's POST into the registration input, and drawing the category's questions."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from complaintdesk.complaints.forms import FactField, fact_fields
from complaintdesk.complaints.inputs import CustomerInput, ProductInput, RegistrationInput
from complaintdesk.policy.schema import Policy, ReasonNode

CONTACT_FIELDS = ("last_name", "first_name", "phone", "email", "address")
# facts bound to these fields are asked in the contact section (or are for staff to judge)
CUSTOMER_BOUND = {"customer.name", "customer.phone", "customer.address", "customer.emotion",
                  "customer.special_identity"}


def submission_from_post(post: QueryDict, language: str) -> RegistrationInput:
    customer = CustomerInput(**{f: post.get(f"customer.{f}", "").strip() for f in CONTACT_FIELDS}, language=language)
    facts = {k[6:]: str(v).strip() for k, v in post.items() if k.startswith("facts.") and str(v).strip()}
    notes = {k[14:]: str(v).strip() for k, v in post.items() if k.startswith("missing_notes.") and str(v).strip()}
    reason_path = post.get("reason_codes", "").strip()
    return RegistrationInput(
        customer=customer, product=ProductInput(), channel="", category=post.get("category", "").strip(),
        targets=[t for t in post.getlist("targets") if t],
        reason_codes=[c for c in reason_path.split("/") if c],
        reason=post.get("reason", ""), description=post.get("description", ""),
        customer_request=post.get("customer_request", ""), requested_deadline=post.get("requested_deadline", ""),
        facts=facts, missing_notes=notes,
    )


def portal_fact_fields(policy: Policy, category: str, values: dict[str, str], errors: dict[str, str],
                       language: str, channel: str) -> list[FactField]:
    """The category's facts a customer answers through the portal's door ``channel`` (those bound to
    contact fields are asked there; one required only through other doors is optional here)."""
    return [f for f in fact_fields(policy, category, values, errors, language, channel=channel)
            if not (f.fact.field and f.fact.field in CUSTOMER_BOUND)]


@dataclass(frozen=True)
class ReasonChoice:
    value: str
    label: str


def reason_choices(policy: Policy, language: str) -> list[ReasonChoice]:
    """Every reason path as deep as the policy asks at intake (a shallower leaf ends its path)."""
    depth = policy.reasons.intake_depth
    out: list[ReasonChoice] = []

    def walk(nodes: list[ReasonNode], codes: list[str], labels: list[str]) -> None:
        for node in nodes:
            path, names = [*codes, node.code], [*labels, node.label.get(language)]
            if len(path) >= depth or not node.children:
                out.append(ReasonChoice("/".join(path), " › ".join(names)))
            else:
                walk(node.children, path, names)

    walk(policy.reasons.tree, [], [])
    return out
