"""A policy's durations as people read them, in their language ("2 working days", "2个工作日"),
never the policy file's short form ("2wd")."""

from __future__ import annotations

import re

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


# a duration typed by a person ("2个工作日", "2 working days", "24小时") and the policy's short form
# it stands for; the short forms themselves ("2wd", "24h") are read too
_WORDS = [
    (r"个?工作日|working\s*days?|wd", "wd"),
    (r"个?工作小时|working\s*hours?|wh", "wh"),
    (r"个?工作分钟|working\s*minutes?|wm", "wm"),
    (r"个?小时|钟头|hours?|hrs?|h", "h"),
    (r"分钟|minutes?|mins?|m", "m"),
    (r"天|日|calendar\s*days?|days?|d", "d"),
    (r"个?星期|周|weeks?|w", "w"),  # seven days
    (r"个月|月|months?|mo", "mo"),
    (r"年|years?|y", "y"),
]
_TYPED = re.compile(r"^\s*(\d+)\s*(" + "|".join(f"(?:{words})" for words, _short in _WORDS) + r")\s*$", re.IGNORECASE)


def typed_duration(text: str) -> Duration:
    """The duration a person typed, in Chinese or English words or the policy's short form;
    ValueError when it is none of them."""
    match = _TYPED.match(text or "")
    if match is None:
        raise ValueError(text)
    amount, unit = match.group(1), match.group(2).lower()
    short = next(short for words, short in _WORDS if re.fullmatch(words, unit, re.IGNORECASE))
    if short == "w":
        return Duration.model_validate(f"{int(amount) * 7}d")
    return Duration.model_validate(f"{int(amount)}{short}")
