"""Authority limits count a complaint's amount in all. Seed 002 (hypermarket 肆.一): "每件客诉金额在
20元(含)以下：由接待课课员视情况判断分析后，直接解决" — the clerk's 20 CNY is per complaint, so a second
payout or plan adds to what the complaint has already cost (plans carried out and petty cash); a plan
approved but not carried out is superseded by the next one and does not count."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from reskit import make_complaint, plan_input

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.core.policies import policy_of
from complaintdesk.resolutions import display
from complaintdesk.resolutions.models import PettyCashPayout, Plan
from complaintdesk.resolutions.selectors.budget import spent_on
from complaintdesk.resolutions.services import petty_cash_pay, plan_implemented, plan_submit
from complaintdesk.resolutions.services.routing import plan_check

pytestmark = pytest.mark.django_db

PAID_AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai


def pay(org: Any, role: str, complaint: Any, amount: str) -> PettyCashPayout:
    return petty_cash_pay(actor=org[role], number=complaint.number, amount=amount, kind="gift",
                          description="赠送购物卡致歉", voucher_number="BY-0001", now=PAID_AT)


def test_the_clerks_twenty_yuan_is_per_complaint(hyper: Any) -> None:
    complaint = make_complaint(hyper, owner="supervisor")
    pay(hyper, "agent", complaint, "15")
    with pytest.raises(ValidationFailed) as exc, translation.override("en"):
        pay(hyper, "agent", complaint, "5.01")
    (problem,) = exc.value.problems
    assert problem.field == "amount"
    assert str(problem.message) == ("5.01 CNY with the 15.00 CNY already spent on this complaint is above your "
                                    "petty-cash limit of 20.00 CNY: write a handling plan for approval instead.")
    with pytest.raises(ValidationFailed) as exc, translation.override("zh-hans"):
        pay(hyper, "agent", complaint, "5.01")
    assert "15.00" in str(exc.value.problems[0].message) and "20.00" in str(exc.value.problems[0].message)
    pay(hyper, "agent", complaint, "5")  # 20.00 in all: still the clerk's
    pay(hyper, "supervisor", complaint, "80")  # the section chief's 100 in all
    assert spent_on(complaint, "CNY") == Decimal("100.00")
    with pytest.raises(ValidationFailed):
        pay(hyper, "supervisor", complaint, "0.01")
    assert PettyCashPayout.objects.filter(complaint=complaint).count() == 3
    # another complaint starts from nothing
    assert pay(hyper, "agent", make_complaint(hyper, owner="supervisor"), "20").amount == Decimal("20")


def test_a_second_plan_adds_to_the_first_carried_out(pc: Any) -> None:
    complaint = make_complaint(pc)
    first = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("80"))
    assert first.state == Plan.State.AUTHORISED  # within the specialist's 100 CNY
    plan_implemented(actor=pc["specialist"], plan_id=first.pk, note="已补偿")
    policy = policy_of(complaint.policy_version)
    checked = plan_check(policy, complaint, pc["specialist"], plan_input("30"), PAID_AT)
    assert checked.earlier == Decimal("80.00") and [step.role for step in checked.steps] == ["supervisor"]
    with translation.override("en"):
        preview = display.plan_preview(policy, checked)
    assert (preview["earlier"], preview["earlier_text"], preview["combined_text"]) == ("80.00", "80.00 CNY",
                                                                                       "110.00 CNY")
    second = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("30"))
    assert second.state == Plan.State.PENDING and list(second.approvals.values_list("role", flat=True)) == [
        "supervisor"]


def test_a_plan_not_carried_out_is_superseded_and_not_counted(pc: Any) -> None:
    complaint = make_complaint(pc)
    first = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("80"))
    assert first.state == Plan.State.AUTHORISED and first.implemented_at is None
    second = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("30"))
    first.refresh_from_db()
    assert first.state == Plan.State.SUPERSEDED and second.state == Plan.State.AUTHORISED
    assert spent_on(complaint, "CNY") == Decimal("0")


def test_the_api_preview_says_what_was_spent_before(pc: Any) -> None:
    from reskit import api_for, plan_data

    complaint = make_complaint(pc)
    plan_implemented(actor=pc["specialist"], plan_id=plan_submit(actor=pc["specialist"], number=complaint.number,
                                                                 data=plan_input("80")).pk)
    response = api_for(pc, "specialist").post(f"/complaints/{complaint.number}/plans/preview", plan_data("30"))
    assert response.status_code == 200, response.json_body
    body = response.json_body
    assert body["earlier"] == "80.00" and body["total"] == "30.00"
    assert [step["role"]["code"] for step in body["steps"]] == ["supervisor"]
