"""Realistic complaints in bulk, for the bench: COPY on PostgreSQL, with a progress bar.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/complaintdesk_bench \\
        .venv/bin/python bench/generate.py --count 1000000 [--presets all|phone_maker,restaurant] [--migrate]

Installs the chosen presets' policies (the active one last: ``--active``, by default phone_maker) and
writes N complaints spread over them (the active organisation takes most), registered over the past
``--days`` days in order of their numbers. Each complaint has, as registration and handling write them:
a customer (a quarter are repeat customers: same phone and name, linked to the earlier complaint when
within the policy's repeat window), a product where the policy asks for one, its contact digests (the
blind index), a timeline (registered, accepted, started, progress, resolved, closed…), the clocks the
policy starts at registration (stopped, running, warned or breached as their times say), and, once
handled, a work order to a department, a resolution plan and a return visit. Text is bilingual (the
customer's language: mostly Chinese, some English), built from the policy's own labels and trigger
keywords. Categories, levels, departments and channels are skewed (a few take most complaints); 2–5 %
are open in all: ``--open-share`` (default 1 %) drawn open, and those registered too recently to have
closed yet (about 3.8 % more at 400 days).

Prints one JSON line: complaints, rows, seconds, rows/s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
T = TypeVar("T")

SURNAMES_ZH = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN_ZH = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
            "秀英", "桂英"]
NAMES_EN = [("James", "Smith"), ("Mary", "Jones"), ("Wei", "Chen"), ("Anna", "Müller"), ("Tom", "Brown"),
            ("Li", "Wang"), ("Sara", "Lopez"), ("John", "Taylor"), ("Emma", "Wilson"), ("Yuki", "Tanaka")]
STORY_ZH = ["客户来电反映{what}，已多次联系未果，情绪激动。", "顾客称{what}，要求尽快给出处理结果。",
            "用户投诉{what}，希望公司重视并道歉。", "客户表示{what}，已等待一周以上。"]
STORY_EN = ["The customer says {what}; several calls got no answer.",
            "Customer reports {what} and wants an answer soon.",
            "The caller complains that {what} and asks for an apology.", "{what}; the customer has waited over a week."]
REQUEST_ZH = ["退款", "换货", "维修并赔偿", "书面道歉", "三日内回复", "赔偿损失"]
REQUEST_EN = ["a refund", "a replacement", "repair and compensation", "a written apology", "an answer within 3 days"]
MODELS = ["R9s", "A57", "Find X5", "Reno 8", "K10", "A1 Pro", "X3 Neo", "F21"]
OPEN_STATUSES = [("registered", 15), ("accepted", 15), ("in_progress", 55), ("resolved", 15)]
CLOSED_STATUSES = [("closed", 93), ("rejected", 4), ("withdrawn", 3)]


def skewed(items: Sequence[T], rng: random.Random, exponent: float = 1.2) -> T:
    """A Zipf-like draw: the first items take most (items come in the order they are to be skewed)."""
    weights = [1 / (i + 1) ** exponent for i in range(len(items))]
    return rng.choices(items, weights)[0]


def weighted(pairs: Sequence[tuple[T, int]], rng: random.Random) -> T:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def approx(duration: Any) -> timedelta:
    """A policy duration as calendar time, working time stretched by 7/5 × 24/8 (close enough here)."""
    amount, unit = duration.amount, str(duration.unit)
    per = {"minutes": timedelta(minutes=1), "hours": timedelta(hours=1), "calendar_days": timedelta(days=1),
           "working_days": timedelta(days=1.4), "working_hours": timedelta(hours=4.2),
           "working_minutes": timedelta(minutes=4.2), "months": timedelta(days=30), "years": timedelta(days=365)}
    return amount * per.get(unit, timedelta(days=1))


class Org:
    """One installed preset and what the generator draws from it."""

    def __init__(self, version: Any, policy: Any, departments: dict[str, int], rng: random.Random) -> None:
        self.version, self.policy = version, policy
        self.tz = ZoneInfo(policy.timezone)
        self.categories = list(policy.categories)
        rng.shuffle(self.categories)  # which categories are frequent differs per organisation
        self.levels = sorted(policy.levels, key=lambda level: level.rank)
        self.channels = list(policy.channels)
        self.departments = [departments[d.code] for d in policy.departments if d.code in departments]
        self.triggers = {t.level: t for t in policy.triggers}
        self.clocks = [c for c in policy.clocks if str(c.starts) == "registered"]
        self.has_product = any((f.field or "").startswith("product.") for c in policy.categories for f in c.facts)
        self.scale = list(policy.return_visit.scale) if policy.return_visit else []
        self.tiers = list(policy.solution_tiers)
        self.reasons = list(policy.reasons.tree)
        self.depth = policy.reasons.intake_depth

    def reason_codes(self, rng: random.Random) -> list[str]:
        codes, nodes = [], self.reasons
        while nodes and len(codes) < self.depth:
            node = skewed(nodes, rng)
            codes.append(node.code)
            nodes = node.children
        return codes

    def level(self, rng: random.Random) -> Any:
        return rng.choices(self.levels, [0.8 * 0.2 ** i if i else 0.8 for i in range(len(self.levels))])[0]

    def applies(self, clock: Any, category: str, level: str, channel: str) -> bool:
        a = clock.applies
        return ((not a.levels or level in a.levels) and (not a.categories or category in a.categories)
                and (not a.channels or channel in a.channels) and a.urgent is not True and not a.flags)


def install(presets: list[str], active: str) -> list[Org]:
    from complaintdesk.accounts.models import Department
    from complaintdesk.core.policies import policy_install, policy_of
    from complaintdesk.policy.load import load_preset

    rng = random.Random(7)
    orgs = []
    for name in [p for p in presets if p != active] + [active]:
        version = policy_install(actor=None, loaded=load_preset(name), activate=name == active)
        departments = dict(Department.objects.values_list("code", "id"))
        orgs.append(Org(version, policy_of(version), departments, rng))
    return orgs[::-1]  # the active organisation first: it takes the most complaints


def staff(count: int = 24) -> list[int]:
    """Agents to own the complaints (one created through the service, the rest copy its password and roles)."""
    from complaintdesk.accounts.models import Department, User
    from complaintdesk.accounts.services import user_create
    from complaintdesk.policy.schema import Role

    if not User.objects.filter(username="gen-agent-01").exists():
        user_create(actor=None, username="gen-agent-01", password="bench-password-01", roles=[Role.AGENT])
    first = User.objects.get(username="gen-agent-01")
    departments = list(Department.objects.values_list("id", flat=True)) or [None]
    for i in range(2, count + 1):
        user, created = User.objects.get_or_create(username=f"gen-agent-{i:02d}", defaults={
            "password": first.password, "department_id": departments[i % len(departments)]})
        if created:
            user.groups.set(first.groups.all())
    agents = User.objects.filter(username__startswith="gen-agent-").order_by("username")
    return list(agents.values_list("id", flat=True))


def progress(done: int, total: int, started: float) -> None:
    if not sys.stderr.isatty() and done != total and done % (total // 10 or 1) >= 5000:
        return
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.perf_counter() - started, 1e-9)
    eta = (total - done) / rate if rate else 0
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} complaints  {rate:,.0f}/s  "
          f"eta {eta:,.0f} s ", end="" if done < total else "\n", file=sys.stderr, flush=True)


def defer_gin_indexes(tables: list[str]) -> list[str]:
    """PostgreSQL: drop the GIN (trigram) indexes of ``tables`` for the load and return their
    definitions. Building such an index once over the loaded rows is many times faster than
    updating it row by row; :func:`restore_indexes` builds them again (also after a failed load:
    run ``generate.py`` again, or recreate them from the migrations)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                       "AND indexdef ILIKE '%%USING gin%%'", [tables])
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    return [definition for _name, definition in found]


def restore_indexes(definitions: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for definition in definitions:
            cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))


def generate(count: int, *, presets: Sequence[str] = ("all",), active: str = "phone_maker", days: int = 400,
             open_share: float = 0.01, batch: int = 5000, seed: int = 1, show_progress: bool = True) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone
    from tables import Table, finish, flush_all

    from complaintdesk.clocks.models import Clock
    from complaintdesk.complaints import contact_index
    from complaintdesk.complaints.models import Complaint, ContactDigest, Customer, Product, TimelineEntry, WorkOrder
    from complaintdesk.core.models import Sequence as Counter
    from complaintdesk.followup.models import ReturnVisit
    from complaintdesk.policy import rules
    from complaintdesk.policy.load import preset_names
    from complaintdesk.resolutions.models import Plan

    names = preset_names() if list(presets) == ["all"] else list(presets)
    if active not in names:
        names.append(active)
    orgs = install(names, active)
    agents = staff()
    rng = random.Random(seed)
    now = timezone.now()
    start_at = now - timedelta(days=days)
    step = timedelta(days=days) / max(count, 1)

    customers = Table(Customer, ["id", "first_name", "last_name", "phone", "email", "language", "created_at"])
    products = Table(Product, ["id", "customer_id", "model", "imei", "purchase_date"])
    complaints = Table(Complaint, [
        "id", "number", "policy_version_id", "customer_id", "product_id", "channel", "category", "level",
        "suggested_level", "targets", "primary_target", "reason_codes", "reason", "description", "customer_request",
        "facts", "complete", "status", "owner_id", "registered_by_id", "received_at", "registered_at", "reply_due_at",
        "language", "accepted_at", "resolved_at", "closed_at", "outcome_reason", "search_text", "updated_at"])
    repeats = Table(Complaint.repeats.through, ["from_complaint_id", "to_complaint_id"])
    digests = Table(ContactDigest, ["complaint_id", "digest"])
    timeline = Table(TimelineEntry, ["complaint_id", "at", "kind", "actor_id", "data"])
    clocks = Table(Clock, ["complaint_id", "code", "status", "started_at", "due_at", "warn_at", "next_fire_at",
                           "warned_at", "breached_at", "stopped_at"])
    orders = Table(WorkOrder, ["complaint_id", "number", "department_id", "request", "status", "created_by_id",
                               "created_at", "due_at", "reply", "replied_by_id", "replied_at"])
    plans = Table(Plan, ["complaint_id", "sequence", "tier", "what", "who", "when", "where", "why", "how", "currency",
                         "total", "budget_total", "state", "author_id", "created_at", "decided_at"])
    visits = Table(ReturnVisit, ["complaint_id", "state", "opened_at", "due_at", "assigned_to_id", "result", "channel",
                                 "satisfaction", "score", "outcome", "completed_at", "completed_by_id"])
    ordered = [customers, products, complaints, repeats, digests, timeline, clocks, orders, plans, visits]
    deferred = defer_gin_indexes([t.name for t in ordered]) if count >= 20_000 else []
    sequences: dict[str, int] = {}
    last_by_phone: dict[str, tuple[int, datetime]] = {}
    people: list[tuple[str, str, str, str, str]] = []
    org_weights = [0.7] + [0.3 / max(len(orgs) - 1, 1)] * (len(orgs) - 1)
    clock_started = time.perf_counter()
    open_count = 0
    write_seconds = 0.0

    def add(i: int) -> None:
        nonlocal open_count
        org = rng.choices(orgs, org_weights)[0] if len(orgs) > 1 else orgs[0]
        policy = org.policy
        registered = start_at + step * i + timedelta(seconds=rng.uniform(0, 60))
        local_day = registered.astimezone(org.tz).date()
        key = rules.sequence_key(policy, local_day)
        sequences[key] = sequences.get(key, 0) + 1
        number = rules.format_number(policy, local_day, sequences[key])
        # the customer: a quarter come back (same person, same phone)
        if people and rng.random() < 0.25:
            first, last, phone, email, language = people[int(len(people) * rng.random() ** 0.3) - 1]
        else:
            language = "en" if rng.random() < 0.15 else "zh-hans"
            if language == "en":
                first, last = rng.choice(NAMES_EN)
            else:
                first, last = rng.choice(GIVEN_ZH), rng.choice(SURNAMES_ZH)
            phone = f"+861{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
            email = f"u{rng.randint(1, 10**9)}@example.com" if rng.random() < 0.3 else ""
            people.append((first, last, phone, email, language))
        zh = language == "zh-hans"
        customer_id = customers.next_id()
        customers.add((customer_id, first, last, phone, email, language, registered))
        product_id, imei, model = None, "", ""
        if org.has_product and rng.random() < 0.8:
            product_id = products.next_id()
            imei, model = f"86{rng.randint(0, 10**13 - 1):013d}", rng.choice(MODELS)
            products.add((product_id, customer_id, model, imei, local_day - timedelta(days=rng.randint(5, 700))))
        category = skewed(org.categories, rng)
        level = org.level(rng)
        channel = skewed(org.channels, rng)
        trigger = org.triggers.get(level.code)
        keywords = (trigger.keywords.zh if zh else trigger.keywords.en) if trigger else []
        what = (category.label.zh if zh else category.label.en.lower()) + (
            f"（{rng.choice(keywords)}）" if zh and keywords else f" ({rng.choice(keywords)})" if keywords else "")
        reason = what
        description = rng.choice(STORY_ZH if zh else STORY_EN).format(what=what)
        request = rng.choice(REQUEST_ZH if zh else REQUEST_EN)
        facts = {f.code: (f.options[0].code if f.options else description[:40])
                 for f in category.facts if str(f.type) in {"text", "textarea", "choice"} and not f.field}
        targets = [category.target] if category.target else [policy.targets[0].code]
        owner = skewed(agents, rng, 0.8)
        is_open = rng.random() < open_share
        status = weighted(OPEN_STATUSES if is_open else CLOSED_STATUSES, rng)
        accepted = registered + timedelta(minutes=rng.randint(5, 600)) if status != "registered" else None
        resolved = accepted + timedelta(hours=rng.randint(4, 24 * 20)) if accepted and status in {
            "resolved", "closed"} else None
        closed = (resolved or registered) + timedelta(days=rng.randint(1, 10)) if not is_open else None
        if closed and closed > now:
            # It would close in the future: it is still open today, as a real backlog is (squeezing its closing
            # into the time since its registration piled a week's closings onto today).
            is_open, closed = True, None
            status = weighted(OPEN_STATUSES, rng)
            if status == "registered":
                accepted = None
            elif accepted is None:
                accepted = registered + (now - registered) / 4
            if accepted and accepted > now:
                accepted = registered + (now - registered) / 4
            resolved = accepted + (now - accepted) / 2 if accepted and status == "resolved" else None
        if resolved and resolved > now:
            resolved = accepted + (now - accepted) / 2 if accepted else None
        open_count += is_open
        promise = next((c for c in org.clocks if c.promise), None)
        reply_due = registered + approx(promise.duration) if promise else None
        complaint_id = complaints.next_id()
        private = {f.code for f in category.facts if str(f.type) in {"imei", "phone"}}
        search = rules.normalise_text("\n".join(p for p in (number, first, last, model, reason, description,
                                                             request, *map(str, facts.values())) if p))
        complaints.add((
            complaint_id, number, org.version.pk, customer_id, product_id, channel.code, category.code, level.code,
            level.code, targets, targets[0], org.reason_codes(rng), reason, description, request, facts, True,
            status, owner, owner, registered, registered, reply_due, language, accepted, resolved,
            closed if status == "closed" else None, "", search, closed or resolved or accepted or registered))
        earlier = last_by_phone.get(phone)
        if earlier and registered - earlier[1] <= timedelta(days=policy.repeat.window_days):
            repeats.add((complaint_id, earlier[0]))
        last_by_phone[phone] = (complaint_id, registered)
        for value in contact_index.contact_digests({"phone": phone, "email": email}, {"imei": imei}, {}, private):
            digests.add((complaint_id, value))
        timeline.add((complaint_id, registered, "registered", owner, {"channel": channel.code, "level": level.code,
                                                                      "policy": str(org.version)}))
        if accepted:
            timeline.add((complaint_id, accepted, "status_accept", owner, {}))
            timeline.add((complaint_id, accepted + timedelta(minutes=30), "status_start", owner, {}))
            if rng.random() < 0.5:
                timeline.add((complaint_id, accepted + timedelta(days=1), "progress", owner,
                              {"day": (accepted + timedelta(days=1)).date().isoformat(), "done": description[:60]}))
        if resolved:
            timeline.add((complaint_id, resolved, "status_resolve", owner, {"note": request}))
        if status == "closed" and closed:
            timeline.add((complaint_id, closed, "status_close", owner, {}))
        elif status == "rejected" and closed:
            timeline.add((complaint_id, closed, "status_reject", owner, {"reason": policy.reject_reasons[0].code}))
        elif status == "withdrawn" and closed:
            timeline.add((complaint_id, closed, "status_withdraw", owner, {"withdrawn_by": last}))
        for spec in org.clocks:
            if not org.applies(spec, category.code, level.code, channel.code):
                continue
            due = registered + approx(spec.duration)
            warn = due - approx(spec.warn_before) if spec.warn_before else None
            stop = closed or resolved
            if stop is not None:
                clocks.add((complaint_id, spec.code, "stopped", registered, due, warn, None, None,
                            due if due < stop else None, stop))
            else:
                breached = due if due < now else None
                warned = warn if warn and warn < now else None
                fire = None if breached else (warn if warn and not warned else due)
                clocks.add((complaint_id, spec.code, "running", registered, due, warn, fire, warned, breached,
                            None))
        if org.departments and accepted and rng.random() < 0.35:
            department = skewed(org.departments, rng)
            sent = accepted + timedelta(hours=1)
            replied = sent + timedelta(hours=rng.randint(2, 72)) if not is_open or rng.random() < 0.5 else None
            if replied and replied > now:
                replied = None
            orders.add((complaint_id, f"{number}-W1", department, description, "replied" if replied else "open",
                        owner, sent, sent + timedelta(days=2), request if replied else "",
                        owner if replied else None, replied))
        if resolved and rng.random() < 0.7:
            tier = skewed(org.tiers, rng).code if org.tiers else ""
            amount = Decimal(rng.choice([0, 0, 50, 100, 200, 500, 1000, 3000]))
            plans.add((complaint_id, 1, tier, request, last, "3日内", channel.code, reason, description[:80],
                       policy.currency, amount, amount, "approved", owner, accepted, resolved))
        if org.scale and status == "closed" and closed and rng.random() < 0.9:
            point = skewed(org.scale, rng, 1.5)
            answered = closed + min(timedelta(days=1), now - closed) * rng.random()  # never in the future
            visits.add((complaint_id, "done", closed, closed + timedelta(days=2), owner, "answered", "phone",
                        point.code, point.score, str(point.outcome), answered, owner))
        elif org.scale and status == "resolved" and resolved:
            visits.add((complaint_id, "open", resolved, resolved + timedelta(days=2), None, "", "", "", None, "",
                        None, None))

    try:
        for offset in range(0, count, batch):
            size = min(batch, count - offset)
            for i in range(offset, offset + size):
                add(i)
            write_started = time.perf_counter()
            with transaction.atomic():
                flush_all(ordered)
            write_seconds += time.perf_counter() - write_started
            if show_progress:
                progress(offset + size, count, clock_started)
    finally:
        restore_indexes(deferred)
    with transaction.atomic():
        finish(ordered)
        for key, value in sequences.items():  # registrations after the load continue the numbering
            updated = Counter.objects.filter(key=key, value__lt=value).update(value=value)
            if not updated and not Counter.objects.filter(key=key).exists():
                Counter.objects.create(key=key, value=value)
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum / a DBA would keep them
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - clock_started
    rows = sum(t.written for t in ordered)
    return {"complaints": count, "presets": len(orgs), "open": open_count, "rows": rows,
            "tables": {t.name: t.written for t in ordered}, "seconds": round(seconds, 1),
            "writing_seconds": round(write_seconds, 1),
            "rows_per_second": round(rows / seconds) if seconds else 0,
            "complaints_per_second": round(count / seconds) if seconds else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--presets", default="all", help="all, or preset names separated by commas")
    parser.add_argument("--active", default="phone_maker")
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--open-share", type=float, default=0.01)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")
    if args.migrate:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
    result = generate(args.count, presets=args.presets.split(","), active=args.active, days=args.days,
                      open_share=args.open_share, batch=args.batch, seed=args.seed)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

