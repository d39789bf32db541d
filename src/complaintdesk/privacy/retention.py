"""The policy's retention rules, executed by the worker: a dry-run report first, the erasure after
the grace period (``COMPLAINTDESK_RETENTION_GRACE_DAYS``, default 7) for the complaints that are
still due and not under a legal hold.

A complaint is due when it ended (closed, rejected or withdrawn) longer ago than the longest
``keep`` of its policy's rules that apply to complaints (``applies_to: complaint``); ``long_term``
never expires. The policy is the one the complaint was registered under.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.audit import audit
from complaintdesk.core.calendars import add_duration
from complaintdesk.core.models import PolicyVersion
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.schema import Policy, RetentionRule
from complaintdesk.policy.schema.base import Unit as PeriodUnit
from complaintdesk.privacy.erasure import active_hold, complaint_erase
from complaintdesk.privacy.models import Erasure, RetentionRun

ENDED = (Complaint.Status.CLOSED, Complaint.Status.REJECTED, Complaint.Status.WITHDRAWN)
# a lower bound of each period in days, to narrow the candidates before the exact calendar count
_DAYS_AT_LEAST = {PeriodUnit.CALENDAR_DAYS: 1, PeriodUnit.WORKING_DAYS: 1, PeriodUnit.MONTHS: 28,
                  PeriodUnit.YEARS: 365}


def grace_days() -> int:
    return int(getattr(settings, "COMPLAINTDESK_RETENTION_GRACE_DAYS", 7))


def complaint_rule(policy: Policy) -> RetentionRule | None:
    """The rule that decides when a complaint's personal data goes: the longest of the rules that
    apply to complaints; None when one of them keeps it long term or none applies."""
    rules = [rule for rule in policy.retention if rule.applies_to == "complaint"]
    if not rules or any(rule.keep == "long_term" for rule in rules):
        return None
    return max(rules, key=lambda rule: _days(rule))


def _days(rule: RetentionRule) -> int:
    keep = rule.keep
    if isinstance(keep, str):
        return 10**9
    return keep.amount * _DAYS_AT_LEAST.get(keep.unit, 0)


def _ended_at(complaint: Complaint) -> datetime:
    return complaint.closed_at or complaint.resolved_at or complaint.updated_at


def retention_due(now: datetime | None = None) -> list[dict[str, Any]]:
    """The complaints whose personal data is due to be erased, with the rule and the date."""
    now = now or timezone.now()
    out: list[dict[str, Any]] = []
    versions = PolicyVersion.objects.filter(pk__in=Complaint.objects.values("policy_version")).order_by("pk")
    for version in versions:
        policy = policy_of(version)
        rule = complaint_rule(policy)
        if rule is None or isinstance(rule.keep, str):
            continue
        bound = now - timedelta(days=_days(rule) - 2)
        candidates = (Complaint.objects.filter(policy_version=version, status__in=ENDED, erasure__isnull=True)
                      .filter(Q(closed_at__lte=bound) | Q(closed_at__isnull=True, updated_at__lte=bound))
                      .exclude(legal_holds__released_at__isnull=True, legal_holds__isnull=False)
                      .order_by("id"))
        for complaint in candidates.iterator():
            due = add_duration(policy, _ended_at(complaint), rule.keep).due_at
            if due <= now:
                out.append({"complaint": complaint.pk, "number": complaint.number, "rule": rule.record,
                            "keep": _keep_text(rule), "due": due.isoformat()})
    return out


def _keep_text(rule: RetentionRule) -> str:
    keep = rule.keep
    return keep if isinstance(keep, str) else f"{keep.amount} {keep.unit.value}"


@transaction.atomic
def retention_report(*, now: datetime | None = None) -> RetentionRun:
    """Write the dry-run report: what would be erased now. Earlier reports not yet executed are
    superseded (the newest report is the one executed after the grace period)."""
    now = now or timezone.now()
    items = retention_due(now)
    RetentionRun.objects.filter(state=RetentionRun.State.PROPOSED).update(state=RetentionRun.State.SUPERSEDED)
    run = RetentionRun.objects.create(created_at=now, items=items, due=len(items))
    audit(actor=None, action="privacy.retention_report", obj=run, after={"complaints": len(items)})
    return run


def retention_execute(*, run: RetentionRun, now: datetime | None = None) -> int:
    """Erase the complaints of a proposed report that are still due, not held and not erased; the
    report must be older than the grace period. Returns how many were erased."""
    now = now or timezone.now()
    if run.state != RetentionRun.State.PROPOSED:
        return 0
    still_due = {item["complaint"] for item in retention_due(now)}
    erased = 0
    for item in run.items:
        complaint = Complaint.objects.filter(pk=item["complaint"]).first()
        if (complaint is None or complaint.pk not in still_due or active_hold(complaint) is not None
                or Erasure.objects.filter(complaint=complaint).exists()):
            continue
        complaint_erase(actor=None, complaint=complaint, cause=Erasure.Cause.RETENTION,
                        reason=f"{item['rule']} ({item['keep']})", now=now)
        erased += 1
    with transaction.atomic():
        RetentionRun.objects.filter(pk=run.pk).update(state=RetentionRun.State.EXECUTED, executed_at=now,
                                                      erased=erased)
        audit(actor=None, action="privacy.retention_execute", obj=run, after={"erased": erased})
    return erased


def retention_job(now: datetime | None = None) -> int:
    """The worker's daily step. A report with complaints waits out the grace period and is then
    executed (and the next report written at once); otherwise a new report is written once a day.
    Cheap when there is nothing to do (two indexed reads)."""
    now = now or timezone.now()
    pending = (RetentionRun.objects.filter(state=RetentionRun.State.PROPOSED).filter(due__gt=0)
               .order_by("-created_at").first())
    if pending is not None:
        if pending.created_at > now - timedelta(days=grace_days()):
            return 0
        erased = retention_execute(run=pending, now=now)
        retention_report(now=now)
        return erased + 1
    latest = RetentionRun.objects.order_by("-created_at").first()
    if latest is None or latest.created_at <= now - timedelta(days=1):
        retention_report(now=now)
        return 1
    return 0
