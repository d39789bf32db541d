"""Recomputing provisional deadlines once the calendar knows their year (an administrator added
the year's official holiday file): same start, pauses and extensions, official working days."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.services import ACTIVE, next_fire_time, warning_time
from complaintdesk.clocks.subjects import subject_duration, subjects_recompute
from complaintdesk.core.calendars import add_duration, paused_shift, schedule_for
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record
from complaintdesk.policy.schema import Clock as ClockDef
from complaintdesk.policy.schema import Duration, Policy


def _clock_duration(policy: Policy, clock: Clock, definition: ClockDef) -> Duration:
    """The duration a clock was started with: a per-object clock may run on its object's own
    deadline (a work order's on its department's)."""
    return subject_duration(policy, clock.subject, definition.duration)


@transaction.atomic
def clocks_recompute_provisional(*, now: datetime | None = None) -> int:
    """Recompute the provisional deadlines whose years the calendar now knows (an administrator
    added the year's calendar file): same start, pauses and extensions, official working days.
    Returns how many clocks became official."""
    now = now or timezone.now()
    count = 0
    clocks = (Clock.objects.select_for_update(of=("self",)).filter(provisional=True, status__in=ACTIVE,
                                                                   breached_at__isnull=True)
              .select_related("complaint", "complaint__policy_version").order_by("id"))
    for clock in clocks:
        complaint = clock.complaint
        policy = policy_of(complaint.policy_version)
        try:
            definition = policy.clock(clock.code)
        except KeyError:
            continue
        duration = _clock_duration(policy, clock, definition)
        if not duration.is_working:
            continue  # calendar time never depends on the calendar
        deadline = add_duration(policy, clock.started_at, duration)
        due, provisional = deadline.due_at, deadline.provisional
        for paused_from, paused_to in clock.pauses:
            due = paused_shift(schedule_for(policy), duration, due, datetime.fromisoformat(paused_from),
                               datetime.fromisoformat(paused_to))
        for extension in clock.extensions:
            step = add_duration(policy, due, Duration.model_validate(extension["amount"]))
            due, provisional = step.due_at, provisional or step.provisional
        if definition.customer_deadline and complaint.requested_deadline and complaint.requested_deadline < due:
            due = max(complaint.requested_deadline, clock.started_at)
        if provisional:
            continue  # the year is still unknown
        old_due = clock.due_at
        clock.due_at = due
        clock.provisional = False
        if clock.warned_at is None:
            clock.warn_at = warning_time(policy, definition, clock.started_at, due)
        clock.next_fire_at = next_fire_time(clock)
        clock.save()
        if definition.promise and not clock.subject:
            type(complaint).objects.filter(pk=complaint.pk).update(reply_due_at=due, reply_due_provisional=False)
        record(actor=None, action="clock.recompute", obj=clock, complaint=complaint,
               before={"due_at": old_due, "provisional": True}, after={"due_at": due, "provisional": False},
               timeline=on_timeline("clock_recomputed", clock=clock.code, subject=clock.subject,
                                    old_due=old_due.isoformat(), new_due=due.isoformat()), at=now)
        count += 1
    subjects_recompute(now)  # the due times the objects keep themselves (a work order's due_at)
    return count
