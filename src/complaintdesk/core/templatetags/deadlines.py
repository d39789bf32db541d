"""Deadline badges that count down in working time."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaintdesk.core.html import format_html

register = template.Library()


def humanise(seconds: int, working: bool, day_seconds: int | None = None) -> str:
    """Time left or past as a person reads it: in working days of the policy's own working hours
    for a working-time clock ("2 working days 3 h"), in days of 24 hours otherwise ("2 d 3 h").
    ``seconds`` is already counted in the clock's unit (``worktime.countdown``)."""
    day = day_seconds or (8 * 3600 if working else 86400)
    days, rest = divmod(abs(seconds), day)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = (ngettext("%(d)d working day", "%(d)d working days", days) if working
                else ngettext("%(d)d day", "%(d)d days", days)) % {"d": days}
        if hours:
            text = _("%(days)s %(hours)s") % {"days": text, "hours": _("%(h)d h") % {"h": hours}}
    elif hours:
        text = _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    else:
        text = _("%(m)d min") % {"m": max(minutes, 1)}
    return text


def _day(view: Any) -> int | None:
    return getattr(view, "day_seconds", None)


@register.simple_tag
def deadline_badge(view: Any) -> SafeString:
    """A badge for a ClockView: green/amber/red by time left, in working time for working clocks."""
    if view.paused:
        return format_html('<span class="badge text-bg-info" data-testid="deadline" data-state="paused">{}</span>',
                           _("paused"))
    if view.status != "running":
        late = view.breached_at is not None
        return format_html('<span class="badge text-bg-light border" data-testid="deadline" data-state="{}">{}</span>',
                           "late" if late else "met", _("met late") if late else _("met"))
    seconds = view.remaining_seconds
    if seconds == 0 and not view.overdue and getattr(view, "due_at", None) is not None:
        # outside working hours no working time is left before a deadline at the next opening
        due = localtime(view.due_at)
        return format_html('<span class="badge text-bg-warning" data-testid="deadline" data-state="soon" title="{}">'
                           "{}</span>", _("working time"), _("due %(time)s") % {"time": f"{due:%m-%d %H:%M}"})
    if view.overdue or seconds < 0:
        css, state, text = "danger", "overdue", _("overdue %(t)s") % {"t": humanise(seconds, view.working, _day(view))}
    elif view.warned or seconds < 4 * 3600:
        css, state, text = "warning", "soon", humanise(seconds, view.working, _day(view))
    else:
        css, state, text = "success", "ok", humanise(seconds, view.working, _day(view))
    unit = _("working time") if view.working else _("calendar time")
    return format_html('<span class="badge text-bg-{}" data-testid="deadline" data-state="{}" title="{}">{}</span>',
                       css, state, unit, text)
