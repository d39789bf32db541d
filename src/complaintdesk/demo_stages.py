"""Move demo complaints through the lifecycle with the real services, so the demo shows every
stage: accepted, in progress with work orders and daily progress, waiting, escalated, resolved,
rejected, withdrawn — and one complaint whose deadline passes a few minutes after the demo starts."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from complaintdesk.accounts.models import User
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.actions import (
    complaint_accept,
    complaint_reject,
    complaint_resolve,
    complaint_start,
    complaint_withdraw,
)
from complaintdesk.complaints.services.attributes import complaint_escalate, complaint_pause
from complaintdesk.complaints.services.work import ProgressInput, progress_add, work_order_dispatch, work_order_reply
from complaintdesk.core.calendars import add_duration
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy


def _at(base: datetime, hours: float, now: datetime) -> datetime:
    return min(base + timedelta(hours=hours), now - timedelta(minutes=1))


def _root_cause(policy: Policy, rng: random.Random) -> list[str]:
    path: list[str] = []
    nodes: Any = policy.reasons.tree
    while nodes and len(path) < policy.reasons.root_cause_depth:
        node = rng.choice(nodes)
        path.append(node.code)
        nodes = node.children
    return path


def advance(policy: Policy, complaints: list[Any], *, seed: int = 7) -> dict[str, int]:
    """Walk each complaint to a stage chosen by its position; returns how many reached each stage."""

    rng = random.Random(seed)
    now = timezone.now()
    specialist = User.objects.filter(username="specialist").first()
    handler = User.objects.filter(username="handler").first()
    supervisor = User.objects.filter(username="supervisor").first()
    if specialist is None:
        return {}
    department = policy.departments[0].code if policy.departments else None
    stages: dict[str, int] = {}
    for index, complaint in enumerate(complaints):
        stage = index % 8
        base = complaint.registered_at
        if stage == 0 or not complaint.complete:
            stages["registered"] = stages.get("registered", 0) + 1
            continue
        number = complaint.number
        if stage == 6:
            if index % 16 == 6:
                complaint_reject(actor=specialist, number=number, now=_at(base, 1, now),
                                 reason=policy.reject_reasons[0].code, note="Demo")
                stages["rejected"] = stages.get("rejected", 0) + 1
            else:
                # withdrawing is the owner's (capability complaint.work)
                complaint_withdraw(actor=complaint.owner or specialist, number=number, now=_at(base, 1, now),
                                   withdrawn_by=str(complaint.customer), note="Customer withdrew by phone")
                stages["withdrawn"] = stages.get("withdrawn", 0) + 1
            continue
        complaint_accept(actor=specialist, number=number, now=_at(base, 0.5, now))
        if stage == 1:
            stages["accepted"] = stages.get("accepted", 0) + 1
            continue
        complaint_start(actor=specialist, number=number, now=_at(base, 1, now))
        english = complaint.language == "en"
        if department and stage in (2, 3, 5):
            order = work_order_dispatch(
                actor=specialist, number=number, department=department, now=_at(base, 1.5, now),
                request="Please check the device and report the findings." if english
                else "请检测设备并反馈检测结论。")
            if stage in (3, 5) and handler is not None:
                work_order_reply(actor=handler, order_id=order.pk, now=_at(base, 5, now),
                                 reply="Inspected: fault confirmed, part ordered." if english
                                 else "已检测：故障属实，已订购备件。")
        if stage in (3, 5, 7):
            progress_add(actor=specialist, number=number, now=_at(base, 6, now), data=ProgressInput(
                verified="Called the customer; the description is accurate." if english
                else "已致电客户，登记描述属实。", description_true=True,
                done="Explained the handling plan." if english else "向客户说明了处理方案。",
                next_step="Wait for the service centre's result." if english else "等待服务中心检测结果。"))
        if stage == 4:
            complaint_pause(actor=specialist, number=number, now=_at(base, 2, now), condition="waiting_on_customer",
                            note="Customer will send the purchase invoice." if english else "客户将补寄购机发票。")
            stages["waiting"] = stages.get("waiting", 0) + 1
        elif stage == 5:
            complaint_resolve(
                actor=specialist, number=number, now=_at(base, 8, now),
                note="Device repaired free of charge; customer accepted." if english
                else "免费维修，客户认可处理结果。",
                root_cause=_root_cause(policy, rng),
                corrective_action="Stock the part at the service centre; brief the staff." if english
                else "服务中心备足该备件，并对员工进行培训。")
            stages["resolved"] = stages.get("resolved", 0) + 1
        elif stage == 7 and supervisor is not None and len(policy.levels) > 1:
            try:
                complaint_escalate(actor=supervisor, number=number, now=_at(base, 7, now),
                                   reason="Customer threatens to go to the press." if english
                                   else "客户扬言向媒体投诉。")
                stages["escalated"] = stages.get("escalated", 0) + 1
            except Exception:  # already at the highest level: it stays in progress
                stages["in_progress"] = stages.get("in_progress", 0) + 1
        else:
            stages["in_progress"] = stages.get("in_progress", 0) + 1
    return stages


def watch_complaint(policy: Policy, *, minutes: int = 3) -> Any:
    """Register a complaint whose promised reply passes ``minutes`` after now, so that the demo shows
    a deadline going red and the supervisor being notified while you watch — only where the promise
    is an exact time (``24h``): one in working time or in whole days ends with working hours or at
    midnight, which no choice of the time received puts a few minutes from now (none is made)."""

    agent = User.objects.filter(username="agent").first()
    promise = rules.promise_clock(policy, policy.channels[0].code)
    if (agent is None or promise is None or promise.duration.is_working or promise.duration.ends_at_end_of_day
            or not promise.duration.is_plain):
        return None
    now = timezone.now()
    length = add_duration(policy, now, promise.duration).due_at - now
    received = now - length + timedelta(minutes=minutes)
    category = policy.categories[0]
    english = policy.language == "en"
    # its text facts say what they are (a dash read as "nothing recorded" beside a tick)
    filler = "Demo entry" if english else "演示填写"
    facts = {fact.code: filler for fact in category.facts if not fact.field and fact.type.value in {"text", "textarea"}}
    reason: list[str] = []
    nodes: Any = policy.reasons.tree
    while nodes and len(reason) < policy.reasons.intake_depth:
        reason.append(nodes[0].code)
        nodes = nodes[0].children
    data = ComplaintIn(
        customer={"title": "mr", "first_name": "Watch" if english else "观察",
                  "last_name": "Demo" if english else "演示", "phone": "13800138000", "language": policy.language},
        channel=policy.channels[0].code,
        case_origin="demo" if policy.channels[0].requires_origin else "",
        category=category.code, reason_codes=reason, facts=facts,
        targets=[category.target or sorted(policy.targets, key=lambda t: t.priority)[-1].code],
        reason="Demo: this complaint's reply deadline passes a few minutes after the demo starts" if english
        else "演示：本投诉的答复时限在演示启动几分钟后到期",
        description="Watch the deadline badge turn red and the supervisor get a notice." if english
        else "观察时限标记变红，主管收到通知。",
        customer_request="Reply today" if english else "今天答复",
        received_at=received.isoformat(),
    )
    return complaint_register(actor=agent, data=data.to_input())
