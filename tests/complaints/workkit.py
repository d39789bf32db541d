"""Helpers shared by the complaints and clock tests (tests/complaints, tests/clocks).

Each of those directories' conftest puts this directory on ``sys.path`` (the suite runs with
``--import-mode=importlib``), so test modules import it as ``workkit``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.policy.schema import FactType, Policy

SHANGHAI = ZoneInfo("Asia/Shanghai")
IMEI = "490154203237518"


def at(text: str, tz: ZoneInfo = SHANGHAI) -> datetime:
    """An aware moment from local wall-clock text, e.g. at("2026-02-13 10:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def reason_path(policy: Policy, depth: int) -> list[str]:
    """The first path of the reason taxonomy, ``depth`` levels deep (or down to a leaf)."""
    codes: list[str] = []
    nodes = policy.reasons.tree
    while nodes and len(codes) < depth:
        codes.append(nodes[0].code)
        nodes = nodes[0].children
    return codes


def root_cause(policy: Policy) -> list[str]:
    return reason_path(policy, policy.reasons.root_cause_depth)


def registration_for(policy: Policy, *, category: str = "", when: datetime | None = None,
                     **overrides: Any) -> dict[str, Any]:
    """A complete, valid registration for any preset: every required fact of the category filled."""
    when = when or datetime.now(tz=SHANGHAI)
    chosen = policy.category(category) if category else policy.categories[0]
    facts: dict[str, Any] = {}
    for fact in chosen.facts:
        if fact.field not in (None, "units"):  # a fact bound to the units is entered as a fact
            continue
        if fact.type == FactType.CHOICE:
            facts[fact.code] = fact.options[0].code
        elif fact.type == FactType.BOOLEAN:
            facts[fact.code] = "yes"
        elif fact.type == FactType.DATE:
            facts[fact.code] = (when - timedelta(days=5)).date().isoformat()
        elif fact.type == FactType.DATETIME:
            facts[fact.code] = (when - timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
        elif fact.type in {FactType.NUMBER, FactType.MONEY}:
            facts[fact.code] = "120"
        elif fact.type == FactType.IMEI:
            facts[fact.code] = IMEI
        elif fact.type == FactType.PHONE:
            facts[fact.code] = "13912345678"
        else:
            facts[fact.code] = f"Recorded {fact.code.replace('_', ' ')}"
    channel = next(c.code for c in policy.channels if not c.requires_origin)
    data: dict[str, Any] = {
        "customer": {"title": "ms", "first_name": "Emily", "last_name": "Carter", "phone": "13812345678",
                     "email": "emily@example.com", "address": "Shanghai, Xuhui",
                     "emotion": policy.emotions[0].code if policy.emotions else "", "language": "en"},
        "product": {"model": "Reno 8 Pro", "imei": IMEI, "build_number": "A.21",
                    "purchase_date": (when - timedelta(days=60)).date().isoformat(),
                    "place_of_purchase": "Official online store", "lot_number": "LOT-2026-01"},
        "channel": channel,
        "category": chosen.code,
        "targets": [] if chosen.target else [policy.targets[0].code],
        "reason_codes": reason_path(policy, policy.reasons.intake_depth),
        "reason": "Customer complains the device fails",
        "description": "The device stopped working after a week.",
        "customer_request": "Repair within a week",
        "facts": facts,
    }
    data.update(overrides)
    return data


def register(actor: Any, *, when: datetime | None = None, category: str = "", **overrides: Any) -> Any:
    """Register a complaint under the active policy, ``when`` (default now)."""
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register
    from complaintdesk.core.policies import active_policy

    _version, policy = active_policy()
    data = registration_for(policy, category=category, when=when, **overrides)
    return complaint_register(actor=actor, data=ComplaintIn(**data).to_input(), now=when)


def act(actor: Any, complaint: Any, action: str, *, now: datetime | None = None, **fields: Any) -> Any:
    """Run the action through the name → function table (as the API does); an unknown field is an
    error here rather than ignored."""
    from complaintdesk.complaints.services.actions import ACTIONS, complaint_action

    if action not in ACTIONS:  # the dispatch refuses it, naming the actions
        return complaint_action(actor=actor, number=complaint.number, name=action, fields=fields, now=now)
    return ACTIONS[action].function(actor=actor, number=complaint.number, now=now, **fields)


def resolve_fields(policy: Policy) -> dict[str, Any]:
    return {"note": "Replaced the battery; the customer accepted.", "root_cause": root_cause(policy),
            "corrective_action": "Add a battery check to the repair checklist."}


def bring_to(org: Any, complaint: Any, state: str, *, now: datetime | None = None) -> Any:
    """Drive a registered complaint through the lifecycle into ``state`` (the specialist owns it)."""
    from complaintdesk.core.policies import policy_of

    policy = policy_of(complaint.policy_version)
    specialist = org["specialist"]
    steps: dict[str, list[tuple[str, dict[str, Any]]]] = {
        "registered": [],
        "accepted": [("accept", {})],
        "in_progress": [("accept", {}), ("start", {})],
        "resolved": [("accept", {}), ("start", {}), ("resolve", resolve_fields(policy))],
        "closed": [("accept", {}), ("start", {}), ("resolve", resolve_fields(policy)), ("close", {})],
        "rejected": [("reject", {"reason": policy.reject_reasons[0].code})],
        "withdrawn": [("withdraw", {"withdrawn_by": "The customer, by phone"})],
    }
    for action, fields in steps[state]:
        # withdrawing is the owner's (or a supervisor's): the one who registered it
        by = complaint.owner if action == "withdraw" else specialist
        complaint = act(by, complaint, action, now=now, **fields)
    assert complaint.status == state
    return complaint


@pytest.fixture
def table_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the lifecycle's own conditions: other apps' guards (an approved plan, a return visit…)
    are tested in their own suites."""
    from complaintdesk.complaints.services import lifecycle

    for name, checks in list(lifecycle.GUARDS.items()):
        monkeypatch.setitem(lifecycle.GUARDS, name, [g for g in checks if g.__module__ == lifecycle.__name__])


def notices(user: Any, kind: str = "") -> list[Any]:
    from complaintdesk.notify.models import Message

    qs = Message.objects.filter(recipient_user=user, channel="internal")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("id"))


def state_of(complaint: Any) -> tuple[Any, ...]:
    """What a refused action must leave unchanged."""
    from complaintdesk.complaints.models import Complaint, OwnershipChange
    from complaintdesk.core.models import AuditEvent

    fresh = Complaint.objects.get(pk=complaint.pk)
    return (fresh.status, fresh.version, AuditEvent.objects.exclude(action="token.create").count(),
            fresh.timeline.count(), fresh.owner.username,
            fresh.level, fresh.waiting_on, OwnershipChange.objects.filter(complaint=fresh).count(),
            list(fresh.clocks.order_by("id").values_list("status", "due_at")))



