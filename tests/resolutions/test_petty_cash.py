"""Petty cash (hypermarket 肆.一): the clerk pays up to 20 CNY and the section chief up to 100 CNY at
once with a voucher; the customer-service manager countersigns afterwards, on a clock."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from reskit import make_complaint, resolve

from complaintdesk.clocks.models import Clock
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.notify.models import Message
from complaintdesk.resolutions.models import BudgetEntry, PettyCashPayout
from complaintdesk.resolutions.services import petty_cash_countersign, petty_cash_pay

pytestmark = pytest.mark.django_db

PAID_AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai


def pay(org: Any, role: str, amount: str, **extra: Any) -> PettyCashPayout:
    complaint = extra.pop("complaint", None) or make_complaint(org, owner="supervisor")
    values = {"kind": "gift", "description": "赠送购物卡致歉", "voucher_number": "BY-0001", **extra}
    return petty_cash_pay(actor=org[role], number=complaint.number, amount=amount, now=PAID_AT, **values)


@pytest.mark.parametrize(("role", "amount"), [("agent", "20"), ("supervisor", "20.01"), ("supervisor", "100")])
def test_front_line_pays_within_its_limit(hyper: Any, role: str, amount: str) -> None:
    payout = pay(hyper, role, amount)
    assert payout.amount == Decimal(amount) and payout.state == PettyCashPayout.State.AWAITING
    assert BudgetEntry.objects.get(payout=payout).amount == Decimal(amount)
    assert payout.complaint.timeline.filter(kind="petty_cash_paid").exists()


@pytest.mark.parametrize(("role", "amount", "limit"), [("agent", "20.01", "20.00"), ("supervisor", "100.01", "100.00")])
def test_above_the_payers_limit_is_refused(hyper: Any, role: str, amount: str, limit: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        pay(hyper, role, amount)
    (problem,) = exc.value.problems
    assert problem.field == "amount" and f"{limit} CNY" in str(problem.message)
    assert not PettyCashPayout.objects.exists()


def test_a_voucher_is_required_and_hand_refunds_are_not_petty_cash(hyper: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        pay(hyper, "supervisor", "30", voucher_number="", kind="hand_refund")
    assert {p.field for p in exc.value.problems} == {"voucher_number", "kind"}


def test_a_role_outside_the_payers_cannot_pay(hyper: Any) -> None:
    with pytest.raises(PermissionDenied):
        pay(hyper, "specialist", "10")


def test_countersignature_clock_and_notice(hyper: Any) -> None:
    payout = pay(hyper, "supervisor", "80")
    clock = Clock.objects.get(complaint=payout.complaint, subject=f"petty_cash:{payout.pk}")
    assert clock.code == "petty_cash_countersign" and clock.status == Clock.Status.RUNNING
    # 1 working day after Tuesday 10:00: Wednesday, until the store's hours end at 22:00 (14:00 UTC)
    assert clock.due_at == datetime(2026, 3, 11, 14, 0, tzinfo=UTC)
    assert Message.objects.filter(recipient_user=hyper["cs_head"], kind="countersign_requested").exists()
    petty_cash_countersign(actor=hyper["cs_head"], payout_id=payout.pk, comment="已审查", now=PAID_AT)
    payout.refresh_from_db()
    clock.refresh_from_db()
    assert payout.state == PettyCashPayout.State.COUNTERSIGNED and payout.countersigned_by == hyper["cs_head"]
    assert clock.status == Clock.Status.STOPPED
    with pytest.raises(Conflict):
        petty_cash_countersign(actor=hyper["cs_head"], payout_id=payout.pk)


def test_only_the_manager_countersigns_and_never_the_payer(hyper: Any) -> None:
    payout = pay(hyper, "supervisor", "50")
    with pytest.raises(PermissionDenied):
        petty_cash_countersign(actor=hyper["supervisor"], payout_id=payout.pk)
    with pytest.raises(PermissionDenied):
        petty_cash_countersign(actor=hyper["agent"], payout_id=payout.pk)


def test_the_countersignature_outlives_the_closed_complaint(hyper: Any) -> None:
    from complaintdesk.complaints.services.actions import complaint_close

    complaint = make_complaint(hyper, owner="supervisor")
    payout = pay(hyper, "supervisor", "60", complaint=complaint)
    resolve(hyper, complaint, actor="supervisor")
    complaint_close(actor=hyper["supervisor"], number=complaint.number, note="结案")
    running = Clock.objects.filter(complaint=complaint, subject=f"petty_cash:{payout.pk}", status="running")
    assert running.count() == 1
    assert running.get().due_at == datetime(2026, 3, 11, 14, 0, tzinfo=UTC)
    petty_cash_countersign(actor=hyper["cs_head"], payout_id=payout.pk)
    assert not Clock.objects.filter(subject=f"petty_cash:{payout.pk}", status="running").exists()
