"""The dealer loop (dealer network, seed 003): an unsatisfied customer's case goes back to the
dealer as a work order; the dealer's answer brings the return visit back to customer service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from complaintdesk.clocks.services import clock_start, complaint_facts
from complaintdesk.complaints.models import Complaint, WorkOrder
from complaintdesk.core.policies import policy_of
from complaintdesk.core.record import on_timeline, record_entry
from complaintdesk.followup.models import ReturnVisit
from complaintdesk.followup.services.common import visit_clock_codes, visit_rule
from complaintdesk.followup.services.visits import S, return_visit_open
from complaintdesk.policy import rules
from complaintdesk.policy.schema import ClockEvent, SatisfactionOutcome


@transaction.atomic
def return_visit_dealer_answered(*, order: WorkOrder, now: datetime | None = None) -> ReturnVisit | None:
    """The dealer answered the work order of an unsatisfied customer: customer service visits the
    customer again (a new round, due by the policy's time from the answer)."""
    now = now or order.replied_at or timezone.now()
    visit = (ReturnVisit.objects.select_for_update().filter(work_order=order, state=ReturnVisit.State.DONE,
                                                           outcome=SatisfactionOutcome.DEALER).first())
    if visit is None or ReturnVisit.objects.filter(previous=visit).exists():
        return None
    complaint = Complaint.objects.select_for_update().select_related("policy_version", "owner").get(
        pk=visit.complaint_id)
    if complaint.status != S.RESOLVED:
        return None
    policy = policy_of(complaint.policy_version)
    rule = visit_rule(policy)
    codes = set(visit_clock_codes(policy))
    for definition in rules.clocks_started_by(policy, ClockEvent.RESOLVED, complaint_facts(complaint, policy)):
        if definition.code in codes:
            clock_start(complaint=complaint, policy=policy, definition=definition, at=now)
    record_entry(complaint, on_timeline("dealer_answered", order=order.number, reply=order.reply), actor=None, at=now)
    return return_visit_open(actor=None, complaint=complaint, policy=policy, rule=rule, now=now, previous=visit)


def on_work_order_replied(order: WorkOrder, now: Any) -> None:
    """Called in work_order_reply's transaction: a dealer's answer to an unsatisfied customer's
    work order brings the return visit back."""
    if ReturnVisit.objects.filter(work_order=order, outcome=SatisfactionOutcome.DEALER).exists():
        return_visit_dealer_answered(order=order, now=now)
