"""Deadline badges that count down in working time."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

register = template.Library()


def humanise(seconds: int, working: bool) -> str:
    sign = "-" if seconds < 0 else ""
    left = abs(seconds)
    days, rest = divmod(left, 86400 if not working else 8 * 3600)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = _("%(d)dd %(h)dh") % {"d": days, "h": hours}
    elif hours:
        text = _("%(h)dh %(m)dm") % {"h": hours, "m": minutes}
    else:
        text = _("%(m)dm") % {"m": minutes}
    return sign + text


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
        css, state, text = "danger", "overdue", _("overdue %(t)s") % {"t": humanise(abs(seconds), view.working)}
    elif view.warned or seconds < 4 * 3600:
        css, state, text = "warning", "soon", humanise(seconds, view.working)
    else:
        css, state, text = "success", "ok", humanise(seconds, view.working)
    unit = _("working time") if view.working else _("calendar time")
    return format_html('<span class="badge text-bg-{}" data-testid="deadline" data-state="{}" title="{}">{}</span>',
                       css, state, unit, text)
