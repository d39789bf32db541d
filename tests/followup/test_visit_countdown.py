"""Return-visit countdowns (issue 11, item 3): the time left or past a visit's due time is computed by
the one countdown (worktime.countdown through clocks.selectors.due_badge) in the unit of the policy's
``return_visit.due`` — wall time for ``48h``, working time for ``3wd`` — with fixed clocks across a
weekend, and shown on the queue and the complaint page like every other deadline badge."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from followup_kit import BASE, SH, resolve, resolve_under, visit_of

from complaintdesk.core.policies import policy_of
from complaintdesk.followup.selectors import queue_row, visit_badge, visit_view

pytestmark = pytest.mark.django_db


def test_a_calendar_due_time_counts_wall_time(org: Any, registration: Any) -> None:
    visit = visit_of(resolve(org, registration(), at=BASE))  # phone maker: due 48h after resolving
    policy = policy_of(visit.complaint.policy_version)
    assert visit.due_at == BASE + timedelta(hours=1) + timedelta(hours=48)
    badge = visit_badge(visit, policy, BASE + timedelta(hours=1))
    assert badge is not None and not badge.working and not badge.overdue
    assert (badge.remaining_seconds, badge.day_seconds) == (48 * 3600, 86400)
    late = visit_badge(visit, policy, visit.due_at + timedelta(days=2, hours=3))
    assert late is not None and late.overdue and late.remaining_seconds == -(2 * 86400 + 3 * 3600)


def test_a_working_day_due_time_counts_working_time_across_the_weekend(org: Any) -> None:
    friday = datetime(2026, 11, 20, 10, 0, tzinfo=SH)
    visit = visit_of(resolve_under("pc_maker", org, at=friday))  # due 3wd after resolving on Friday 11:00
    policy = policy_of(visit.complaint.policy_version)
    saturday = datetime(2026, 11, 21, 12, 0, tzinfo=SH)
    badge = visit_badge(visit, policy, saturday)
    assert badge is not None and badge.working and not badge.overdue
    # the weekend counts nothing: from Saturday, as much is left as from Monday's opening
    monday = visit_badge(visit, policy, datetime(2026, 11, 23, 9, 0, tzinfo=SH))
    assert monday is not None and monday.remaining_seconds == badge.remaining_seconds
    assert badge.remaining_seconds % badge.day_seconds == 0 and badge.remaining_seconds // badge.day_seconds == 3
    # one working hour after the due time is one hour overdue, not the wall time since
    after = visit_badge(visit, policy, visit.due_at + timedelta(days=3))  # the due time's weekday + 3 days
    assert after is not None and after.overdue and after.remaining_seconds < 0
    assert -after.remaining_seconds < 3 * badge.day_seconds


def test_a_done_visit_has_no_countdown(org: Any, registration: Any) -> None:
    visit = visit_of(resolve(org, registration(), at=BASE))
    visit.state = "done"
    policy = policy_of(visit.complaint.policy_version)
    assert visit_badge(visit, policy, BASE) is None


@pytest.mark.parametrize(("language", "text"), [("en", "overdue 2 days 3 h"), ("zh-hans", "超时 2天3小时")])
def test_the_queue_and_the_panel_show_the_countdown(client: Any, org: Any, registration: Any, language: str,
                                                    text: str) -> None:
    complaint = resolve(org, registration(), at=BASE)
    visit = visit_of(complaint)
    now = visit.due_at + timedelta(days=2, hours=3)
    row = queue_row(visit, now)
    assert row["badge"].overdue and row["badge"].remaining_seconds == -(2 * 86400 + 3 * 3600)
    assert visit_view(visit, now=now)["badge"].remaining_seconds == row["badge"].remaining_seconds
    from django.utils import translation

    from complaintdesk.core.templatetags.deadlines import deadline_badge

    with translation.override(language):
        assert text in str(deadline_badge(row["badge"]))
    client.force_login(org["supervisor"])
    client.cookies["django_language"] = language
    html = client.get("/return-visits/?state=overdue").content.decode()
    assert 'data-testid="rv-queue-countdown"' in html and 'data-state="overdue"' in html
    page = client.get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-testid="rv-countdown"' in page
