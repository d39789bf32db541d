"""Presenting complaints in the viewer's language: labels from the policy, completeness, the
timeline as sentences, masked contact data. Shared by the pages and the API."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from complaintdesk.accounts.roles import can
from complaintdesk.clocks.selectors import clock_views
from complaintdesk.complaints.models import Complaint, Customer, Product, TimelineEntry, WorkOrder
from complaintdesk.complaints.selectors.masking import (
    mask_account,
    mask_address,
    mask_data,
    mask_email,
    mask_imei,
    mask_phone,
)
from complaintdesk.complaints.selectors.rows import ComplaintRow
from complaintdesk.complaints.services.actions import allowed_actions
from complaintdesk.complaints.services.common import Written, complaint_bound_values
from complaintdesk.core.i18n import current_language as lang
from complaintdesk.core.i18n import listed
from complaintdesk.core.names import titled_name
from complaintdesk.core.policies import policy_of
from complaintdesk.notify.failures import failure_text
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy

# Other apps (clocks, resolutions, follow-up) register how their timeline entries read.
TIMELINE_DESCRIBERS: dict[str, Callable[[TimelineEntry, Policy], str]] = {}




# the kinds of customer messages, read by people (apps add theirs: the knowledge base's answer)
MESSAGE_KINDS: dict[str, Any] = {
    "acknowledgement": gettext_lazy("acknowledgement"),
    "result_notice": gettext_lazy("result notice"),
}


def message_kind_label(code: str) -> str:
    return str(MESSAGE_KINDS[code]) if code in MESSAGE_KINDS else code.replace("_", " ")


# how a message went out, read by people (notify/transports.py names the transports)
CHANNELS: dict[str, Any] = {"sms": gettext_lazy("SMS"), "email": gettext_lazy("e-mail"),
                            "internal": gettext_lazy("notice")}
TRANSPORTS: dict[str, Any] = {
    "console": gettext_lazy("the console (demo: nothing leaves the machine)"),
    "smtp": gettext_lazy("the mail server"),
    "http_sms": gettext_lazy("the SMS gateway"),
    "internal": gettext_lazy("the notices page"),
}


def channel_label(code: str) -> str:
    return str(CHANNELS.get(code, code))


def transport_label(code: str) -> str:
    return str(TRANSPORTS.get(code, code))


def amended_fields(paths: Iterable[str]) -> str:
    """The fields an amendment changed (``customer.phone``, ``facts``, ``level``…), by their labels,
    each once, in the reader's language."""
    models = {"customer": Customer, "product": Product}
    labels: list[str] = []
    for path in paths:
        owner, _dot, name = path.rpartition(".")
        model = models.get(owner, Complaint)
        try:
            label = str(getattr(model._meta.get_field(name), "verbose_name", path))
        except FieldDoesNotExist:
            label = path
        if label not in labels:
            labels.append(label)
    return listed(labels)


def label_of(items: Iterable[Any], code: str, language: str | None = None) -> str:
    """The label of the item with this code in ``language`` (default: the current one), else the code."""
    for item in items:
        if item.code == code:
            return str(item.label.get(language or lang()))
    return code


def fact_labels(policy: Policy, codes: Iterable[str]) -> list[str]:
    """The labels of facts named by code (a fact's code is unique within its category; the first
    category that has it gives the label)."""
    labels: dict[str, str] = {}
    for category in policy.categories:
        for fact in category.facts:
            labels.setdefault(fact.code, str(fact.label.get(lang())))
    return [labels.get(code, code) for code in codes]


def labelled(items: Iterable[Any], code: str, language: str | None = None) -> dict[str, str]:
    return {"code": code, "label": label_of(items, code, language)}


def reason_labels(policy: Policy, codes: list[str]) -> list[dict[str, str]]:
    path = rules.reason_path(policy, codes) or []
    return [{"code": node.code, "label": node.label.get(lang())} for node in path]


@dataclass(frozen=True)
class FactRow:
    code: str
    label: str
    type: str
    required: bool
    note_allowed: bool
    state: str
    value: Any
    note: str
    help: str


def fact_rows(policy: Policy, complaint_category: str, facts: dict[str, Any], notes: dict[str, str],
              bound: dict[str, object], channel: str) -> tuple[rules.Completeness, list[FactRow]]:
    category = policy.category(complaint_category)
    done = rules.completeness(category, facts=facts, notes=notes, bound=bound, channel=channel)
    rows = []
    for fact in category.facts:
        value = bound.get(fact.field) if fact.field else None
        if value in (None, ""):
            value = facts.get(fact.code)
        if fact.code in done.present:
            state = "present"
        elif fact.code in done.noted:
            state = "noted"
        elif fact.code in done.missing:
            state = "missing"
        else:
            state = "optional"
        if fact.type == "choice" and value:
            value = label_of(fact.options, str(value))
        if fact.type == "imei" and value:
            value = mask_imei(str(value))
        elif (fact.type == "phone" or fact.field == "customer.phone") and value:
            value = mask_phone(str(value))
        elif fact.field == "customer.address" and value:
            value = mask_address(str(value))
        rows.append(FactRow(fact.code, fact.label.get(lang()), fact.type.value, rules.fact_required(fact, channel),
                            fact.note_allowed, state, value, notes.get(fact.code, ""),
                            fact.help.get(lang()) if fact.help else ""))
    return done, rows


def complaint_completeness(complaint: Complaint) -> tuple[rules.Completeness, list[FactRow]]:
    policy = policy_of(complaint.policy_version)
    return fact_rows(policy, complaint.category, complaint.facts, complaint.missing_notes,
                     complaint_bound_values(complaint), complaint.channel)


def timeline_text(entry: TimelineEntry, policy: Policy) -> str:
    d = entry.data
    kind = entry.kind

    def level(code: str) -> str:
        return label_of(policy.levels, code)

    if kind == "registered":
        return _("Registered through %(channel)s at level %(level)s under policy %(policy)s; owner %(owner)s.") % {
            "channel": label_of(policy.channels, d.get("channel", "")), "level": level(d.get("level", "")),
            "policy": f"{policy.name.get(lang())} {policy.version}", "owner": d.get("owner", "")}
    if kind == "level_overridden":
        return _("Level set to %(level)s instead of the suggested %(suggested)s. Reason: %(reason)s") % {
            "level": level(d.get("level", "")), "suggested": level(d.get("suggested", "")),
            "reason": d.get("reason", "")}
    if kind == "level_to_confirm":
        return _("The policy's rules suggest %(suggested)s, a level a person confirms: the complaint stays %(level)s "
                 "until it is escalated.") % {"suggested": level(d.get("suggested", "")),
                                               "level": level(d.get("level", ""))}
    if kind == "level_raised":
        return _("Level raised from %(previous)s to %(level)s by the policy's triggers.") % {
            "previous": level(d.get("previous", "")), "level": level(d.get("level", ""))}
    if kind == "incomplete":
        return _("Registered incomplete. Missing facts: %(facts)s.") % {
            "facts": listed(fact_labels(policy, d.get("missing", [])))}
    if kind == "completed":
        return _("Every required fact is now recorded or explained by a note.")
    if kind == "repeat":
        return _("Repeat complaint: same phone, e-mail or IMEI as %(numbers)s within %(days)s days.") % {
            "numbers": ", ".join(d.get("numbers", [])), "days": d.get("window_days", "")}
    if kind == "message_queued":
        return _("Acknowledgement queued for %(channel)s: “%(text)s”") % {
            "channel": channel_label(d.get("channel", "")), "text": d.get("text", "")}
    if kind == "result_notice":
        if not d.get("channel"):
            return _("No phone or e-mail recorded: send this result notice through the case origin: “%(text)s”") % {
                "text": d.get("text", "")}
        return _("Result notice queued for %(channel)s: “%(text)s”") % {
            "channel": channel_label(d.get("channel", "")), "text": d.get("text", "")}
    if kind == "message_sent":
        return _("Message (%(kind)s) delivered by %(channel)s to %(recipient)s through %(transport)s.") % {
            "kind": message_kind_label(d.get("message_kind", "")), "channel": channel_label(d.get("channel", "")),
            "recipient": _mask_recipient(d.get("recipient", "")), "transport": transport_label(d.get("transport", ""))}
    if kind == "message_failed":
        # the failure in the reader's language; an entry written before failures were kept as codes
        # has the transport's raw text only
        error = failure_text(d["failure"]) if d.get("failure") else d.get("error", "")
        return _("Message (%(kind)s) to %(recipient)s failed: %(error)s") % {
            "kind": message_kind_label(d.get("message_kind", "")), "recipient": _mask_recipient(d.get("recipient", "")),
            "error": error}
    if kind == "message_uncertain":
        return _("Message (%(kind)s) to %(recipient)s perhaps not delivered: the worker stopped while handing "
                 "it over. It is not sent again unless someone resends it.") % {
            "kind": message_kind_label(d.get("message_kind", "")), "recipient": _mask_recipient(d.get("recipient", ""))}
    if kind == "message_resent":
        return _("Message (%(kind)s) to %(recipient)s queued to be sent again.") % {
            "kind": message_kind_label(d.get("message_kind", "")), "recipient": _mask_recipient(d.get("recipient", ""))}
    if kind == "acknowledgement_manual":
        return _("No phone or e-mail recorded: send this acknowledgement through the case origin: “%(text)s”") % {
            "text": d.get("text", "")}
    if kind == "amended":
        text = _("Amended: %(fields)s.") % {"fields": amended_fields(d.get("fields", []))}
        if d.get("comment"):
            text += " " + str(d["comment"])
        return text
    describer = TIMELINE_DESCRIBERS.get(kind)
    if describer is not None:
        return describer(entry, policy)
    return kind.replace("_", " ")


def _mask_recipient(value: str) -> str:
    return mask_email(value) if "@" in value else mask_phone(value)


def timeline(complaint: Complaint, show: bool = False, entries: Iterable[TimelineEntry] | None = None
             ) -> list[dict[str, Any]]:
    """The entries in order (``entries`` when the caller has them: those a registration just
    wrote); contact values in their data are masked unless ``show`` (a reveal)."""
    policy = policy_of(complaint.policy_version)
    out = []
    for entry in complaint.timeline.select_related("actor").all() if entries is None else entries:
        out.append({
            "at": entry.at,
            "kind": entry.kind,
            "actor": entry.actor.display_name() if entry.actor else None,
            "text": timeline_text(entry, policy),
            "data": entry.data if show else mask_data(entry.data),
        })
    return out


def customer_view(complaint: Complaint, user: Any, reveal: bool = False) -> dict[str, Any]:
    """Contact data masked unless the user may reveal it and asked to (the reveal is audited by
    the caller)."""
    customer = complaint.customer
    show = reveal and can(user, "customer.reveal", at=complaint)
    policy = policy_of(complaint.policy_version)
    return {
        "title": customer.title,
        "name": customer.display_name(),
        "titled_name": titled_name(customer.display_name(), str(customer.get_title_display()) if customer.title
                                   else "", lang()),
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "name_note": customer.name_note,
        "kind": customer.kind,
        "company": customer.company,
        "phone": customer.phone if show else mask_phone(customer.phone),
        "email": customer.email if show else mask_email(customer.email),
        "social_account": customer.social_account if show else mask_account(customer.social_account),
        "address": customer.address if show else mask_address(customer.address),
        "special_identity": label_of(policy.special_identities, customer.special_identity)
        if customer.special_identity else "",
        "emotion": label_of(policy.emotions, customer.emotion) if customer.emotion else "",
        "language": customer.language,
        "masked": not show,
    }


def product_view(complaint: Complaint, user: Any, reveal: bool = False) -> dict[str, Any] | None:
    product = complaint.product
    if product is None:
        return None
    show = reveal and can(user, "customer.reveal", at=complaint)
    return {
        "model": product.model,
        "imei": product.imei if show else mask_imei(product.imei),
        "build_number": product.build_number,
        "purchase_date": product.purchase_date,
        "purchase_date_approximate": product.purchase_date_approximate,
        "place_of_purchase": product.place_of_purchase,
        "lot_number": product.lot_number,
    }


# a row's status label without get_status_display()'s per-call hashing of the choices
STATUS_LABELS: dict[str, Any] = dict(Complaint.Status.choices)


def detail_url_maker() -> Callable[[str], str]:
    """A function from a complaint's number to its page's URL, reversing the route once for a whole
    list instead of once per row."""
    pattern = reverse("complaint-detail", args=["NUMBER"])
    head, tail = pattern.split("NUMBER", 1)
    return lambda number: f"{head}{quote(number, safe='')}{tail}"


def summary(complaint: Complaint | ComplaintRow, policy: Policy | None = None) -> dict[str, Any]:
    """A complaint as a row of a list or of the API's list (a model instance, or a row read by
    ``selectors.rows.complaint_rows``)."""
    policy = policy or policy_of(complaint.policy_version)
    active = get_language()  # once per row: each lookup is a context-local read
    language = active or "zh-hans"  # as core.i18n.current_language
    unit = complaint.unit
    return {
        "number": complaint.number,
        "status": complaint.status,
        "status_label": str(STATUS_LABELS.get(complaint.status, complaint.status)),
        "open": complaint.is_open,
        "level": labelled(policy.levels, complaint.level, language),
        "category": labelled(policy.categories, complaint.category, language),
        "channel": labelled(policy.channels, complaint.channel, language),
        "primary_target": (labelled(policy.targets, complaint.primary_target, language) if complaint.primary_target
                           else None),
        "customer": complaint.customer.display_name(),
        "owner": complaint.owner.display_name(),
        "complete": complaint.complete,
        "received_at": complaint.received_at,
        "registered_at": complaint.registered_at,
        "reply_due_at": complaint.reply_due_at,
        "reason": complaint.reason,
        "unit": {"code": unit.code, "name": unit.name_zh if (active or "").startswith("zh") else unit.name_en},
    }


# a work order's status label without get_status_display()'s per-call hashing of the choices
WORK_ORDER_STATUS_LABELS: dict[str, Any] = dict(WorkOrder.Status.choices)


def work_order_view(order: Any, policy: Policy, attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A work order as pages and the API show it; ``attachments``: its files when the caller read them
    for many orders at once (``selectors.work_orders.order_attachments``)."""
    language = lang()
    return {
        "id": order.pk, "number": order.number,
        "department": {"code": order.department.code,
                       "label": label_of(policy.departments, order.department.code, language)},
        "kind": order.kind, "urgent": order.urgent, "request": order.request, "status": order.status,
        "status_label": str(WORK_ORDER_STATUS_LABELS.get(order.status, order.status)),
        "created_by": order.created_by.display_name(), "created_at": order.created_at, "due_at": order.due_at,
        "reply": order.reply, "replied_by": order.replied_by.display_name() if order.replied_by else None,
        "replied_at": order.replied_at, "follow_up": order.follow_up, "complaint": order.complaint.number,
        "level": order.complaint.level,
        "attachments": (attachments if attachments is not None
                        else [{"name": a.name, "id": a.pk} for a in order.attachments.all()]),
    }


def work_details(complaint: Complaint, user: Any, written: Written | None = None) -> dict[str, Any]:
    """Clocks, work orders, progress, contacts and the actions the user may take; for a complaint
    just registered (``written``), its clocks are those it started and it has nothing else yet."""
    policy = policy_of(complaint.policy_version)
    if written is not None:
        return {**_work_header(complaint, user), "work_orders": [], "progress": [], "contacts": [],
                "clocks": [view.__dict__ for view in clock_views(complaint, language=lang(),
                                                                  clocks=written.clocks)]}
    return {
        **_work_header(complaint, user),
        "clocks": [view.__dict__ for view in clock_views(complaint, language=lang())],
        "work_orders": [work_order_view(o, policy) for o in complaint.work_orders.select_related(
            "department", "created_by", "replied_by", "complaint").prefetch_related("attachments")],
        "progress": [{
            "id": p.pk, "day": p.day, "verified": p.verified, "description_true": p.description_true, "done": p.done,
            "next_step": p.next_step, "no_update_reason": p.no_update_reason, "author": p.author.display_name(),
            "created_at": p.created_at, "attachments": [a.name for a in p.attachments.all()],
            "attachment_ids": [(a.pk, a.name) for a in p.attachments.all()],
        } for p in complaint.progress.select_related("author").prefetch_related("attachments")],
        "contacts": [{"at": c.at, "purpose": c.purpose, "outcome": c.outcome,
                      "outcome_label": str(c.get_outcome_display()), "note": c.note, "by": c.by.display_name()}
                     for c in complaint.contact_attempts.select_related("by")],
    }


def _work_header(complaint: Complaint, user: Any) -> dict[str, Any]:
    return {
        "waiting_on": complaint.waiting_on,
        "major_opened_at": complaint.major_opened_at,
        "major_solved_at": complaint.major_solved_at,
        "urgent": complaint.urgent,
        "missed_update_days": complaint.missed_update_days,
        "outcome_reason": complaint.outcome_reason,
        "withdrawn_by": complaint.withdrawn_by,
        "actions": allowed_actions(user, complaint),
    }


def detail(complaint: Complaint, user: Any, reveal: bool = False, written: Written | None = None) -> dict[str, Any]:
    """The full record. ``written``: the complaint was just registered and these are the rows it
    wrote (timeline, clocks, repeats): the answer is built from them without reading anything back
    (nothing else can refer to a complaint its own transaction has just created)."""
    policy = policy_of(complaint.policy_version)
    done, rows = complaint_completeness(complaint)
    data = summary(complaint, policy)
    data.update({
        "unit": {"code": complaint.unit.code, "name": complaint.unit.name},
        "policy": str(complaint.policy_version),
        "version": complaint.version,
        "suggested_level": labelled(policy.levels, complaint.suggested_level),
        "level_override_reason": complaint.level_override_reason,
        "triggers": complaint.triggers,
        "targets": [labelled(policy.targets, code) for code in complaint.targets],
        "flags": [labelled(policy.flags, code) for code in complaint.flags],
        "reason_codes": reason_labels(policy, complaint.reason_codes),
        "case_origin": complaint.case_origin,
        "source_number": complaint.source_number,
        "description": complaint.description,
        "customer_request": complaint.customer_request,
        "requested_deadline": complaint.requested_deadline,
        "earlier_case_ids": complaint.earlier_case_ids,
        "repair_ids": complaint.repair_ids,
        "units": complaint.units,
        "reply_due_provisional": complaint.reply_due_provisional,
        "repeats": [c.number for c in (complaint.repeats.all() if written is None else written.repeats)],
        "repeated_by": [c.number for c in complaint.repeated_by.all()] if written is None else [],
        "customer_detail": customer_view(complaint, user, reveal),
        "product": product_view(complaint, user, reveal),
        "completeness": {
            "complete": done.complete,
            "missing": list(done.missing),
            "noted": list(done.noted),
            "facts": [row.__dict__ for row in rows],
        },
        "timeline": timeline(complaint, show=reveal and can(user, "customer.reveal", at=complaint),
                             entries=None if written is None else written.timeline),
    })
    data.update(work_details(complaint, user, written))
    return data
