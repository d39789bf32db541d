"""Two approvers decide the same approval at the same moment (the VP and the VP's delegate): row locks
(SELECT … FOR UPDATE) let exactly one decision stand; the other gets a conflict. On PostgreSQL,
with one database connection per thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from reskit import make_complaint, plan_input

from complaintdesk.accounts.models import User
from complaintdesk.core.errors import Conflict
from complaintdesk.core.models import AuditEvent
from complaintdesk.resolutions.models import Approval, Plan
from complaintdesk.resolutions.services import approval_decide, delegation_create, plan_submit
from orgkit import install_org

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent decisions are serialised by PostgreSQL row locks; SQLite runs one writer at a "
                    "time. Run with DATABASE_URL=postgres://…")


def pending_with_delegate(org: Any) -> Approval:
    delegation_create(actor=org["vp"], to="gm", until=(timezone.now() + timedelta(days=2)).isoformat(),
                      reason="出差，由总经理代批")
    complaint = make_complaint(org)
    plan = plan_submit(actor=org["specialist"], number=complaint.number,
                       data=plan_input("2500", tier="replacement", kind="replacement_difference"))
    return plan.approvals.get()


def in_thread(function: Callable[[], Any], results: dict[str, Any], name: str) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = function()
        except Exception as exc:
            results[name] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def decide(username: str, approval_id: int, decision: str) -> Callable[[], Any]:
    def call() -> Any:
        actor = User.objects.get(username=username)
        return approval_decide(actor=actor, approval_id=approval_id, decision=decision, comment=f"{username} 决定")

    return call


def test_the_second_decision_waits_for_the_lock_and_then_is_refused(transactional_db: Any) -> None:
    org = install_org("pc_maker")
    approval = pending_with_delegate(org)
    holding = threading.Event()
    release = threading.Event()
    results: dict[str, Any] = {}

    def first() -> Any:
        with transaction.atomic():
            decided = decide("vp", approval.pk, "approve")()
            holding.set()
            release.wait(timeout=60)
        return decided

    a = in_thread(first, results, "vp")
    assert holding.wait(timeout=60)
    b = in_thread(decide("gm", approval.pk, "reject"), results, "gm")
    # wait until the delegate's transaction is blocked on the VP's row lock
    with connection.cursor() as cursor:
        for _ in range(600):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()")
            if cursor.fetchone()[0] >= 1:
                break
            threading.Event().wait(0.05)
        else:
            pytest.fail("the second decision never waited for the lock")
    release.set()
    a.join(timeout=60)
    b.join(timeout=60)
    assert isinstance(results["vp"], Approval)
    assert isinstance(results["gm"], Conflict)
    approval.refresh_from_db()
    assert approval.state == Approval.State.APPROVED and approval.decided_by == org["vp"]
    assert Plan.objects.get(pk=approval.plan_id).state == Plan.State.APPROVED
    assert AuditEvent.objects.filter(action__in=["approval.approve", "approval.reject"]).count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_two_approvers_at_the_same_moment_exactly_one_decision_stands(transactional_db: Any, round_: int) -> None:
    org = install_org("pc_maker")
    approval = pending_with_delegate(org)
    barrier = threading.Barrier(2)
    results: dict[str, Any] = {}

    def at_once(call: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            barrier.wait(timeout=30)
            return call()

        return run

    threads = [in_thread(at_once(decide("vp", approval.pk, "approve")), results, "vp"),
               in_thread(at_once(decide("gm", approval.pk, "reject")), results, "gm")]
    for thread in threads:
        thread.join(timeout=60)
    outcomes = sorted(type(value).__name__ for value in results.values())
    assert outcomes == ["Approval", "Conflict"]
    approval.refresh_from_db()
    winner = next(name for name, value in results.items() if isinstance(value, Approval))
    assert approval.decided_by == org[winner]
    assert approval.state == (Approval.State.APPROVED if winner == "vp" else Approval.State.REJECTED)
    assert AuditEvent.objects.filter(action__in=["approval.approve", "approval.reject"]).count() == 1
