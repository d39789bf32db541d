"""The clock engine: complaint events start and stop the policy's clocks; waiting pauses them;
extensions move them; the sweep (clocks.sweep) fires their warnings and breaches.

Every function here runs inside the caller's transaction, so a clock is created, stopped or moved
together with the change that caused it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.roles import has_role
from complaintdesk.clocks.alerts import alert_provisional
from complaintdesk.clocks.models import Clock
from complaintdesk.core.calendars import add_duration, paused_shift, schedule_for
from complaintdesk.core.errors import Conflict, FieldProblem, PermissionDenied, ValidationFailed
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record, record_entry
from complaintdesk.notify.services import message_queue
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Clock as ClockDef
from complaintdesk.policy.schema import ClockEvent, Duration, Policy, Unit
from complaintdesk.worktime import CalendarFileError, ChinaCalendar
from complaintdesk.worktime import Unit as WorkUnit

ACTIVE = (Clock.Status.RUNNING, Clock.Status.PAUSED)
TERMINAL_EVENTS = {ClockEvent.CLOSED, ClockEvent.REJECTED, ClockEvent.WITHDRAWN}
HANDLING_ENDS = {*TERMINAL_EVENTS, ClockEvent.RESOLVED}


# Apps that know more about a complaint than the complaint row (its plans' solution tiers, whether
# legal was consulted) contribute to the facts clocks are matched against: f(complaint) -> dict with
# "tiers" (iterable of tier codes) and/or "legal" (bool). This is the one way facts from other apps
# reach the clocks; a service whose change is not stored yet passes it to clock_event (tiers=, legal=).
FACT_PROVIDERS: list[Callable[[Any], dict[str, Any]]] = []
# Per-object clocks whose obligation outlives the complaint (a voucher to countersign, a legal form
# to file): closing, rejecting or withdrawing the complaint does not cancel clocks whose subject
# starts with one of these prefixes (e.g. "petty_cash:").
SURVIVING_SUBJECTS: set[str] = set()


def complaint_facts(complaint: Any, policy: Policy, *, urgent: bool = False, tiers: Iterable[str] = (),
                    legal: bool = False) -> rules.ComplaintFacts:
    """The facts the clocks' conditions are matched against. A complaint not saved yet (being
    registered) asks no provider: no plan or legal consultation can refer to it."""
    try:
        kind = policy.channel(complaint.channel).kind
    except KeyError:
        kind = None
    all_tiers = set(tiers)
    for provider in FACT_PROVIDERS if complaint.pk is not None else ():
        known = provider(complaint)
        all_tiers.update(known.get("tiers", ()))
        legal = legal or bool(known.get("legal", False))
    return rules.ComplaintFacts(level=complaint.level, category=complaint.category, channel=complaint.channel,
                                channel_kind=kind, flags=frozenset(complaint.flags),
                                urgent=urgent or bool(getattr(complaint, "urgent", False)),
                                tiers=frozenset(all_tiers), legal=legal)


def _survives(subject: str) -> bool:
    return bool(subject) and subject.split(":", 1)[0] in SURVIVING_SUBJECTS


def _due(policy: Policy, complaint: Any, definition: ClockDef, start: datetime, duration: Duration
         ) -> tuple[datetime, bool]:
    deadline = add_duration(policy, start, duration)
    due = deadline.due_at
    if definition.customer_deadline and complaint.requested_deadline and complaint.requested_deadline < due:
        due = max(complaint.requested_deadline, start)
    return due, deadline.provisional


def warning_time(policy: Policy, definition: ClockDef, start: datetime, due: datetime) -> datetime | None:
    if definition.warn_before is None:
        return None
    before = definition.warn_before
    if before.is_working:
        # the moment when exactly `before` working time remains
        schedule = schedule_for(policy)
        total = schedule.elapsed(start, due, WorkUnit.WORKING_MINUTES)
        minutes = int(total.total_seconds() // 60) - _minutes(before, policy)
        if minutes <= 0:
            return start
        return schedule.add(start, minutes, WorkUnit.WORKING_MINUTES).due_at
    warn = due - timedelta(minutes=_minutes(before, policy))
    return max(warn, start)


def _day_minutes(policy: Policy) -> int:
    """The working minutes of one working day under the policy's working hours."""
    total = 0
    for period in policy.calendar.working_hours:
        start_h, start_m = (int(part) for part in period.start.split(":"))
        end_h, end_m = (int(part) for part in period.end.split(":"))
        total += (end_h * 60 + end_m) - (start_h * 60 + start_m)
    return total or 480


def _minutes(duration: Duration, policy: Policy) -> int:
    """A duration in minutes; a working day counts the policy's working hours of one day."""
    factor = {Unit.MINUTES: 1, Unit.WORKING_MINUTES: 1, Unit.HOURS: 60, Unit.WORKING_HOURS: 60,
              Unit.CALENDAR_DAYS: 1440, Unit.WORKING_DAYS: _day_minutes(policy), Unit.MONTHS: 43200,
              Unit.YEARS: 525600}[duration.unit]
    return duration.amount * factor


def next_fire_time(clock: Clock) -> datetime | None:
    if clock.status != Clock.Status.RUNNING:
        return None
    if clock.warn_at is not None and clock.warned_at is None and clock.warn_at < clock.due_at:
        return clock.warn_at
    if clock.breached_at is None:
        return clock.due_at
    return None


def clock_start(*, complaint: Any, policy: Policy, definition: ClockDef, at: datetime, subject: str = "",
                duration: Duration | None = None, cycle: int | None = None,
                new: list[Clock] | None = None) -> Clock | None:
    """Start ``definition`` for the complaint unless the same clock (and subject) already runs.

    ``new``: the complaint is being registered and ``new`` holds every clock it has (none saved
    yet): the running clock and the cycle are found there instead of in the database, and the
    clock started is appended to it unsaved (``clocks_save_new`` inserts them all at once)."""
    if new is None:
        if Clock.objects.filter(complaint=complaint, code=definition.code, subject=subject,
                                status__in=ACTIVE).exists():
            return None
        if cycle is None:
            last = (Clock.objects.filter(complaint=complaint, code=definition.code, subject=subject)
                    .order_by("-cycle").values_list("cycle", flat=True).first())
            cycle = (last or 0) + 1
    else:
        same = [c for c in new if c.code == definition.code and c.subject == subject]
        if any(c.status in ACTIVE for c in same):
            return None
        if cycle is None:
            cycle = max((c.cycle for c in same), default=0) + 1
    due, provisional = _due(policy, complaint, definition, at, duration or definition.duration)
    due = due.astimezone(UTC)  # as the database gives it back (the answer of a registration shows these)
    warn = warning_time(policy, definition, at, due)
    clock = Clock(complaint=complaint, code=definition.code, subject=subject, cycle=cycle, started_at=at, due_at=due,
                  provisional=provisional, warn_at=warn.astimezone(UTC) if warn else None)
    clock.next_fire_at = next_fire_time(clock)
    if new is None:
        clock.save()
    else:
        new.append(clock)
    if provisional:
        years = {day.year for day in (at.date(), due.date()) if day.year not in _known_years()}
        alert_provisional(policy, years)
    if definition.promise and not subject:
        if complaint.pk is not None:
            type(complaint).objects.filter(pk=complaint.pk).update(reply_due_at=due,
                                                                   reply_due_provisional=provisional)
        complaint.reply_due_at = due  # a complaint not saved yet is inserted with it
        complaint.reply_due_provisional = provisional
    return clock


def clocks_save_new(clocks: list[Clock]) -> list[Clock]:
    """Insert the clocks a registration started (``clock_event(..., new=clocks)``), once the
    complaint is saved: one statement (each clock takes the complaint's new primary key)."""
    return Clock.objects.bulk_create(clocks)


def clock_due_at(*, clock: Clock, policy: Policy, due: datetime) -> Clock:
    """Make a started clock due at a moment given from outside (a regulator's own deadline written on
    a transfer) instead of its computed due time; its warning follows the new due time."""
    definition = policy.clock(clock.code)
    clock.due_at = due
    clock.provisional = False
    clock.warn_at = warning_time(policy, definition, clock.started_at, due)
    clock.next_fire_at = next_fire_time(clock)
    clock.save(update_fields=["due_at", "provisional", "warn_at", "next_fire_at"])
    return clock


def _known_years() -> set[int]:

    try:
        return ChinaCalendar(settings.COMPLAINTDESK_CALENDAR_DIR).known_years()
    except CalendarFileError:  # a broken file is ignored (core.calendars logs it)
        return ChinaCalendar(None).known_years()


def clock_stop(clock: Clock, at: datetime, status: str = Clock.Status.STOPPED) -> None:
    if clock.status == Clock.Status.PAUSED and clock.paused_since is not None:
        clock.pauses = [*clock.pauses, [clock.paused_since.isoformat(), at.isoformat()]]
        clock.paused_since = None
    clock.status = status
    clock.stopped_at = at
    clock.next_fire_at = None
    if clock.pk is not None:  # a clock of a registration not saved yet is inserted as it ends up
        clock.save(update_fields=["status", "stopped_at", "next_fire_at", "pauses", "paused_since"])


def clock_event(*, complaint: Any, event: ClockEvent, at: datetime | None = None, subject: str = "",
                duration: Duration | None = None, urgent: bool = False, tiers: Iterable[str] = (),
                legal: bool = False, new: list[Clock] | None = None) -> list[Clock]:
    """Apply an event of the complaint's life to its clocks: stop those it stops, restart those it
    restarts, start those it starts (in that order). Returns the clocks started. ``tiers`` (the
    solution tiers of the plan) and ``legal`` feed the clocks' ``applies`` conditions.

    ``new``: the complaint is being registered and not saved yet; ``new`` holds its clocks (empty
    at first), nothing is read or written here (no clocks, no cycles, no lock: nothing else can see
    the complaint), the clocks started are appended to it and the promised reply time is set on the
    complaint object, to be inserted with it; then ``clocks_save_new(new)``."""
    policy = policy_of(complaint.policy_version)
    at = at or timezone.now()
    definitions = {definition.code: definition for definition in policy.clocks}
    if new is None:
        active = list(Clock.objects.select_for_update().filter(complaint=complaint, status__in=ACTIVE))
    else:
        active = [clock for clock in new if clock.status in ACTIVE]
    restart: list[Clock] = []
    for clock in active:
        definition = definitions.get(clock.code)
        if definition is None:
            continue
        subject_matches = not subject or not clock.subject or clock.subject == subject
        if event in definition.stops and subject_matches and event not in TERMINAL_EVENTS:
            _refuse_before_window(policy, definition, clock, at)
        if event in definition.stops and subject_matches:
            clock_stop(clock, at)
            # a repeating clock (the daily update) starts its next cycle when its work is done, not
            # when the handling ends (resolved) or the complaint does
            if definition.repeats and complaint.is_open and event not in HANDLING_ENDS:
                restart.append(clock)
        elif event in definition.restarts_on and subject_matches:
            clock_stop(clock, at, Clock.Status.CANCELLED)
            restart.append(clock)
        elif event in TERMINAL_EVENTS and definition.starts != event and not _survives(clock.subject):
            clock_stop(clock, at, Clock.Status.CANCELLED)
    started = []
    for clock in restart:
        fresh = clock_start(complaint=complaint, policy=policy, definition=definitions[clock.code], at=at,
                            subject=clock.subject, new=new)
        if fresh:
            started.append(fresh)
    facts = complaint_facts(complaint, policy, urgent=urgent, tiers=tiers, legal=legal)
    if event == ClockEvent.REOPENED:
        # a reopened complaint is handled again: its repeating clocks (the daily update) run again
        for definition in policy.clocks:
            if definition.repeats and rules.clock_applies(definition, facts):
                fresh = clock_start(complaint=complaint, policy=policy, definition=definition, at=at, new=new)
                if fresh:
                    started.append(fresh)
    for definition in rules.clocks_started_by(policy, event, facts):
        fresh = clock_start(complaint=complaint, policy=policy, definition=definition, at=at, subject=subject,
                            duration=duration, new=new)
        if fresh:
            started.append(fresh)
    return started


def window_opens_at(policy: Policy, definition: ClockDef, started_at: datetime) -> datetime | None:
    """The earliest moment the act that meets the clock may be done (``not_before``), or None."""
    if definition.not_before is None:
        return None
    return add_duration(policy, started_at, definition.not_before).due_at


def _refuse_before_window(policy: Policy, definition: ClockDef, clock: Clock, at: datetime) -> None:
    opens = window_opens_at(policy, definition, clock.started_at)
    if opens is not None and at < opens:
        tz = ZoneInfo(policy.timezone)
        raise ValidationFailed([FieldProblem("clock", _(
            "Too early for “%(clock)s”: the policy allows it from %(opens)s (%(window)s after the start).") % {
                "clock": definition.label.get(_language()), "opens": rules.format_moment(opens.astimezone(tz),
                                                                                          _language()),
                "window": str(definition.not_before)})])


def _language() -> str:
    from django.utils.translation import get_language

    return get_language() or "en"


def clocks_level_changed(*, complaint: Any, previous: str, at: datetime) -> list[Clock]:
    """The level changed (escalation by hand or by a breach): clocks that apply only to levels the
    complaint left are cancelled; the complaint's own clocks (started at registration) that apply
    to the new level and did not apply to the old one start now."""
    policy = policy_of(complaint.policy_version)
    definitions = {definition.code: definition for definition in policy.clocks}
    for clock in Clock.objects.select_for_update().filter(complaint=complaint, status__in=ACTIVE):
        definition = definitions.get(clock.code)
        if definition is not None and definition.applies.levels and complaint.level not in definition.applies.levels:
            clock_stop(clock, at, Clock.Status.CANCELLED)
    # only a registration clock limited to levels that take in the new one and not the old one can
    # start: the other apps' facts (plans, legal) are asked only when there is one
    candidates = [definition for definition in policy.clocks if definition.starts == ClockEvent.REGISTERED
                  and definition.applies.levels and previous not in definition.applies.levels
                  and complaint.level in definition.applies.levels]
    if not candidates:
        return []
    facts = complaint_facts(complaint, policy)
    started = []
    for definition in candidates:
        if rules.clock_applies(definition, facts):
            new = clock_start(complaint=complaint, policy=policy, definition=definition, at=at)
            if new:
                started.append(new)
    return started


def clocks_pause(*, complaint: Any, condition: str, at: datetime) -> int:
    """Pause the running clocks that the policy says ``condition`` pauses."""
    policy = policy_of(complaint.policy_version)
    pausing = {d.code for d in policy.clocks if condition in d.pauses_on}
    count = 0
    for clock in Clock.objects.select_for_update().filter(complaint=complaint, status=Clock.Status.RUNNING,
                                                          code__in=pausing):
        clock.status = Clock.Status.PAUSED
        clock.paused_since = at
        clock.pause_reason = condition
        clock.next_fire_at = None
        clock.save(update_fields=["status", "paused_since", "pause_reason", "next_fire_at"])
        count += 1
    return count


def _shift(policy: Policy, definition: ClockDef, moment: datetime, start: datetime, end: datetime) -> datetime:
    """Move ``moment`` later by the time of the clock's own kind that passed between start and end."""
    return paused_shift(schedule_for(policy), definition.duration, moment, start, end)


def _provisional(policy: Policy, start: datetime, due: datetime) -> bool:
    """Whether a clock running from ``start`` to ``due`` counts days of a year without official data."""
    tz = ZoneInfo(policy.timezone)
    return bool(schedule_for(policy).provisional_years(start.astimezone(tz).date(), due.astimezone(tz).date()))


def clocks_resume(*, complaint: Any, at: datetime) -> int:
    """Resume paused clocks; their due (and warning) times move by the paused time."""
    policy = policy_of(complaint.policy_version)
    definitions = {d.code: d for d in policy.clocks}
    count = 0
    for clock in Clock.objects.select_for_update().filter(complaint=complaint, status=Clock.Status.PAUSED):
        definition = definitions.get(clock.code)
        since = clock.paused_since or at
        if definition is not None and clock.breached_at is None:
            clock.due_at = _shift(policy, definition, clock.due_at, since, at)
            clock.provisional = clock.provisional or _provisional(policy, clock.started_at, clock.due_at)
            if clock.warn_at is not None and clock.warned_at is None:
                clock.warn_at = _shift(policy, definition, clock.warn_at, since, at)
        clock.pauses = [*clock.pauses, [since.isoformat(), at.isoformat()]]
        clock.paused_since = None
        clock.pause_reason = ""
        clock.status = Clock.Status.RUNNING
        clock.next_fire_at = next_fire_time(clock)
        clock.save()
        if definition is not None and definition.promise and not clock.subject:
            type(complaint).objects.filter(pk=complaint.pk).update(reply_due_at=clock.due_at,
                                                                   reply_due_provisional=clock.provisional)
            complaint.reply_due_at = clock.due_at
            complaint.reply_due_provisional = clock.provisional
        count += 1
    return count


@transaction.atomic
def clock_extend(*, actor: Any, complaint: Any, code: str, by: Duration, reason: str,
                 now: datetime | None = None) -> Clock:
    """Extend a running clock: needs a reason and the policy's approver, before the old time passes;
    the customer is told the new time when the policy says so."""
    now = now or timezone.now()
    policy = policy_of(complaint.policy_version)
    problems = []
    if not reason.strip():
        problems.append(FieldProblem("reason", _("An extension needs a reason.")))
    try:
        definition = policy.clock(code)
    except KeyError:
        raise ValidationFailed([FieldProblem("clock", _("Unknown clock %(code)s.") % {"code": code})]) from None
    if definition.extension is None:
        problems.append(FieldProblem("clock", _("The policy does not allow extending this clock.")))
    if by.amount <= 0:
        problems.append(FieldProblem("by", _("The extension must be longer than zero.")))
    if problems or definition.extension is None:
        raise ValidationFailed(problems)
    rule = definition.extension
    if not has_role(actor, rule.approver, at=complaint):
        raise PermissionDenied(_("Only the %(role)s may extend this clock.") % {"role": rule.approver.value})
    clock = (Clock.objects.select_for_update().filter(complaint=complaint, code=code, status__in=ACTIVE)
             .order_by("-cycle").first())
    if clock is None:
        raise Conflict(_("The clock %(code)s is not running.") % {"code": code})
    if clock.breached_at is not None or now >= clock.due_at:
        raise Conflict(_("The deadline has already passed: an extension must be agreed and reported before it."))
    if len(clock.extensions) >= rule.max_steps:
        raise Conflict(_("This clock may be extended at most %(n)d time(s).") % {"n": rule.max_steps})
    extended = add_duration(policy, clock.due_at, by)
    new_due = extended.due_at
    if rule.max_total is not None:
        limit = add_duration(policy, _original_due(clock), rule.max_total).due_at
        if new_due > limit:
            raise ValidationFailed([FieldProblem("by", _("Extensions may add at most %(total)s in all.")
                                                 % {"total": str(rule.max_total)})])
    old_due = clock.due_at
    clock.extensions = [*clock.extensions, {"at": now.isoformat(), "by": actor.username, "reason": reason.strip(),
                                            "old_due": old_due.isoformat(), "new_due": new_due.isoformat(),
                                            "amount": str(by)}]
    clock.due_at = new_due
    clock.provisional = clock.provisional or extended.provisional
    if clock.warned_at is None:
        clock.warn_at = warning_time(policy, definition, clock.started_at, new_due)
    clock.next_fire_at = next_fire_time(clock)
    clock.save()
    if definition.promise and not clock.subject:
        type(complaint).objects.filter(pk=complaint.pk).update(reply_due_at=new_due,
                                                               reply_due_provisional=clock.provisional)
        complaint.reply_due_at = new_due
        complaint.reply_due_provisional = clock.provisional
    record(actor=actor, action="clock.extend", obj=clock, complaint=complaint, before={"due_at": old_due},
           after={"due_at": new_due, "reason": reason.strip(), "by": str(by)},
           timeline=on_timeline("clock_extended", clock=code, old_due=old_due.isoformat(), new_due=new_due.isoformat(),
                                reason=reason.strip()), at=now)
    template = policy.messages.extension_notice
    if rule.notify_customer and template is not None:
        customer = complaint.customer
        tz = ZoneInfo(policy.timezone)
        body = rules.render_message(template.get(complaint.language), number=complaint.number,
                                    reason=reason.strip(),
                                    new_time=rules.format_moment(new_due.astimezone(tz), complaint.language),
                                    organisation=policy.organisation.get(complaint.language))
        recipient = customer.phone or customer.email
        if recipient:
            message = message_queue(actor=actor, kind="extension_notice", channel="sms" if customer.phone else "email",
                                    recipient=recipient, body=body, language=complaint.language, complaint=complaint)
            record_entry(complaint, on_timeline("message_queued", message=message.pk, message_kind="extension_notice",
                                                channel=message.channel, text=body), actor=actor, at=now)
    return clock


def _original_due(clock: Clock) -> datetime:
    if clock.extensions:
        return datetime.fromisoformat(clock.extensions[0]["old_due"])
    return clock.due_at
