"""Routing: dispatch the work order the policy proposes, to the department responsible for the
complaint's root cause or category, in one call (docs/policy.md, "Routing")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models import WorkOrder
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.complaints.selectors.routing import proposed_work_order
from complaintdesk.complaints.services.work import work_order_dispatch
from complaintdesk.core.errors import Conflict


@transaction.atomic
def work_order_route(*, actor: Any, number: str, request: str, urgent: bool = False,
                     now: datetime | None = None) -> WorkOrder:
    """Dispatch the proposed work order: the responsible department and its due time come from the
    policy; the owner writes what is asked. Refused (409) when the policy proposes none."""
    now = now or timezone.now()
    complaint = access_complaint(actor, number, for_update=True)
    proposal = proposed_work_order(complaint, now=now)
    if proposal is None:
        raise Conflict(_("The policy proposes no work order for complaint %(number)s now: it names no department "
                         "for its root cause or category, or the department already has the complaint.")
                       % {"number": complaint.number})
    return work_order_dispatch(actor=actor, number=number, department=proposal.department, request=request,
                               urgent=urgent, now=now)
