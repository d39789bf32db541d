"""Deadline badges read as a person reads them, in both languages: working days of the policy's own
hours for working-time clocks, days of 24 hours for calendar clocks (figures from worktime.countdown)."""

from __future__ import annotations

import pytest
from django.utils import translation

from complaintdesk.clocks.selectors import BadgeView
from complaintdesk.core.templatetags.deadlines import deadline_badge
from complaintdesk.worktime.countdown import Countdown

HOUR = 3600


def badge(left: Countdown, language: str) -> str:
    with translation.override(language):
        return str(deadline_badge(BadgeView(left, warned=False)))


@pytest.mark.parametrize(("language", "text"), [("en", "overdue 10 working days"), ("zh-hans", "超时 10个工作日")])
def test_a_working_clock_ten_working_days_late(language: str, text: str) -> None:
    html = badge(Countdown(seconds=-10 * 8 * HOUR, working=True, overdue=True, day_seconds=8 * HOUR), language)
    assert f">{text}<" in html and 'data-state="overdue"' in html


@pytest.mark.parametrize(("language", "text"), [("en", "overdue 14 days"), ("zh-hans", "超时 14天")])
def test_a_calendar_clock_fourteen_days_late(language: str, text: str) -> None:
    html = badge(Countdown(seconds=-14 * 86400, working=False, overdue=True, day_seconds=86400), language)
    assert f">{text}<" in html


@pytest.mark.parametrize(("language", "text"), [("en", "1 working day 3 h"), ("zh-hans", "1个工作日3小时")])
def test_a_working_day_of_seven_and_a_half_hours(language: str, text: str) -> None:
    day = int(7.5 * HOUR)
    html = badge(Countdown(seconds=day + 3 * HOUR, working=True, overdue=False, day_seconds=day), language)
    assert f">{text}<" in html and 'data-state="ok"' in html


@pytest.mark.parametrize(("language", "text"), [("en", "2 h 30 min"), ("zh-hans", "2小时30分钟")])
def test_hours_and_minutes_when_less_than_a_day_is_left(language: str, text: str) -> None:
    html = badge(Countdown(seconds=2 * HOUR + 1800, working=True, overdue=False, day_seconds=8 * HOUR), language)
    assert f">{text}<" in html and 'data-state="soon"' in html
