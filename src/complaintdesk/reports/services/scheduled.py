"""Scheduled reports (policy ``reports:``): the worker generates each report once per period when
it falls due, attaches the statistics as Excel and mails it to the users who hold the report's
``to`` roles and to the addresses outside the system the report lists (``emails:``). A period
missed while the worker was down is generated at the next pass (back to the day the policy was
first installed); a unique constraint keeps two workers or two passes from
generating it twice, and a delivery is claimed under a row lock before its mail goes out, so no
recipient gets it twice.

Head office's reports (the active policy's) count the whole tree and go to the holders of the
``to`` roles at head office; a unit with its own policy version runs its policy's reports on its
own complaints (the unit and below it) for the holders of the ``to`` roles in that unit."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import translation
from django.utils.translation import gettext as _

from complaintdesk.accounts.models import User
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.core.audit import audit
from complaintdesk.core.dbrouter import reports_reads
from complaintdesk.core.models import PolicyVersion
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.policy.rules.reports import ReportPeriod, report_period
from complaintdesk.policy.schema import Policy, Report
from complaintdesk.reports.excel import monthly_workbook
from complaintdesk.reports.models import ReportDelivery, ReportRun
from complaintdesk.reports.periods import Span
from complaintdesk.reports.scope import EVERYTHING, ReportScope
from complaintdesk.reports.selectors.accountability import accountability
from complaintdesk.reports.selectors.customer_files import customer_files
from complaintdesk.reports.selectors.monthly import monthly_statistics
from complaintdesk.units.models import Unit, root_unit
from complaintdesk.units.policies import unit_version

logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ATTEMPTS = 5
# the policy's report dimensions → the workbook's parts; ``count`` is the summary, always there. A
# store's, a dealer's or a region's figures are rows of the "By unit" sheet (every unit of the
# tree, indented under its parent); ``staff`` the judgements per staff member; ``customer_files``
# the customers' files of the period (seed 003)
DIMENSION_PARTS = {
    "category": "category", "level": "level", "target": "target", "channel": "channel",
    "department": "department", "reason": "reason", "root_cause": "root_cause", "validity": "validity",
    "responsibility": "responsibility", "satisfaction": "satisfaction", "cost": "cost", "budget": "cost",
    "store": "unit", "dealer": "unit", "region": "unit", "staff": "staff", "customer_files": "customer_files",
}
SUMMARY_DIMENSION = "count"


def due_periods(report: Report, since: date, today: date) -> list[ReportPeriod]:
    """The periods of ``report`` due from ``since`` up to ``today`` (inclusive), oldest first."""
    out: list[ReportPeriod] = []
    day = since - timedelta(days=370)
    while True:
        period = report_period(report, day)
        if period.due > today:
            return out
        if period.due >= since:
            out.append(period)
        day = period.end + timedelta(days=1)


def _recipients(report: Report, unit: Unit) -> list[User]:
    """Head office's report: the holders of its roles at head office; a unit's report: the holders
    of its roles at the unit or a unit below it (its own people, not head office's)."""
    roles = [str(role) for role in report.to]
    if unit.parent_id is None:
        users = role_holders(*roles, at=unit)
    else:
        users = User.objects.filter(is_active=True, memberships__role__in=roles,
                                    memberships__unit__path__startswith=unit.path)
    return list(User.objects.filter(pk__in=users.values("pk")).exclude(email="").order_by("id"))


def _parts(report: Report) -> set[str] | None:
    parts = {DIMENSION_PARTS[d] for d in report.dimensions if d in DIMENSION_PARTS}
    return parts or None


def report_run_generate(*, policy: Policy, report: Report, period: ReportPeriod, now: datetime,
                        unit: Unit | None = None) -> ReportRun | None:
    """Generate ``report`` for ``period`` (of ``unit``, default head office) and queue its mails;
    None when it already exists. The statistics are counted first, outside the transaction that
    stores the run, so that they read from the reports' database when one is configured
    (core/dbrouter.py: inside a transaction of the main database, reads stay there)."""
    unit = unit or root_unit()
    if ReportRun.objects.filter(policy_id=policy.id, code=report.code, period_start=period.start, unit=unit).exists():
        return None
    tz = ZoneInfo(policy.timezone)
    span = Span(period.start, period.end, tz)
    scope = EVERYTHING if unit.parent_id is None else ReportScope(unit=unit)
    with translation.override(policy.language), reports_reads():
        stats = monthly_statistics(policy, span, language=policy.language, now=now, scope=scope)
        stats["month"] = span.code if span.month_code is None else span.month_code
        parts = _parts(report)
        if parts is not None and "staff" in parts:
            stats["staff"] = accountability(span, policy.language, scope)["staff"]
        if parts is not None and "customer_files" in parts:
            stats["customer_files"] = customer_files(policy, span, policy.language, scope)
        workbook = monthly_workbook(stats, organisation=policy.organisation.get(policy.language), parts=parts)
    return _store_run(policy=policy, report=report, period=period, now=now, unit=unit, workbook=workbook,
                      summary=dict(stats["totals"]))


@transaction.atomic
def _store_run(*, policy: Policy, report: Report, period: ReportPeriod, now: datetime, unit: Unit, workbook: bytes,
               summary: dict[str, Any]) -> ReportRun | None:
    """The run, its deliveries (queued) and its audit event, in one transaction; None when another
    worker or pass stored the same run first."""
    from complaintdesk.reports.tasks import deliver_report  # cycle: reports.tasks imports this module

    try:
        with transaction.atomic():  # a savepoint: another worker may have generated it just now
            run = ReportRun.objects.create(code=report.code, policy_id=policy.id, unit=unit, period_start=period.start,
                                           period_end=period.end, due=period.due, generated_at=now,
                                           workbook=workbook, summary=summary)
    except IntegrityError:
        return None
    deliveries = [ReportDelivery.objects.create(run=run, user=user, email=user.email, language=user.language)
                  for user in _recipients(report, unit)]
    # addresses outside the system (``emails:``), in the organisation's language; an address that
    # is also a recipient user's gets the report once
    taken = {delivery.email.lower() for delivery in deliveries}
    for address in report.emails:
        if address.lower() not in taken:
            taken.add(address.lower())
            deliveries.append(ReportDelivery.objects.create(run=run, user=None, email=address,
                                                            language=policy.language))
    for delivery in deliveries:
        deliver_report.enqueue(delivery.pk)
    audit(actor=None, action="report.generated", obj=run,
          after={"code": report.code, "unit": unit.code, "from": period.start.isoformat(),
                 "until": period.end.isoformat(), "recipients": [d.email for d in deliveries]})
    return run


def scheduled_reports_run(*, now: datetime) -> int:
    """Generate every report of the policy in force that is due and not yet generated (missed
    periods included); queue failed mails again. Returns how many reports were generated."""
    from complaintdesk.reports.tasks import deliver_report  # cycle: reports.tasks imports this module

    _version, policy = active_policy()
    generated = 0
    readers = [(root_unit(), policy)]
    readers += [(unit, policy_of(unit.policy_version)) for unit in Unit.objects.filter(
        parent__isnull=False, active=True, policy_version__isnull=False).select_related("policy_version")
        .order_by("path") if unit.policy_version is not None]
    for unit, unit_policy in readers:
        generated += _generate_due(unit_policy, unit, now)
    retry = list(ReportDelivery.objects.filter(state=ReportDelivery.State.FAILED, attempts__lt=MAX_ATTEMPTS)
                 .values_list("pk", flat=True)[:100])
    for pk in retry:
        deliver_report.enqueue(pk)
    return generated


def _generate_due(policy: Policy, unit: Unit, now: datetime) -> int:
    """Generate the due, not yet generated reports of ``policy`` for ``unit``."""
    tz = ZoneInfo(policy.timezone)
    first = PolicyVersion.objects.filter(policy_id=policy.id).aggregate(first=Min("installed_at"))["first"]
    since = (first or now).astimezone(tz).date()
    today = now.astimezone(tz).date()
    generated = 0
    for report in policy.reports:
        periods = due_periods(report, since, today)
        if not periods:
            continue
        for reader in _readers(report, unit):
            done = set(ReportRun.objects.filter(policy_id=policy.id, code=report.code, unit=reader,
                                                period_start__in=[p.start for p in periods])
                       .values_list("period_start", flat=True))
            for period in periods:
                if period.start in done:
                    continue
                if report_run_generate(policy=policy, report=report, period=period, now=now,
                                       unit=reader) is not None:
                    generated += 1
    return generated


def _readers(report: Report, unit: Unit) -> list[Unit]:
    """The units ``report`` is generated for under ``unit``: the unit itself, or with ``for_each``
    every active unit of that kind in its part of the tree that follows this policy (a unit with a
    policy of its own generates its own reports) — the unit itself where its part of the tree has no
    unit of that kind (a single store keeps its daily summary before any store is set up)."""
    if report.for_each is None:
        return [unit]
    version = unit_version(unit)
    tree = Unit.objects.filter(path__startswith=unit.path)
    each_kind = list(tree.filter(kind=report.for_each, active=True).order_by("path"))
    if not each_kind:
        return [unit]
    # the units below with a policy of their own, deepest first: a unit follows the nearest of them
    # above it (or itself), else ``unit``'s version (two queries, whatever the number of units)
    own = sorted(tree.exclude(pk=unit.pk).filter(policy_version__isnull=False).values_list("path", "policy_version_id"),
                 key=lambda item: -len(item[0]))

    def follows(each: Unit) -> bool:
        nearest = next((pk for path, pk in own if each.path.startswith(path)), version.pk)
        return bool(nearest == version.pk)

    return [each for each in each_kind if follows(each)]


def _mail(delivery: ReportDelivery, policy: Policy) -> EmailMessage:
    run = delivery.run
    if run.unit.parent_id is not None and run.unit.policy_version is not None:
        policy = policy_of(run.unit.policy_version)
    report = next((r for r in policy.reports if r.code == run.code), None)
    with translation.override(delivery.language):
        language = delivery.language
        title = report.label.get(language) if report else run.code
        organisation = policy.organisation.get(language)
        if run.unit.parent_id is not None:
            unit_name = run.unit.name_zh if language.startswith("zh") else run.unit.name_en
            organisation = f"{organisation} · {unit_name}"
        period = (run.period_start.isoformat() if run.period_start == run.period_end
                  else f"{run.period_start.isoformat()} – {run.period_end.isoformat()}")
        totals = run.summary
        lines = [
            _("%(report)s for %(period)s is attached.") % {"report": title, "period": period},
            "",
            _("Registered in the period: %(n)d") % {"n": totals.get("opened", 0)},
            _("Closed in the period: %(n)d") % {"n": totals.get("closed", 0)},
            _("Still open at the end of the period: %(n)d") % {"n": totals.get("open_at_end", 0)},
            "",
            f"— {organisation} · complaintdesk",
        ]
        subject = f"{organisation} · {title} · {period}"
    message = EmailMessage(subject=subject, body="\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[delivery.email])
    message.attach(f"{run.code}-{run.period_start.isoformat()}-{run.period_end.isoformat()}.xlsx",
                   bytes(run.workbook), XLSX)
    return message


def report_delivery_send(*, delivery_id: int) -> str:
    """Mail one delivery. It is claimed (``sending``) under a row lock first: a delivery already
    sent or being sent is never sent again. The mail goes out outside any transaction."""
    with transaction.atomic():
        delivery = (ReportDelivery.objects.select_for_update().select_related("run", "run__unit")
                    .filter(pk=delivery_id).first())
        if delivery is None:
            return "missing"
        if delivery.state in {ReportDelivery.State.SENT, ReportDelivery.State.SENDING}:
            return str(delivery.state)
        delivery.state = ReportDelivery.State.SENDING
        delivery.attempts += 1
        delivery.save(update_fields=["state", "attempts"])
    _version, policy = active_policy()
    try:
        _mail(delivery, policy).send(fail_silently=False)
    except Exception as exc:  # recorded; the next pass of the worker tries again
        logger.warning("report delivery %s failed: %s", delivery.pk, exc)
        with transaction.atomic():
            ReportDelivery.objects.filter(pk=delivery.pk).update(state=ReportDelivery.State.FAILED,
                                                                 error=str(exc)[:2000])
        return str(ReportDelivery.State.FAILED)
    from django.utils import timezone

    with transaction.atomic():
        ReportDelivery.objects.filter(pk=delivery.pk).update(state=ReportDelivery.State.SENT,
                                                             sent_at=timezone.now(), error="")
        audit(actor=None, action="report.sent", obj=delivery.run,
              after={"code": delivery.run.code, "to": delivery.email})
    return str(ReportDelivery.State.SENT)


def run_scheduled() -> int:
    """The worker's periodic job."""
    from django.utils import timezone

    return scheduled_reports_run(now=timezone.now())

