"""policy/rules/followup.py: the "callback failed" rule (N calls on N different days, days in the
organisation's time zone), the satisfaction scale of the return visit, and what a judgement means
for the staff member (community hotline 七: business complaints' compensation is borne by the staff
member). Answered from the policy alone. Pure: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.policy.load import load_preset
from complaintdesk.policy.rules import callback_progress, judgement_consequence, scale_point, staff_pays
from complaintdesk.policy.schema import Judgement, Policy, ReturnVisit

SH = ZoneInfo("Asia/Shanghai")


@cache
def rule(name: str) -> ReturnVisit:
    policy: Policy = load_preset(name).policy
    assert policy.return_visit is not None
    return policy.return_visit


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=SH)


def test_three_calls_on_three_days_allow_callback_failed() -> None:
    progress = callback_progress(rule("dealer_network"), [at(2, 10), at(3, 10), at(4, 10)], SH)
    assert (progress.calls, progress.days) == (3, 3)
    assert progress.allows_callback_failed


def test_three_calls_on_one_day_do_not() -> None:
    progress = callback_progress(rule("dealer_network"), [at(2, 9), at(2, 12), at(2, 17)], SH)
    assert (progress.calls, progress.days) == (3, 1)
    assert (progress.calls_needed, progress.days_needed) == (0, 2)
    assert not progress.allows_callback_failed


def test_days_are_counted_in_the_organisations_time_zone() -> None:
    # 23:30 and 00:30 Shanghai time are two days there, one day in UTC
    late, early = at(2, 23) + timedelta(minutes=30), at(3, 0) + timedelta(minutes=30)
    assert late.astimezone(UTC).date() == early.astimezone(UTC).date()
    assert callback_progress(rule("dealer_network"), [late, early], SH).days == 2
    assert callback_progress(rule("dealer_network"), [late, early], UTC).days == 1


def test_no_call_yet_needs_every_call_and_day() -> None:
    progress = callback_progress(rule("dealer_network"), [], SH)
    assert (progress.calls_needed, progress.days_needed) == (3, 3)


def test_one_unanswered_call_is_enough_where_the_policy_says_so() -> None:
    # community hotline 五.2(3): one call without answer, then the SMS
    assert callback_progress(rule("community_hotline"), [at(2, 10)], SH).allows_callback_failed


@pytest.mark.parametrize(("code", "reason_required"), [("satisfied", False), ("unsatisfied", True), ("oddity", True)])
def test_scale_points_by_code(code: str, reason_required: bool) -> None:
    point = scale_point(rule("dealer_network"), code)
    assert point is not None and point.code == code and point.reason_required is reason_required


def test_an_unknown_scale_point_is_none() -> None:
    assert scale_point(rule("dealer_network"), "delighted") is None


@cache
def judgement(name: str) -> Judgement:
    policy: Policy = load_preset(name).policy
    assert policy.judgement is not None
    return policy.judgement


@pytest.mark.parametrize(("validity", "category", "pays"), [
    ("valid", "business", True),          # 业务类投诉: compensation borne by the staff member
    ("valid", "service", False),
    ("valid", "major", False),
    ("invalid", "business", False),       # an invalid complaint never costs the staff member
    ("invalid", "harassment", False),
])
def test_only_valid_business_complaints_make_the_staff_member_pay(validity: str, category: str, pays: bool) -> None:
    assert staff_pays(judgement("community_hotline"), validity=validity, category=category) is pays


def test_the_consequence_of_a_category_comes_from_the_policy() -> None:
    business = judgement_consequence(judgement("community_hotline"), "business")
    assert business is not None and "borne by the staff member" in business.get("en")
    assert judgement_consequence(judgement("community_hotline"), "harassment") is None
