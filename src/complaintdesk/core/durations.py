"""A policy's durations as people read them, in their language ("2 working days", "2个工作日"),
never the policy file's short form ("2wd")."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaintdesk.policy.schema import Duration
from complaintdesk.policy.schema.base import Unit


def _plain(amount: int, unit: Unit) -> str:
    forms = {
        Unit.MINUTES: lambda n: ngettext("%(n)s minute", "%(n)s minutes", n),
        Unit.HOURS: lambda n: ngettext("%(n)s hour", "%(n)s hours", n),
        Unit.CALENDAR_DAYS: lambda n: ngettext("%(n)s day", "%(n)s days", n),
        Unit.WORKING_DAYS: lambda n: ngettext("%(n)s working day", "%(n)s working days", n),
        Unit.WORKING_HOURS: lambda n: ngettext("%(n)s working hour", "%(n)s working hours", n),
        Unit.WORKING_MINUTES: lambda n: ngettext("%(n)s working minute", "%(n)s working minutes", n),
        Unit.MONTHS: lambda n: ngettext("%(n)s month", "%(n)s months", n),
        Unit.YEARS: lambda n: ngettext("%(n)s year", "%(n)s years", n),
    }
    return forms[unit](amount) % {"n": amount}


def duration_text(duration: Duration | str | None) -> str:
    if duration is None:
        return ""
    if isinstance(duration, str):
        return _("kept long term") if duration == "long_term" else duration
    if duration.monthly_on is not None:
        return _("by day %(day)s of the month") % {"day": duration.monthly_on}
    plain = _plain(duration.amount, duration.unit)
    if duration.same_day_until is not None:
        return _("by %(time)s the same working day, otherwise within %(period)s") % {
            "time": duration.same_day_until, "period": plain}
    return plain
