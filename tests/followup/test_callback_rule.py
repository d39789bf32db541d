"""“Callback failed” only after 3 calls on 3 different days (seed 000 §1.5), at its edges: days are
counted in the organisation's time zone, weekends count, and the refusal says what is missing.
The community hotline (seed 002) sends its SMS instead and closes after 2 working days."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from followup_kit import BASE, SH, hotline_registration, resolve, status, visit_of

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.followup.services import VisitInput, return_visit_record
from complaintdesk.notify.models import Message
from orgkit import install_org

pytestmark = pytest.mark.django_db

NOW = BASE + timedelta(days=7)


def calls(org: Any, number: str, *moments: datetime) -> None:
    for moment in moments:
        return_visit_record(actor=org["agent"], number=number, now=NOW,
                            data=VisitInput(outcome="no_answer", at=moment.isoformat()))


def callback_failed(org: Any, number: str) -> Any:
    return return_visit_record(actor=org["agent"], number=number, now=NOW, data=VisitInput(outcome="callback_failed"))


def refusal(org: Any, number: str) -> str:
    with pytest.raises(ValidationFailed) as exc:
        callback_failed(org, number)
    return {p.field: str(p.message) for p in exc.value.problems}["outcome"]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SH)


def test_no_call_yet_is_refused_and_says_what_is_needed(org: Any, resolved: Any) -> None:
    complaint = resolved()
    message = refusal(org, complaint.number)
    assert "3 call(s) on 3 different day(s)" in message
    assert "3 more call(s) on 3 more day(s)" in message


def test_two_calls_on_two_days_need_one_more_call_on_one_more_day(org: Any, resolved: Any) -> None:
    complaint = resolved()
    calls(org, complaint.number, at(16, 14), at(17, 10))
    assert "so far 2 call(s) on 2 day(s) — 1 more call(s) on 1 more day(s) needed" in refusal(org, complaint.number)
    assert status(complaint) == "resolved" and visit_of(complaint).state == "open"


def test_three_calls_on_two_days_are_refused(org: Any, resolved: Any) -> None:
    complaint = resolved()
    calls(org, complaint.number, at(16, 14), at(17, 10), at(17, 16))
    assert "0 more call(s) on 1 more day(s)" in refusal(org, complaint.number)
    assert visit_of(complaint).state == "open"


def test_three_calls_on_three_days_allow_callback_failed_and_the_complaint_closes(org: Any, resolved: Any) -> None:
    complaint = resolved()
    calls(org, complaint.number, at(16, 14), at(17, 10), at(18, 9))
    visit = callback_failed(org, complaint.number)
    assert visit.result == "callback_failed" and visit.state == "done"
    assert status(complaint) == "closed" and complaint.outcome_reason == "callback_failed"


def test_weekend_days_count_as_days(org: Any, resolved: Any) -> None:
    friday = at(20, 9)
    complaint = resolved(at=friday)
    calls(org, complaint.number, at(20, 15), at(21, 11), at(22, 11))  # Friday, Saturday, Sunday
    callback_failed(org, complaint.number)
    assert status(complaint) == "closed"


def test_days_are_the_organisations_days_not_utc_days(org: Any, resolved: Any) -> None:
    complaint = resolved()
    # 23:30 and 00:30 in Shanghai are the same UTC day (15:30Z and 16:30Z) but two days here
    calls(org, complaint.number, at(16, 23, 30), at(17, 0, 30))
    # 00:10 and 23:50 of the 18th are two UTC days (16:10Z on the 17th, 15:50Z on the 18th) but one day here
    calls(org, complaint.number, at(18, 0, 10), at(18, 23, 50))
    progress = visit_of(complaint)
    from complaintdesk.followup.services.visits import call_progress

    rule = org.policy.return_visit
    assert call_progress(progress, rule, SH).days == 3
    callback_failed(org, complaint.number)
    assert status(complaint) == "closed"


def test_a_time_given_with_an_offset_is_read_in_that_offset(org: Any, resolved: Any) -> None:
    complaint = resolved()
    # 2026-11-16T16:30Z is 00:30 on the 17th in Shanghai
    calls(org, complaint.number, at(16, 14))
    return_visit_record(actor=org["agent"], number=complaint.number, now=NOW,
                        data=VisitInput(outcome="busy", at="2026-11-16T16:30:00+00:00"))
    from complaintdesk.followup.services.visits import call_progress

    assert call_progress(visit_of(complaint), org.policy.return_visit, SH).days == 2


def test_the_hotline_sends_its_sms_after_one_failed_call_and_closes_two_working_days_later(org: Any) -> None:
    from complaintdesk.clocks.sweep import sweep

    install_org("community_hotline")
    complaint = resolve(org, hotline_registration())
    visit = visit_of(complaint)
    assert visit.assigned_to == org["specialist"]  # assign: auto, to the least-loaded visitor (specialist)
    with pytest.raises(ValidationFailed) as exc:
        return_visit_record(actor=visit.assigned_to, number=complaint.number, now=NOW,
                            data=VisitInput(outcome="callback_failed"))
    assert "1 more call(s) on 1 more day(s)" in str(exc.value.problems[0].message)
    return_visit_record(actor=visit.assigned_to, number=complaint.number, now=NOW,
                        data=VisitInput(outcome="switched_off", at=at(17, 10).isoformat()))
    return_visit_record(actor=visit.assigned_to, number=complaint.number, now=NOW,
                        data=VisitInput(outcome="callback_failed"))
    sms = Message.objects.get(complaint=complaint, kind="unreachable_sms")
    assert "刚刚回拨您电话未接通" in sms.body and sms.recipient == "+8613912345678"
    assert status(complaint) == "resolved"
    assert complaint.timeline.filter(kind="unreachable_sms").exists()
    clock = complaint.clocks.get(code="unreachable_close")
    # NOW is Monday 2026-11-23 10:00; the day of the SMS does not count: the two working days are
    # Tuesday 24 and Wednesday 25, and the period ends with Wednesday's working hours, 18:00
    assert clock.due_at == datetime(2026, 11, 25, 18, 0, tzinfo=SH)
    sweep(now=datetime(2026, 11, 25, 17, 59, tzinfo=SH))
    assert status(complaint) == "resolved"
    sweep(now=datetime(2026, 11, 25, 18, 1, tzinfo=SH))
    assert status(complaint) == "closed" and complaint.outcome_reason == "unreachable"
