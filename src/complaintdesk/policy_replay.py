"""``complaintdesk policy replay FILE|PRESET --since YYYY-MM-DD [--xlsx OUT]``: the complaints
registered since a day re-evaluated under a candidate policy, nothing changed (docs/policy.md,
"Trying a new policy on past complaints").

This side reads the record (complaints, their running and stopped clocks, their plans) into the
pure values of ``policy/replay.py``, gives it the official calendar (``core.calendars``) and
prints the differences in Chinese or English; the reads run in a transaction that is rolled back,
so that not even a cache row is left behind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from complaintdesk.accounts.roles import roles_of
from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.common import trigger_text
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.load import PolicyError, load_policy, resolve
from complaintdesk.policy.replay import KINDS, Difference, Outcome, Recorded, RecordedClock, RecordedPlan, replay
from complaintdesk.policy.schema import Duration, Policy, Text
from complaintdesk.resolutions.models import Plan

_WORDS: dict[str, Text] = {
    "title": Text(zh="试运行候选政策", en="Replay of the candidate policy"),
    "since": Text(zh="登记日期自", en="complaints registered since"),
    "compared": Text(zh="比对投诉数", en="complaints compared"),
    "differing": Text(zh="结果不同的投诉数", en="complaints that would differ"),
    "nothing": Text(zh="候选政策下没有任何不同。", en="Nothing would differ under the candidate policy."),
    "unchanged": Text(zh="未修改任何数据。", en="Nothing was changed."),
    "summary": Text(zh="按差异类型统计（投诉数）", en="Complaints per kind of difference"),
    "recorded": Text(zh="记录", en="recorded"),
    "candidate": Text(zh="候选", en="candidate"),
    "number": Text(zh="投诉编号", en="Complaint"),
    "kind": Text(zh="差异", en="Difference"),
    "subject": Text(zh="对象", en="Subject"),
    "plan": Text(zh="方案", en="plan"),
    "written": Text(zh="已写入", en="written to"),
    "level": Text(zh="建议级别", en="suggested level"),
    "target": Text(zh="主要投诉对象", en="primary target"),
    "approvers": Text(zh="审批人", en="approvers"),
    "due": Text(zh="到期时间", en="due time"),
    "deadline": Text(zh="时限结果", en="deadline met or breached"),
    "met": Text(zh="按时完成", en="met"),
    "breached": Text(zh="超时", en="breached"),
    "running": Text(zh="计时中", en="running"),
}


def _word(key: str, language: str) -> str:
    return _WORDS[key].get(language)


def _due_at(policy: Policy, start: datetime, duration: Duration) -> datetime:
    return add_duration(policy, start, duration).due_at


def _records(since: date, tz: ZoneInfo) -> Iterator[Recorded]:
    start = datetime.combine(since, time.min, tzinfo=tz)
    complaints = (Complaint.objects.filter(registered_at__gte=start).select_related("policy_version", "customer")
                  .order_by("registered_at", "id"))
    for chunk_start in range(0, complaints.count(), 500):
        chunk = list(complaints[chunk_start:chunk_start + 500])
        ids = [c.pk for c in chunk]
        clocks: dict[int, list[RecordedClock]] = {}
        for clock in Clock.objects.filter(complaint_id__in=ids, subject="").order_by("id"):
            clocks.setdefault(clock.complaint_id, []).append(RecordedClock(
                code=clock.code, started_at=clock.started_at, due_at=clock.due_at, stopped_at=clock.stopped_at,
                breached=clock.breached_at is not None))
        plans: dict[int, list[Any]] = {}
        for plan in Plan.objects.filter(complaint_id__in=ids).select_related("author").order_by("sequence"):
            plans.setdefault(plan.complaint_id, []).append(plan)
        for complaint in chunk:
            policy = policy_of(complaint.policy_version)
            currency = policy.approval.currency if policy.approval else ""
            identity = complaint.customer.special_identity
            yield Recorded(
                number=complaint.number, policy=policy,
                text=trigger_text(complaint.reason, complaint.description, complaint.customer_request,
                                  complaint.facts),
                flags=tuple(complaint.flags), channel=complaint.channel, category=complaint.category,
                units=complaint.units, special_identities=(identity,) if identity else (),
                targets=tuple(complaint.targets), level=complaint.level, suggested_level=complaint.suggested_level,
                primary_target=complaint.primary_target or None, clocks=tuple(clocks.get(complaint.pk, [])),
                plans=tuple(RecordedPlan(sequence=plan.sequence,
                                         amount=plan.total if plan.currency == currency else Decimal("Infinity"),
                                         tier=plan.tier or None,
                                         author_roles=tuple(roles_of(plan.author, at=complaint)))
                            for plan in plans.get(complaint.pk, [])))


def evaluate(candidate: Policy, since: date, now: datetime | None = None) -> Outcome:
    """The differences, computed inside a transaction that is rolled back whatever happens."""
    now = now or timezone.now()
    with transaction.atomic():
        outcome = replay(_records(since, ZoneInfo(candidate.timezone)), candidate, due_at=_due_at, now=now)
        transaction.set_rollback(True)
    return outcome


def _value(difference: Difference, value: str, language: str, tz: ZoneInfo, candidate: Policy) -> str:
    if not value:
        return "—"
    if difference.kind == "due":
        return datetime.fromisoformat(value).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if difference.kind == "deadline":
        return _word(value, language)
    if difference.kind == "level":
        try:
            return f"{candidate.level(value).label.get(language)} ({value})"
        except KeyError:
            return value
    return value


def rows(outcome: Outcome, candidate: Policy, language: str) -> list[list[str]]:
    tz = ZoneInfo(candidate.timezone)
    out = []
    for d in outcome.differences:
        subject = f"{_word('plan', language)} {d.subject}" if d.kind == "approvers" else d.subject
        out.append([d.number, _word(d.kind, language), subject, _value(d, d.recorded, language, tz, candidate),
                    _value(d, d.candidate, language, tz, candidate)])
    return out


def write_xlsx(path: Path, outcome: Outcome, candidate: Policy, language: str) -> None:
    """One row per differing complaint, one column per kind of difference ("recorded → candidate")."""
    from openpyxl import Workbook

    by_number: dict[str, dict[str, list[str]]] = {}
    for d, (_number, _kind, subject, was, would) in zip(outcome.differences, rows(outcome, candidate, language),
                                                        strict=True):
        cell = f"{subject}: {was} → {would}" if subject else f"{was} → {would}"
        by_number.setdefault(d.number, {}).setdefault(d.kind, []).append(cell)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_word("title", language)[:31])
    sheet.append([_word("number", language), *(_word(kind, language) for kind in KINDS)])
    for number, kinds in by_number.items():
        sheet.append([number, *("; ".join(kinds.get(kind, [])) for kind in KINDS)])
    book.save(path)


def replay_command(target: str, since: str, out: TextIO, err: TextIO, *, language: str = "en",
                   xlsx: str = "") -> int:
    try:
        day = date.fromisoformat(since)
    except ValueError:
        print(f"--since: {since!r} is not a day (YYYY-MM-DD)", file=err)
        return 2
    try:
        candidate = load_policy(resolve(target)).policy
    except PolicyError as exc:
        for problem in exc.problems:
            print(problem, file=err)
        return 1
    outcome = evaluate(candidate, day)
    print(f"{_word('title', language)}: {candidate.name.get(language)} {candidate.version}", file=out)
    print(f"{_word('since', language)} {day.isoformat()}; {_word('compared', language)}: {outcome.compared}; "
          f"{_word('differing', language)}: {len(outcome.numbers())}", file=out)
    if not outcome.differences:
        print(_word("nothing", language), file=out)
    else:
        print(f"{_word('summary', language)}:", file=out)
        for kind, count in outcome.summary().items():
            print(f"  {_word(kind, language)}: {count}", file=out)
        for number, kind, subject, was, would in rows(outcome, candidate, language):
            where = f" [{subject}]" if subject else ""
            print(f"{number}  {kind}{where}: {_word('recorded', language)} {was} → "
                  f"{_word('candidate', language)} {would}", file=out)
    if xlsx:
        write_xlsx(Path(xlsx), outcome, candidate, language)
        print(f"{_word('written', language)} {xlsx}", file=out)
    print(_word("unchanged", language), file=out)
    return 0


__all__ = ["KINDS", "evaluate", "replay_command", "rows", "write_xlsx"]
