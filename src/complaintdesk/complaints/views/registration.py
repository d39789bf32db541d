"""The registration form (htmx): the facts of the chosen category and the live preview of level,
primary target and completeness."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaintdesk.accounts.roles import can
from complaintdesk.complaints.forms import fact_fields, registration_from_post
from complaintdesk.complaints.schemas import CustomerIn, ProductIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.common import bound_values, trigger_text
from complaintdesk.complaints.services.intake import clean_customer, clean_product
from complaintdesk.complaints.services.receiving import home_unit, registration_units
from complaintdesk.complaints.services.replies import reply_script_text
from complaintdesk.core.errors import Problems, ValidationFailed
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy, ReasonNode
from complaintdesk.units.models import Unit
from complaintdesk.units.policies import unit_policy


def _reason_paths(nodes: list[ReasonNode], depth: int, prefix: tuple[ReasonNode, ...] = ()) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for node in nodes:
        path = (*prefix, node)
        if len(path) == depth or not node.children:
            out.append(("/".join(n.code for n in path), " › ".join(n.label.get(_lang()) for n in path)))
        else:
            out.extend(_reason_paths(node.children, depth, path))
    return out


class Receiving:
    """The unit choice of the form: the units the user may register at, the one chosen (or the
    user's home unit) and the policy in force there, which the lists and the preview follow."""

    def __init__(self, user: Any, code: str) -> None:
        self.choices: list[Unit] = registration_units(user)
        chosen = next((unit for unit in self.choices if unit.code == code.strip()), None) if code.strip() else None
        self.unit: Unit | None = chosen or home_unit(user)
        self.version, self.policy = unit_policy(self.unit)
        self.user = user

    @property
    def code(self) -> str:
        return self.unit.code if self.unit is not None else ""

    def context(self) -> dict[str, Any]:
        return {"unit_choices": [(unit.code, "\u00a0\u00a0" * unit.depth + unit.name, unit_policy(unit)[0].pk)
                                 for unit in self.choices] if len(self.choices) > 1 else [],
                "unit_code": self.code, "unit_version": self.version.pk,
                "reply_script": reply_script_text(self.policy, user=self.user, language=_lang())}


def form_context(policy: Policy, values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """What the registration form shows under ``policy`` (also the transferred-complaint form's)."""
    lang = _lang()
    category = values.get("category", "")
    return {
        "policy": policy,
        "values": values,
        "errors": errors,
        "channels": [(c.code, c.label.get(lang), c.requires_origin,
                      c.origin_label.get(lang) if c.origin_label else "") for c in policy.channels],
        "categories": [(c.code, c.label.get(lang), c.group) for c in policy.categories],
        "targets": [(t.code, t.label.get(lang), t.priority, t.description.get(lang) if t.description else "")
                    for t in sorted(policy.targets, key=lambda t: t.priority)],
        "levels": [(lv.code, lv.label.get(lang)) for lv in policy.levels_by_rank()],
        "flags": [(f.code, f.label.get(lang)) for f in policy.flags],
        "identities": [(o.code, o.label.get(lang)) for o in policy.special_identities],
        "emotions": [(o.code, o.label.get(lang)) for o in policy.emotions],
        "reason_paths": _reason_paths(policy.reasons.tree, policy.reasons.intake_depth),
        "fact_fields": fact_fields(policy, category, values, errors, lang),
        "selected_targets": values.get("targets_list", []),
        "selected_flags": values.get("flags_list", []),
        "preview": _preview(policy, values),
        "policy_name_help": (_("Required if the customer will not give both the first and the last name.")
                             if policy.full_name else _("Required if the customer will not give a name.")),
    }


def values_from_post(request: HttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    values["targets_list"] = request.POST.getlist("targets")
    values["flags_list"] = request.POST.getlist("flags")
    return values


def _because_text(policy: Policy, item: str, lang: str) -> str:
    """What made a trigger match (``keyword:记者``, ``flag:media`` …), as the reader says it."""
    kind, _sep, value = item.partition(":")
    if kind == "keyword":
        return _("the words “%(words)s”") % {"words": value}
    if kind == "units":
        return _("%(units)s units") % {"units": value}
    labels = {"flag": {each.code: each.label for each in policy.flags},
              "channel": {each.code: each.label for each in policy.channels},
              "category": {each.code: each.label for each in policy.categories},
              "identity": {each.code: each.label for each in policy.special_identities}}.get(kind, {})
    return labels[value].get(lang) if value in labels else value


def _fact_units(policy: Policy, values: dict[str, Any]) -> str:
    """The value of the category's fact bound to the units (a defect quantity), as typed."""
    try:
        category = policy.category(values.get("category", ""))
    except KeyError:
        return ""
    return next((str(values.get(f"facts.{fact.code}", "")).strip() for fact in category.facts
                 if fact.field == "units"), "")


def _preview(policy: Policy, values: dict[str, Any]) -> dict[str, Any]:
    """The live part of the form: suggested level, primary target and the completeness checklist,
    computed by the same policy rules the service applies."""
    lang = _lang()
    category_code = values.get("category", "")
    facts = {k[6:]: v for k, v in values.items() if k.startswith("facts.") and str(v).strip()}
    notes = {k[14:]: v for k, v in values.items() if k.startswith("missing_notes.") and str(v).strip()}
    flags = list(values.get("flags_list", []))
    if values.get("customer.special_identity") and any(f.code == "special_identity" for f in policy.flags):
        flags.append("special_identity")
    units_text = str(values.get("units", "")).strip() or _fact_units(policy, values)
    suggestion = rules.suggest_level(
        policy,
        text=trigger_text(values.get("reason", ""), values.get("description", ""),
                          values.get("customer_request", ""), facts),
        flags=flags, channel=values.get("channel") or None, category=category_code or None,
        units=int(units_text) if units_text.isdigit() else None,
        special_identities=[values["customer.special_identity"]] if values.get("customer.special_identity") else [],
    )
    targets = list(values.get("targets_list", []))
    try:
        category = policy.category(category_code) if category_code else None
    except KeyError:
        category = None
    if not targets and category is not None and category.target:
        targets = [category.target]
    primary = rules.primary_target(policy, targets)
    checklist: list[dict[str, Any]] = []
    complete = None
    if category is not None:
        problems = Problems()
        customer = clean_customer(policy, _customer_in(values), problems)
        product = clean_product(_product_in(values), problems, timezone.now().date())
        for key in ("model", "imei", "build_number", "place_of_purchase", "lot_number"):
            if not product.get(key) and values.get(f"product.{key}"):
                product[key] = values[f"product.{key}"]
        bound = bound_values(customer, product, int(units_text) if units_text.isdigit() else None)
        channel = str(values.get("channel", ""))
        done = rules.completeness(category, facts=facts, notes=notes, bound=bound, channel=channel)
        complete = done.complete
        for fact in category.facts:
            state = ("present" if fact.code in done.present else "noted" if fact.code in done.noted
                     else "missing" if fact.code in done.missing else "optional")
            checklist.append({"code": fact.code, "label": fact.label.get(lang), "state": state,
                              "required": rules.fact_required(fact, channel)})
    level = policy.level(suggestion.level)
    applied = rules.applied_level(policy, suggestion.level)
    return {
        "level": suggestion.level,
        "applied_label": policy.level(applied).label.get(lang) if applied != suggestion.level else "",
        "level_label": level.label.get(lang),
        "level_color": level.color,
        "level_definition": level.definition.get(lang),
        "because": [_because_text(policy, item, lang) for m in suggestion.matches if m.level == suggestion.level
                    for item in m.because],
        "primary": primary,
        "primary_label": policy.target(primary).label.get(lang) if primary else "",
        "checklist": checklist,
        "complete": complete,
        "missing_count": sum(1 for row in checklist if row["state"] == "missing"),
    }


def _customer_in(values: dict[str, Any]) -> Any:
    return CustomerIn(**{k[9:]: str(v) for k, v in values.items() if k.startswith("customer.")
                         and k[9:] in CustomerIn.model_fields})


def _product_in(values: dict[str, Any]) -> Any:
    fields = {k[8:]: str(v) for k, v in values.items() if k.startswith("product.") and k[8:] in ProductIn.model_fields
              and k[8:] != "purchase_date_approximate"}
    return ProductIn(**fields)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_register_view(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "complaint.register"):
        raise DjangoPermissionDenied("register")
    if request.method == "GET":
        receiving = Receiving(request.user, request.GET.get("unit", ""))
        values = {"customer.language": receiving.policy.language, "received_at": "", "unit": receiving.code}
        return render(request, "complaints/register.html",
                      {**form_context(receiving.policy, values, {}), **receiving.context()})
    values = values_from_post(request)
    try:
        complaint = complaint_register(actor=request.user, data=registration_from_post(request.POST))
    except ValidationFailed as exc:
        receiving = Receiving(request.user, request.POST.get("unit", ""))
        errors = {p.field: str(p.message) for p in exc.problems}
        context = {**form_context(receiving.policy, values, errors), **receiving.context()}
        context["error_summary"] = str(exc.message)
        context["error_list"] = [(p.field, str(p.message)) for p in exc.problems]
        return render(request, "complaints/register.html", context, status=422)
    return redirect(reverse("complaint-detail", args=[complaint.number]) + "?registered=1")


@login_required
def complaint_register_facts(request: HttpRequest) -> HttpResponse:
    """htmx: the facts of the chosen category (GET ?category=…), keeping what was typed."""
    if not can(request.user, "complaint.register"):  # the form's parts are the form's (capability table)
        raise DjangoPermissionDenied("register")
    policy = Receiving(request.user, request.GET.get("unit", "")).policy
    values: dict[str, Any] = dict(request.GET.items())
    values["targets_list"] = request.GET.getlist("targets")
    values["flags_list"] = request.GET.getlist("flags")
    return render(request, "complaints/_facts.html", form_context(policy, values, {}))


@login_required
@require_POST
def complaint_register_preview(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "complaint.register"):
        raise DjangoPermissionDenied("register")
    """htmx: suggested level, primary target and checklist as the agent types, under the policy of
    the unit chosen on the form."""
    policy = Receiving(request.user, request.POST.get("unit", "")).policy
    return render(request, "complaints/_preview.html", {"preview": _preview(policy, values_from_post(request)),
                                                        "policy": policy})
