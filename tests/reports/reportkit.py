"""A hand-built data set for the report tests: complaints, clocks, work orders, judgements, return
visits and budget entries spread over October–December 2026 around the Shanghai month boundaries,
and a brute-force count of every figure in Python to compare the SQL aggregates with."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-11 in Shanghai is [2026-10-31 16:00 UTC, 2026-11-30 16:00 UTC)
NOV_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
NOV_END = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 10, 4, 0, tzinfo=UTC)


@dataclass
class DataSet:
    org: Any
    complaints: list[Any] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)


def make_complaint(org: Any, number: str, registered_at: datetime, **fields: Any) -> Any:
    from complaintdesk.complaints.models import Complaint, Customer, Product

    customer = Customer.objects.create(first_name="Test", last_name=number, created_at=registered_at)
    model = fields.pop("model", "ThinkBook 14")
    product = Product.objects.create(customer=customer, model=model) if model is not None else None
    data: dict[str, Any] = {
        "number": number, "policy_version": org.version, "customer": customer, "product": product,
        "channel": "hotline", "category": "machine_quality", "level": "normal", "suggested_level": "normal",
        "targets": ["product"], "reason": "r", "description": "d", "customer_request": "c",
        "owner": org["specialist"], "registered_by": org["agent"], "received_at": registered_at,
        "registered_at": registered_at, "updated_at": registered_at,
    }
    data.update(fields)
    return Complaint.objects.create(**data)


def build(org: Any, *, seed: int = 7, size: int = 60) -> DataSet:
    """Fixed edge rows plus ``size`` random complaints between 2026-10-20 and 2026-12-10."""
    from complaintdesk.accounts.models import Department
    from complaintdesk.clocks.models import Clock
    from complaintdesk.complaints.models import Complaint, WorkOrder
    from complaintdesk.followup.models import Judgement, ReturnVisit
    from complaintdesk.resolutions.models import BudgetEntry

    rng = random.Random(seed)
    policy = org.policy
    data = DataSet(org)
    departments = [Department.objects.get_or_create(code=d.code, defaults={"name_zh": d.label.zh,
                                                                            "name_en": d.label.en})[0]
                   for d in policy.departments]
    # the month edges: 1 second before, at, and 1 second before the end of November in Shanghai
    edges = [("EDGE-OCT", NOV_START - timedelta(seconds=1)), ("EDGE-NOV-FIRST", NOV_START),
             ("EDGE-NOV-LAST", NOV_END - timedelta(seconds=1)), ("EDGE-DEC", NOV_END)]
    for number, at in edges:
        data.numbers[number] = make_complaint(org, number, at, level="major", channel="letter")
    span = int((datetime(2026, 12, 10, tzinfo=UTC) - datetime(2026, 10, 20, tzinfo=UTC)).total_seconds())
    reason_paths = [["product"], ["product", "hardware"], ["product", "hardware", "mainboard"],
                    ["product", "software", "drivers"], ["service", "repair", "repair_duration"], []]
    statuses = list(Complaint.Status)
    for i in range(size):
        registered = datetime(2026, 10, 20, tzinfo=UTC) + timedelta(seconds=rng.randrange(span))
        status = rng.choice(statuses)
        closed_at = None
        if status in {Complaint.Status.CLOSED, Complaint.Status.REJECTED, Complaint.Status.WITHDRAWN}:
            closed_at = registered + timedelta(hours=rng.randrange(1, 24 * 25))
        root = rng.choice(reason_paths) if status in {Complaint.Status.RESOLVED, Complaint.Status.CLOSED} else []
        complaint = make_complaint(
            org, f"R-{i:04d}", registered,
            level=rng.choice([level.code for level in policy.levels]),
            channel=rng.choice([c.code for c in policy.channels]),
            category=rng.choice([*[c.code for c in policy.categories][:4], "retired_category"]),
            targets=rng.sample([t.code for t in policy.targets], rng.choice([1, 1, 2, 3])),
            reason_codes=rng.choice(reason_paths[:-1]), root_cause=root, status=status, closed_at=closed_at,
            model=rng.choice(["ThinkBook 14", "ThinkPad X1", "", None]),
        )
        data.complaints.append(complaint)
    everything = [*data.numbers.values(), *data.complaints]
    for complaint in rng.sample(everything, 12):
        earlier = rng.choice(everything)
        if earlier.pk != complaint.pk:
            complaint.repeats.add(earlier)
    clock_codes = [*[c.code for c in policy.clocks][:4], "retired_clock"]
    for complaint in everything:
        for _n in range(rng.randrange(0, 4)):
            due = complaint.registered_at + timedelta(hours=rng.randrange(1, 24 * 20))
            state = rng.choice(list(Clock.Status))
            stopped = due + timedelta(minutes=rng.randrange(-600, 600)) if state == Clock.Status.STOPPED else None
            breached = due + timedelta(minutes=1) if (
                (stopped and stopped > due and rng.random() < 0.7) or (stopped is None and due < NOW
                                                                       and rng.random() < 0.8)) else None
            Clock.objects.create(
                complaint=complaint, code=rng.choice(clock_codes), subject=f"s{rng.randrange(10**6)}",
                status=state, started_at=complaint.registered_at, due_at=due, stopped_at=stopped,
                breached_at=breached,
                paused_since=due - timedelta(hours=1) if state == Clock.Status.PAUSED else None,
                pauses=[{"from": "x", "to": "y"}] if rng.random() < 0.2 else [],
                extensions=[{"by": "1d"}] if rng.random() < 0.2 else [])
        for n in range(rng.randrange(0, 3)):
            due = complaint.registered_at + timedelta(hours=rng.randrange(1, 24 * 15))
            replied = due + timedelta(hours=rng.randrange(-30, 30)) if rng.random() < 0.6 else None
            status = WorkOrder.Status.ANSWERED if replied else rng.choice([WorkOrder.Status.OPEN,
                                                                          WorkOrder.Status.CANCELLED])
            WorkOrder.objects.create(complaint=complaint, number=f"{complaint.number}-W{n}",
                                     department=rng.choice(departments), request="x", status=status,
                                     created_by=org["specialist"], created_at=complaint.registered_at,
                                     due_at=due, replied_at=replied)
        if rng.random() < 0.3:
            Judgement.objects.create(complaint=complaint, staff=org["agent"], validity=rng.choice(["valid", "invalid"]),
                                     category="x", company_at_fault=rng.random() < 0.5, judged_by=org["supervisor"],
                                     judged_at=complaint.registered_at, appeal_deadline=complaint.registered_at)
        if rng.random() < 0.5:
            completed = complaint.registered_at + timedelta(hours=rng.randrange(1, 24 * 20))
            state = rng.choice([ReturnVisit.State.DONE, ReturnVisit.State.DONE, ReturnVisit.State.OPEN])
            result = rng.choice([ReturnVisit.Result.ANSWERED, ReturnVisit.Result.ANSWERED,
                                 ReturnVisit.Result.CALLBACK_FAILED]) if state == ReturnVisit.State.DONE else ""
            satisfaction = rng.choice(["satisfied", "general", "dissatisfied"]) if result == "answered" else ""
            ReturnVisit.objects.create(complaint=complaint, opened_at=complaint.registered_at, due_at=completed,
                                       state=state, result=result, satisfaction=satisfaction,
                                       score={"satisfied": 5, "general": 3, "dissatisfied": 1}.get(satisfaction),
                                       completed_at=completed if state == ReturnVisit.State.DONE else None)
        if rng.random() < 0.4:
            at = complaint.registered_at + timedelta(hours=rng.randrange(1, 24 * 10))
            kind = rng.choice(["spare_part", "compensation", "gift", "refund"])
            BudgetEntry.objects.create(
                complaint=complaint, kind=kind, amount=Decimal(rng.randrange(100, 90000)) / 100,
                currency=rng.choice(["CNY", "CNY", "CNY", "USD"]), counts=kind != "refund",
                month=at.astimezone(SHANGHAI).strftime("%Y-%m"), at=at,
                reversed_at=at if rng.random() < 0.15 else None)
    return data


# --- brute force -------------------------------------------------------------------------------


def in_month(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def brute_force(start: datetime, end: datetime, month: str, now: datetime) -> dict[str, Any]:
    """Every figure recounted in Python from the rows, one object at a time."""
    from complaintdesk.clocks.models import Clock
    from complaintdesk.complaints.models import Complaint, WorkOrder
    from complaintdesk.followup.models import Judgement, ReturnVisit
    from complaintdesk.resolutions.models import BudgetEntry

    complaints = list(Complaint.objects.select_related("product").prefetch_related("repeats"))
    opened = [c for c in complaints if in_month(c.registered_at, start, end)]
    ids = {c.pk for c in opened}
    final = {"closed", "rejected", "withdrawn"}
    out: dict[str, Any] = {
        "opened": len(opened),
        "closed": sum(1 for c in complaints if c.status == "closed" and in_month(c.closed_at, start, end)),
        "rejected": sum(1 for c in complaints if c.status == "rejected" and in_month(c.closed_at, start, end)),
        "withdrawn": sum(1 for c in complaints if c.status == "withdrawn" and in_month(c.closed_at, start, end)),
        "open_at_end": sum(1 for c in complaints
                           if c.registered_at < end and (c.closed_at is None or c.closed_at >= end)),
        "repeats": sum(1 for c in opened if c.repeats.all()),
        "level": Counter(c.level for c in opened),
        "category": Counter(c.category for c in opened),
        "channel": Counter(c.channel for c in opened),
        "target": Counter(t for c in opened for t in c.targets),
        "product_model": Counter((c.product.model if c.product else "") for c in opened),
    }
    del final
    for name, attr in (("reason", "reason_codes"), ("root_cause", "root_cause")):
        counter: Counter[str] = Counter()
        for c in opened:
            codes = getattr(c, attr)
            if not codes:
                counter[""] += 1
            for depth in range(1, len(codes) + 1):
                counter["/".join(codes[:depth])] += 1
        out[name] = counter
    departments: dict[str, set[int]] = {}
    for wo in WorkOrder.objects.select_related("department"):
        if wo.complaint_id in ids:
            departments.setdefault(wo.department.code, set()).add(wo.complaint_id)
    out["department"] = Counter({code: len(members) for code, members in departments.items()})
    judged = [j for j in Judgement.objects.all() if j.complaint_id in ids]
    out["validity"] = Counter(j.validity for j in judged)
    out["responsibility"] = Counter("company" if j.company_at_fault else "no_fault" for j in judged)
    clocks: dict[str, Counter[str]] = {}
    for clock in Clock.objects.all():
        if clock.status == "cancelled" or not in_month(clock.due_at, start, end):
            continue
        row = clocks.setdefault(clock.code, Counter())
        row["due"] += 1
        active = clock.status in {"running", "paused"}
        if clock.stopped_at is not None and clock.stopped_at <= clock.due_at and clock.breached_at is None:
            row["met"] += 1
        if clock.breached_at is not None or (clock.stopped_at is not None and clock.stopped_at > clock.due_at) \
                or (active and clock.due_at < now):
            row["breached"] += 1
        if active and clock.due_at >= now and clock.breached_at is None:
            row["running"] += 1
        if clock.paused_since is not None or clock.pauses:
            row["paused"] += 1
        if clock.extensions:
            row["extended"] += 1
    out["clocks"] = clocks
    work: dict[str, Counter[str]] = {}
    for wo in WorkOrder.objects.select_related("department"):
        if wo.status == "cancelled" or not in_month(wo.due_at, start, end):
            continue
        row = work.setdefault(wo.department.code, Counter())
        row["due"] += 1
        if wo.replied_at is not None and wo.replied_at <= wo.due_at:
            row["met"] += 1
        if (wo.replied_at is not None and wo.replied_at > wo.due_at) or (
                wo.replied_at is None and wo.status == "open" and wo.due_at < now):
            row["breached"] += 1
        if wo.replied_at is None and wo.status == "open" and wo.due_at >= now:
            row["running"] += 1
    out["work_orders"] = work
    visits = [v for v in ReturnVisit.objects.all() if v.state == "done" and v.result == "answered"
              and in_month(v.completed_at, start, end) and v.satisfaction]
    out["satisfaction"] = Counter(v.satisfaction for v in visits)
    scores = [v.score for v in visits if v.score is not None]
    out["mean_score"] = round(sum(scores) / len(scores), 2) if scores else None
    cost: dict[tuple[str, str, bool], Decimal] = {}
    for entry in BudgetEntry.objects.all():
        if entry.month == month and entry.reversed_at is None:
            key = (entry.kind, entry.currency, entry.counts)
            cost[key] = cost.get(key, Decimal("0")) + entry.amount
    out["cost"] = cost
    return out


def unit_tree(org: Any) -> Any:
    """Head office, the region ``east`` with stores A and B (tests/unitkit.py): two complaints at head
    office, three in store A, one in store B (10 November 2026); store A keeps its own budget of
    1,000 CNY; costs of 100 (head office), 250 (store A) and 40 (store B, on head office's budget).
    Store A's section chief ``chief_a``, store B's ``chief_b``, the region's ``east_head``."""
    from complaintdesk.resolutions.models import BudgetEntry
    from unitkit import build_tree, own_policy, person

    day = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
    tree = build_tree()
    own_policy(tree.store_a, "pc_maker", "2026.1-store-a", ("  monthly: 5000 ", "  monthly: 1000 "))
    person(tree, "chief_a", "store-a", "supervisor")
    person(tree, "chief_b", "store-b", "supervisor")
    person(tree, "east_head", "east", "cs_head")
    placed = [("HQ-1", tree.hq, "100"), ("HQ-2", tree.hq, ""), ("A-1", tree.store_a, "250"),
              ("A-2", tree.store_a, ""), ("A-3", tree.store_a, ""), ("B-1", tree.store_b, "40")]
    for number, unit, cost in placed:
        complaint = make_complaint(org, number, day, unit=unit)
        if cost:
            ledger = tree.store_a if unit == tree.store_a else tree.hq
            BudgetEntry.objects.create(complaint=complaint, unit=ledger, kind="compensation", amount=Decimal(cost),
                                       currency="CNY", counts=True, month="2026-11", at=day)
    return tree
