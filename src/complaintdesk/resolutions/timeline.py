"""How the resolutions' timeline entries read, in the viewer's language."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from complaintdesk.complaints.display import TIMELINE_DESCRIBERS, label_of
from complaintdesk.complaints.models import TimelineEntry
from complaintdesk.policy.schema import Policy
from complaintdesk.resolutions.services.common import money, role_label


def _money(d: dict[str, Any]) -> str:
    try:
        return money(Decimal(str(d.get("total") or d.get("amount") or "0")), str(d.get("currency", "")))
    except InvalidOperation:
        return str(d.get("total") or d.get("amount") or "")


def _tier(policy: Policy, code: str) -> str:
    return label_of(policy.solution_tiers, code) if code else "-"


def _roles(policy: Policy, codes: list[str]) -> str:
    return " → ".join(role_label(policy, code) for code in codes)


def _channel(code: str) -> str:
    return {"phone": _("by phone"), "in_person": _("in person"), "email": _("by e-mail"), "letter": _("by letter"),
            "sms": _("by SMS"), "portal": _("on the portal")}.get(code, code)


def describe(entry: TimelineEntry, policy: Policy) -> str:
    d: dict[str, Any] = entry.data
    kind = entry.kind
    plan = d.get("plan", "")
    if kind == "plan_submitted":
        text = _("Plan P%(plan)s written: %(tier)s — %(what)s (%(amount)s).") % {
            "plan": plan, "tier": _tier(policy, d.get("tier", "")), "what": d.get("what", ""), "amount": _money(d)}
        if d.get("route"):
            text += " " + _("Approval by %(roles)s.") % {"roles": _roles(policy, d["route"])}
        if d.get("over_budget"):
            text += " " + _("Exceeds the monthly budget (emergency: %(reason)s).") % {
                "reason": d.get("emergency_reason", "")}
        return text
    if kind == "plan_authorised":
        return _("Plan P%(plan)s authorised within the limit of the %(role)s.") % {
            "plan": plan, "role": role_label(policy, d.get("role", "")) if d.get("role") else "-"}
    if kind == "approval_requested":
        return _("Plan P%(plan)s sent for approval to %(approver)s (%(role)s).") % {
            "plan": plan, "approver": d.get("approver", ""), "role": role_label(policy, d.get("role", ""))}
    if kind == "approval_decided":
        template = (_("%(role)s approved plan P%(plan)s.") if d.get("decision") == "approve"
                    else _("%(role)s rejected plan P%(plan)s."))
        text = template % {"role": role_label(policy, d.get("role", "")), "plan": plan}
        if d.get("on_behalf_of"):
            text += " " + _("(as delegate of %(name)s)") % {"name": d["on_behalf_of"]}
        if d.get("comment"):
            text += " " + _("Comment: %(comment)s") % {"comment": d["comment"]}
        return text
    if kind == "plan_approved":
        return _("Plan P%(plan)s approved (%(amount)s).") % {"plan": plan, "amount": _money(d)}
    if kind == "plan_rejected":
        return _("Plan P%(plan)s rejected: %(comment)s A new plan is needed.") % {
            "plan": plan, "comment": d.get("comment", "")}
    if kind == "plan_superseded":
        return _("Plan P%(plan)s replaced by a new plan.") % {"plan": plan}
    if kind == "plan_cancelled":
        return _("Plan P%(plan)s cancelled with the complaint.") % {"plan": plan}
    if kind == "solution_proposed":
        return _("Solution of plan P%(plan)s proposed to the customer. %(note)s") % {
            "plan": plan, "note": d.get("note", "")}
    if kind == "solution_implemented":
        return _("Solution of plan P%(plan)s implemented. %(note)s") % {"plan": plan, "note": d.get("note", "")}
    if kind == "customer_decision":
        if d.get("decision") == "refused":
            return _("The customer refused plan P%(plan)s (%(channel)s): “%(words)s” Back to planning.") % {
                "plan": plan, "channel": _channel(d.get("channel", "")), "words": d.get("words", "")}
        text = _("The customer accepted plan P%(plan)s (%(channel)s).") % {
            "plan": plan, "channel": _channel(d.get("channel", ""))}
        return text + (f" “{d['words']}”" if d.get("words") else "")
    if kind == "petty_cash_paid":
        return _("Paid %(amount)s from petty cash (%(kind)s, voucher %(voucher)s): %(description)s") % {
            "amount": _money(d), "kind": label_of(policy.cost_kinds, d.get("cost_kind", "")),
            "voucher": d.get("voucher") or "-", "description": d.get("description", "")}
    if kind == "petty_cash_countersigned":
        text = _("Petty-cash voucher %(voucher)s (%(amount)s) countersigned.") % {
            "voucher": d.get("voucher") or "-", "amount": _money(d)}
        return text + (f" {d['comment']}" if d.get("comment") else "")
    if kind == "legal_requested":
        if d.get("phoned"):
            return _("Legal consulted by phone (urgent); the form follows. %(note)s") % {"note": d.get("note", "")}
        return _("Legal consultation form filed with legal.")
    if kind == "legal_filed":
        return _("Legal consultation form filed after the phone call.")
    if kind == "legal_advice":
        text = _("Legal advice: %(advice)s") % {"advice": d.get("advice", "")}
        if d.get("company_at_fault") is True:
            text += " " + _("(the company is at fault)")
        elif d.get("company_at_fault") is False:
            text += " " + _("(the company is not at fault)")
        return text
    if kind == "agreement_recorded":
        kinds = policy.legal.agreement_kinds if policy.legal else []
        text = _("Settlement recorded (%(kind)s): %(terms)s") % {"kind": label_of(kinds, d.get("agreement_kind", "")),
                                                                 "terms": d.get("terms", "")}
        return text + (f" [{d['file']}]" if d.get("file") else "")
    if kind == "legal_reported":
        return _("Outcome reported to legal: %(text)s") % {"text": d.get("text", "")}
    return kind.replace("_", " ")


KINDS = ("plan_submitted", "plan_authorised", "approval_requested", "approval_decided", "plan_approved",
         "plan_rejected", "plan_superseded", "plan_cancelled", "solution_proposed", "solution_implemented",
         "customer_decision", "petty_cash_paid", "petty_cash_countersigned", "legal_requested", "legal_filed",
         "legal_advice", "agreement_recorded", "legal_reported")


def register() -> None:
    for kind in KINDS:
        TIMELINE_DESCRIBERS.setdefault(kind, describe)
