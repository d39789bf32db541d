"""Shared helpers of the follow-up tests: complaints brought to "resolved" through the real services,
under any preset, at given times."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from orgkit import install_org

SH = ZoneInfo("Asia/Shanghai")
# a Monday in the past: every moment of a test is fixed, whatever day the suite runs
BASE = datetime(2026, 11, 16, 10, 0, tzinfo=SH)


def hotline_registration(**overrides: Any) -> dict[str, Any]:
    """A complaint about a customer representative (community hotline, seed 002)."""
    data: dict[str, Any] = {
        "customer": {"title": "ms", "first_name": "芳", "last_name": "王", "phone": "13912345678",
                     "language": "zh-hans"},
        "channel": "hotline",
        "category": "rep_service",
        "reason_codes": ["service"],
        "reason": "客户投诉客户代表服务态度生硬",
        "description": "客户来电咨询物业费，客户代表语气生硬并挂断电话。",
        "customer_request": "要求道歉",
        "facts": {"rep_id": "1023", "call_time": "2026-11-15 09:30", "what_happened": "语气生硬并挂断电话",
                  "initial_check": "已查工单记录"},
    }
    data.update(overrides)
    return data


def dealer_registration(**overrides: Any) -> dict[str, Any]:
    """A complaint about a dealer's service (dealer network, seed 003)."""
    data: dict[str, Any] = {
        "customer": {"title": "mr", "first_name": "Tom", "last_name": "Baker", "phone": "13712345678",
                     "address": "Hangzhou", "language": "en"},
        "channel": "hotline",
        "category": "dealer_service",
        "reason_codes": ["service"],
        "reason": "The dealer did not come to fix the tiles",
        "description": "Loose tiles reported two weeks ago; the dealer never came.",
        "customer_request": "Repair this week",
        "facts": {"dealer_name": "Hangzhou West dealer", "what_happened": "No visit after two weeks"},
    }
    data.update(overrides)
    return data


def root_cause(policy: Any) -> list[str]:
    path: list[str] = []
    nodes: Any = policy.reasons.tree
    while nodes and len(path) < policy.reasons.root_cause_depth:
        path.append(nodes[0].code)
        nodes = nodes[0].children
    return path


def resolve(org: Any, data: dict[str, Any], *, at: datetime = BASE, note: str = "Replaced the device") -> Any:
    """Register (agent), accept and start (specialist) and resolve at ``at`` + 1 h."""
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register
    from complaintdesk.complaints.services.actions import complaint_accept, complaint_resolve, complaint_start
    from complaintdesk.core.policies import active_policy

    _version, policy = active_policy()
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input(), now=at)
    complaint_accept(actor=org["specialist"], number=complaint.number, now=at + timedelta(minutes=5))
    complaint_start(actor=org["specialist"], number=complaint.number, now=at + timedelta(minutes=10))
    complaint_resolve(actor=org["specialist"], number=complaint.number, now=at + timedelta(hours=1),
                  note=note, root_cause=root_cause(policy),
                                   corrective_action="Brief the service centre")
    complaint.refresh_from_db()
    return complaint


def visit_of(complaint: Any) -> Any:
    from complaintdesk.followup.models import ReturnVisit

    return ReturnVisit.objects.filter(complaint=complaint).order_by("-cycle").first()


def status(complaint: Any) -> str:
    complaint.refresh_from_db()
    return str(complaint.status)


def any_registration(policy: Any, category: str = "") -> dict[str, Any]:
    """A complete registration for any preset: every required fact filled by its type."""
    chosen = policy.category(category) if category else policy.categories[0]
    customer: dict[str, Any] = {"title": "ms", "first_name": "Li", "last_name": "Wang", "phone": "13812345678",
                                "address": "Shanghai", "language": "zh-hans"}
    product: dict[str, Any] = {"model": "Model X", "imei": "490154203237518", "build_number": "A1",
                               "purchase_date": "2026-10-01", "place_of_purchase": "Store", "lot_number": "L1"}
    if policy.emotions:
        customer["emotion"] = policy.emotions[0].code
    if policy.special_identities:
        customer["special_identity"] = policy.special_identities[0].code
    values = {"text": "x", "textarea": "details", "date": "2026-11-01", "datetime": "2026-11-01 10:00",
              "number": "1", "money": "10", "imei": "490154203237518", "phone": "13812345678", "boolean": "yes"}
    facts: dict[str, Any] = {}
    for fact in chosen.facts:
        if fact.field not in (None, "units"):  # a fact bound to the units is entered as a fact
            continue
        facts[fact.code] = fact.options[0].code if fact.type.value == "choice" else values[fact.type.value]
    reason: list[str] = []
    nodes: Any = policy.reasons.tree
    while nodes and len(reason) < policy.reasons.intake_depth:
        reason.append(nodes[0].code)
        nodes = nodes[0].children
    channel = next(c.code for c in policy.channels if not c.requires_origin)
    return {"customer": customer, "product": product, "channel": channel, "category": chosen.code,
            "targets": [chosen.target or policy.targets[0].code], "reason_codes": reason,
            "reason": "The customer complains", "description": "What happened", "customer_request": "Fix it",
            "facts": facts}


def resolve_under(preset: str, org: Any, *, category: str = "", at: datetime = BASE, **overrides: Any) -> Any:
    """Install and activate ``preset``, then resolve a complaint registered under it."""
    policy = install_org(preset).policy
    data = any_registration(policy, category)
    data.update(overrides)
    return resolve(org, data, at=at)



