"""Helpers of the resolutions tests: installing presets, complaints in handling under any preset,
plan inputs, resolving."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from complaintdesk.policy.schema import FactType, Policy

IMEI = "490154203237518"


def fact_value(fact: Any) -> Any:
    kind = fact.type
    if kind == FactType.DATE:
        return "2026-01-05"
    if kind == FactType.DATETIME:
        return "2026-01-05 10:00"
    if kind in {FactType.NUMBER, FactType.MONEY}:
        return "2"
    if kind == FactType.IMEI:
        return IMEI
    if kind == FactType.PHONE:
        return "13812345678"
    if kind == FactType.CHOICE:
        return fact.options[0].code
    if kind == FactType.BOOLEAN:
        return False
    return "已核实"


def registration_for(policy: Policy, *, category: str | None = None, model: str = "方正文祥 E520",
                     reason: str = "用户投诉电脑主板故障反复维修", description: str = "三次送修仍然黑屏",
                     level: str = "", **extra: Any) -> dict[str, Any]:
    """A complete registration for any preset: every fact of the category filled."""
    cat = policy.category(category) if category else policy.categories[0]
    facts = {fact.code: fact_value(fact) for fact in cat.facts if fact.field in (None, "units")}
    path: list[str] = []
    nodes = policy.reasons.tree
    while nodes and len(path) < policy.reasons.intake_depth:
        path.append(nodes[0].code)
        nodes = nodes[0].children
    data: dict[str, Any] = {
        "customer": {"title": "mr", "first_name": "建国", "last_name": "王", "phone": "13812345678",
                     "address": "上海市徐汇区", "language": "zh-hans",
                     "emotion": policy.emotions[0].code if policy.emotions else ""},
        "product": {"model": model, "imei": IMEI, "purchase_date": "2025-10-01", "place_of_purchase": "官方商城",
                    "lot_number": "L2025"},
        "channel": next(c.code for c in policy.channels if not c.requires_origin),
        "category": cat.code,
        "targets": [cat.target] if cat.target else [policy.targets[0].code],
        "reason_codes": path,
        "reason": reason,
        "description": description,
        "customer_request": "尽快解决",
        "facts": facts,
    }
    if level:
        data["level"] = level
        data["level_override_reason"] = "测试所需级别"
    data.update(extra)
    return data


def root_cause(policy: Policy) -> list[str]:
    path: list[str] = []
    nodes = policy.reasons.tree
    while nodes and len(path) < policy.reasons.root_cause_depth:
        path.append(nodes[0].code)
        nodes = nodes[0].children
    return path


def make_complaint(org: Any, *, owner: str = "specialist", start: bool = True, now: datetime | None = None,
                   **registration: Any) -> Any:
    """Register a complaint under the active policy and take it into handling (owned by ``owner``)."""
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register
    from complaintdesk.complaints.services.actions import complaint_accept, complaint_start

    data = ComplaintIn.model_validate(registration_for(org.policy, **registration)).to_input()
    complaint = complaint_register(actor=org[owner], data=data, now=now)
    if start:
        complaint_accept(actor=org[owner], number=complaint.number, now=now)
        complaint_start(actor=org[owner], number=complaint.number, now=now)
        complaint.refresh_from_db()
    return complaint


def resolve(org: Any, complaint: Any, *, actor: str = "specialist", now: datetime | None = None) -> Any:
    from complaintdesk.complaints.services.actions import complaint_resolve

    return complaint_resolve(actor=org[actor], number=complaint.number, now=now,
        note="已为用户更换主板", root_cause=root_cause(org.policy), corrective_action="加强主板来料检验")


def plan_data(amount: str | int = "80", *, tier: str = "service_compensation", kind: str = "compensation",
              currency: str = "", lines: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """A plan as the API takes it (5W1H + one cost line by default)."""
    data: dict[str, Any] = {
        "tier": tier, "what": "赠送延长保修一年并补偿", "who": "投诉处理专员", "when": "明天",
        "where": "北京维修站", "why": "维修时间过长，安抚用户", "how": "当面致歉并办理延保",
        "lines": lines if lines is not None else [{"kind": kind, "amount": str(amount), "currency": currency,
                                                    "description": "补偿"}],
    }
    data.update(extra)
    return data


def plan_input(amount: str | int = "80", **kwargs: Any) -> Any:
    from complaintdesk.resolutions.services import CostLineInput, PlanInput

    data = plan_data(amount, **kwargs)
    lines = [CostLineInput(**line) for line in data.pop("lines")]
    return PlanInput(lines=lines, **data)






def api_for(org: Any, role: str, language: str = "en") -> Any:
    """A JSON API client authenticated as the role's user of ``org``."""
    from complaintdesk.accounts.services import token_create

    _token, clear = token_create(actor=None, username=org[role].username)
    conftest = sys_conftest()
    return conftest.Api(clear, language)


def sys_conftest() -> Any:
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "conftest.py"
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve() == path:
            return module
    raise RuntimeError("tests/conftest.py is not loaded")


def close_after_return_visit(org: Any, complaint: Any, *, actor: str = "specialist", satisfaction: str = "satisfied",
                             now: datetime | None = None) -> Any:
    """The customer is reached at the return visit and satisfied: the follow-up app closes the complaint."""
    from complaintdesk.followup.services.visits import VisitInput, return_visit_record

    return return_visit_record(actor=org[actor], number=complaint.number,
                               data=VisitInput(outcome="reached", satisfaction=satisfaction,
                                               reason="" if satisfaction == "satisfied" else "处理时间较长"),
                               now=now)
